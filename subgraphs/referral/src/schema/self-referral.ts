// Members of the public refer themselves. They give explicit consent, get back a reference and a
// secret, and with both can see the status and which activity it is for (nothing else) and
// withdraw. All of it is limited per client.
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import type { ReferralContext } from '../context';
import { PERSON_ACTOR, auditNow } from '../domain/audit';
import { checkSelfReferralConsents } from '../domain/consent';
import { checkActivityId, createReferralRecord } from '../domain/create';
import { checkIdempotencyKey, requestFingerprint } from '../domain/idempotency';
import { FHIR_TASK_STATUS } from '../domain/lifecycle';
import { SELF_PATHWAY } from '../domain/pathway';
import { checkPerson } from '../domain/person';
import { newReferenceCode, normaliseReferenceCode } from '../domain/self-service';
import { changeStatus } from '../domain/status-change';
import type { ReferralStatus } from '@sp/prisma/referral';
import { ActivityRef } from './activity';
import { ConsentPurposeEnum, ContactPreferenceEnum, ReferralStatusEnum } from './enums';

const SelfReferralPersonInput = builder.inputType('SelfReferralPersonInput', {
  description: 'About you. Give your date of birth or your age, and the contact detail you prefer.',
  fields: (t) => ({
    name: t.string({ required: true }),
    contactPreference: t.field({ type: ContactPreferenceEnum, required: true }),
    email: t.string(),
    phone: t.string(),
    dateOfBirth: t.string({ description: 'YYYY-MM-DD.' }),
    ageYears: t.int(),
    postcodeArea: t.string({ description: 'The first part of your postcode, such as DD1.' }),
    whatMattersToMe: t.string({ description: 'What matters to you, in your own words.' }),
  }),
});

const SelfReferralConsentInput = builder.inputType('SelfReferralConsentInput', {
  fields: (t) => ({
    purpose: t.field({ type: ConsentPurposeEnum, required: true }),
    granted: t.boolean({ required: true }),
  }),
});

const CreateSelfReferralInput = builder.inputType('CreateSelfReferralInput', {
  fields: (t) => ({
    activityId: t.id({ required: true }),
    idempotencyKey: t.string({
      description: 'A random string (8 to 128 characters) the client makes once per referral; a retry with it returns the same reference and secret.',
    }),
    person: t.field({ type: SelfReferralPersonInput, required: true }),
    consents: t.field({
      type: [SelfReferralConsentInput],
      description: 'Your consents. SHARE_WITH_PROVIDER must be granted, or nothing is stored (CONSENT_REQUIRED).',
    }),
  }),
});

interface Receipt {
  reference: string;
  secret: string;
  status: ReferralStatus;
  activityId: string;
  createdAt: Date;
}

const SelfReferralReceiptRef = builder.objectRef<Receipt>('SelfReferralReceipt').implement({
  description: 'Keep the reference and the secret: with both you can check the status or withdraw. The secret is shown only in this answer.',
  fields: (t) => ({
    reference: t.exposeString('reference', { description: 'Short, to quote, such as SP-4K7QX-M2D9B.' }),
    secret: t.exposeString('secret'),
    status: t.field({ type: ReferralStatusEnum, resolve: (receipt) => receipt.status }),
    activity: t.field({ type: ActivityRef, resolve: (receipt) => ({ id: receipt.activityId }) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

interface SelfStatus {
  reference: string;
  status: ReferralStatus;
  activityId: string;
  updatedAt: Date;
}

const SelfReferralStatusRef = builder.objectRef<SelfStatus>('SelfReferralStatus').implement({
  description: 'Where your self-referral is and which activity it is for, and nothing else.',
  fields: (t) => ({
    reference: t.exposeString('reference'),
    status: t.field({ type: ReferralStatusEnum, resolve: (row) => row.status }),
    fhirTaskStatus: t.string({ resolve: (row) => FHIR_TASK_STATUS[row.status] }),
    activity: t.field({
      type: ActivityRef,
      description: 'The activity you asked to join, so you can tell which referral this is; the gateway adds its name and details from the directory.',
      resolve: (row) => ({ id: row.activityId }),
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.mutationField('createSelfReferral', (t) =>
  t.field({
    type: SelfReferralReceiptRef,
    description:
      'Refer yourself to an activity. Needs your consent to share your details with the provider. Returns a reference and a secret. Limited per client (RATE_LIMITED). Safe to retry with the same idempotency key.',
    args: { input: t.arg({ type: CreateSelfReferralInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await context.services.selfReferralLimiter.consume(context.clientAddress);
      const now = context.services.now();
      const activityId = checkActivityId(input.activityId);
      const idempotencyKey = checkIdempotencyKey(input.idempotencyKey);
      const person = checkPerson(input.person, now, { allowClinicalIdentifiers: false });
      const consents = checkSelfReferralConsents(input.consents, now);
      const { idempotencyKey: _key, ...request } = input;
      const created = await createReferralRecord(
        {
          activityId,
          source: 'SELF',
          pathway: SELF_PATHWAY,
          referrer: null,
          idempotencyScope: 'public',
          idempotencyKey,
          fingerprint: requestFingerprint(request),
          person,
          consents,
          newReferenceCode,
        },
        { db: context.db, directory: context.services.directory, logger: context.logger, actor: PERSON_ACTOR, requestId: context.requestId, now },
      );
      const secret = context.services.selfService.secretFor(created.id);
      if (!created.replayed) return { reference: created.referenceCode!, secret, status: 'SENT' as const, activityId, createdAt: now };
      const stored = await context.db.referral.findUniqueOrThrow({ where: { id: created.id }, select: { referenceCode: true, status: true, createdAt: true } });
      return { reference: stored.referenceCode!, secret, status: stored.status, activityId, createdAt: stored.createdAt };
    },
  }),
);

const NO_MATCH = 'No referral matches that reference and secret.';

/** The self-referral the reference and secret prove, or NOT_FOUND (the same answer whichever was wrong). */
async function provenSelfReferral(context: ReferralContext, reference: string, secret: string) {
  await context.services.selfServiceLimiter.consume(context.clientAddress);
  const code = normaliseReferenceCode(reference);
  const referral = code
    ? await context.db.referral.findUnique({ where: { referenceCode: code }, select: { id: true, referenceCode: true, status: true, activityId: true, updatedAt: true } })
    : null;
  if (!referral || !context.services.selfService.verify(referral.id, secret)) {
    if (referral) await auditNow(context.db, PERSON_ACTOR, context.requestId, [{ action: 'READ', referralId: referral.id, outcome: 'DENIED', detail: 'selfReferralStatus' }]);
    throw userError(ErrorCode.NOT_FOUND, NO_MATCH);
  }
  return { ...referral, referenceCode: referral.referenceCode! };
}

builder.queryField('selfReferralStatus', (t) =>
  t.field({
    type: SelfReferralStatusRef,
    description: 'The status of your self-referral, given its reference and secret. Limited per client.',
    args: { reference: t.arg.string({ required: true }), secret: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const referral = await provenSelfReferral(context, args.reference, args.secret);
      await auditNow(context.db, PERSON_ACTOR, context.requestId, [{ action: 'READ', referralId: referral.id, detail: 'selfReferralStatus' }]);
      return { reference: referral.referenceCode, status: referral.status, activityId: referral.activityId, updatedAt: referral.updatedAt };
    },
  }),
);

builder.mutationField('withdrawSelfReferral', (t) =>
  t.field({
    type: SelfReferralStatusRef,
    description: 'Withdraw your self-referral, given its reference and secret. Recorded as you declining (SNOMED CT 871711000000103).',
    args: { reference: t.arg.string({ required: true }), secret: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const referral = await provenSelfReferral(context, args.reference, args.secret);
      await changeStatus(context.db, {
        referralId: referral.id,
        to: 'WITHDRAWN',
        reason: 'PERSON_DECLINED',
        part: 'person',
        actor: PERSON_ACTOR,
        requestId: context.requestId,
        now: context.services.now(),
      });
      const after = await context.db.referral.findUniqueOrThrow({ where: { id: referral.id }, select: { status: true, updatedAt: true } });
      return { reference: referral.referenceCode, status: after.status, activityId: referral.activityId, updatedAt: after.updatedAt };
    },
  }),
);
