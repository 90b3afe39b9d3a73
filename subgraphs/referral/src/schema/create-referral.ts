// A professional refers a person: who they are, what matters to them, their consents, and the
// pathway they took. Everything is checked before anything is stored.
import { requireRole } from '@sp/auth/authorisation';
import { builder } from '../builder';
import { actorOf } from '../domain/audit';
import { checkProfessionalConsents } from '../domain/consent';
import { checkActivityId, createReferralRecord } from '../domain/create';
import { checkIdempotencyKey, requestFingerprint } from '../domain/idempotency';
import { checkProfessionalPathway } from '../domain/pathway';
import { checkPerson } from '../domain/person';
import { ConsentMethodEnum, ConsentPurposeEnum, ContactPreferenceEnum, PathwayHopEnum } from './enums';

export const PersonInput = builder.inputType('PersonInput', {
  description: 'The person referred. Give a date of birth or an age, and the contact detail their preference needs.',
  fields: (t) => ({
    name: t.string({ required: true }),
    contactPreference: t.field({ type: ContactPreferenceEnum, required: true }),
    email: t.string(),
    phone: t.string({ description: 'A UK number, or an international one starting with +.' }),
    dateOfBirth: t.string({ description: 'YYYY-MM-DD; not in the future.' }),
    ageYears: t.int({ description: 'Instead of a date of birth.' }),
    postcodeArea: t.string({ description: 'The first part of the postcode, such as DD1. A full postcode is cut to its first part.' }),
    nhsNumber: t.string({ description: '10 digits; checked with its check digit. Never shown to providers.' }),
    gpPracticeCode: t.string({ description: 'The GP practice’s ODS code (a letter and five digits), for telling the GP the outcome.' }),
    whatMattersToMe: t.string({ description: '"What matters to me", in the person’s words (up to 2000 characters).' }),
  }),
});

const ConsentInput = builder.inputType('ConsentInput', {
  description: 'One consent the person gave or refused.',
  fields: (t) => ({
    purpose: t.field({ type: ConsentPurposeEnum, required: true }),
    granted: t.boolean({ required: true }),
    method: t.field({ type: ConsentMethodEnum, required: true, description: 'VERBAL, WRITTEN or ELECTRONIC.' }),
    recordedAt: t.field({ type: 'DateTime', description: 'When it was given; now if left out.' }),
  }),
});

const CreateReferralInput = builder.inputType('CreateReferralInput', {
  fields: (t) => ({
    activityId: t.id({ required: true, description: 'The activity the person is referred to.' }),
    idempotencyKey: t.string({
      description:
        'Any unique string chosen by the client (8 to 128 characters). Sending the same request again with the same key returns the referral already made instead of a duplicate; the same key with a different request is refused with CONFLICT.',
    }),
    person: t.field({ type: PersonInput, required: true }),
    consents: t.field({
      type: [ConsentInput],
      description: 'The person’s consents. SHARE_WITH_PROVIDER must be granted, or the referral is refused with CONSENT_REQUIRED.',
    }),
    pathway: t.field({
      type: [PathwayHopEnum],
      description: 'The hops before the provider, in order, ending with your own profession (e.g. [GP, COMMUNITY_LINK_WORKER]). Your profession alone if left out.',
    }),
  }),
});

builder.mutationField('createReferral', (t) =>
  t.prismaField({
    type: 'Referral',
    description:
      'Refers a person to an activity (professionals only). Safe to retry with the same idempotency key. When the directory cannot confirm the activity in time the referral is kept with activityCheck PENDING and checked again; an activity the directory does not know is refused with UNKNOWN_ACTIVITY.',
    args: { input: t.arg({ type: CreateReferralInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const user = requireRole(context.identity, 'professional');
      const now = context.services.now();
      const activityId = checkActivityId(input.activityId);
      const idempotencyKey = checkIdempotencyKey(input.idempotencyKey);
      const person = checkPerson(input.person, now, { allowClinicalIdentifiers: true });
      const consents = checkProfessionalConsents(input.consents, now);
      // A professional token always has a profession (the verifier refuses one without).
      const pathway = checkProfessionalPathway(input.pathway, user.profession!);
      const { idempotencyKey: _key, ...request } = input;
      const { id } = await createReferralRecord(
        {
          activityId,
          source: 'PROFESSIONAL',
          pathway,
          referrer: { subject: user.subject, profession: user.profession ?? null, organizationId: user.organizationId ?? null },
          idempotencyScope: `user:${user.subject}`,
          idempotencyKey,
          fingerprint: requestFingerprint(request),
          person,
          consents,
        },
        { db: context.db, directory: context.services.directory, logger: context.logger, actor: actorOf(user), requestId: context.requestId, now },
      );
      return context.db.referral.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
