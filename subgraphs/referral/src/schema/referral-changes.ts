// Moving a referral along its lifecycle, changing a consent, and recording a follow-up. Each
// change is checked, then written with its history entry and audit entry in one transaction.
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import { actorOf } from '../domain/audit';
import { ReferralErrorCode } from '../domain/codes';
import { checkConsentTime } from '../domain/consent';
import { isClosed } from '../domain/lifecycle';
import { changeStatus } from '../domain/status-change';
import { addDays } from '../domain/working-days';
import { ConsentMethodEnum, ConsentPurposeEnum, ReferralStatusEnum, StatusReasonEnum } from './enums';
import { referralForChange, requirePart } from './guards';
import { newId } from '../domain/ids';

const UpdateReferralStatusInput = builder.inputType('UpdateReferralStatusInput', {
  fields: (t) => ({
    referralId: t.id({ required: true }),
    status: t.field({ type: ReferralStatusEnum, required: true }),
    reason: t.field({ type: StatusReasonEnum, description: 'Required for DECLINED, WITHDRAWN and CANCELLED; not allowed otherwise.' }),
    note: t.string({ description: 'Optional, up to 1000 characters. Seen by everyone who can see the referral; erased with the person’s data.' }),
  }),
});

builder.mutationField('updateReferralStatus', (t) =>
  t.prismaField({
    type: 'Referral',
    description:
      'Moves a referral to its next status. The provider receives, accepts, declines and records attendance and completion; the referrer withdraws or cancels; an admin may do any legal move. An illegal move is refused with INVALID_STATUS_TRANSITION; a legal move by the wrong party with FORBIDDEN. Each change is added to the history and messages the referrer (and the person, where they consented).',
    args: { input: t.arg({ type: UpdateReferralStatusInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const id = String(input.referralId);
      const { part } = await referralForChange(context, id, 'STATUS_CHANGE');
      await changeStatus(context.db, {
        referralId: id,
        to: input.status,
        reason: input.reason ?? null,
        note: input.note ?? null,
        part,
        actor: actorOf(context.identity),
        requestId: context.requestId,
        now: context.services.now(),
      });
      return context.db.referral.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

const RecordConsentInput = builder.inputType('RecordConsentInput', {
  fields: (t) => ({
    referralId: t.id({ required: true }),
    purpose: t.field({ type: ConsentPurposeEnum, required: true }),
    granted: t.boolean({ required: true }),
    method: t.field({ type: ConsentMethodEnum, required: true }),
    recordedAt: t.field({ type: 'DateTime', description: 'When it was given; now if left out.' }),
  }),
});

builder.mutationField('recordConsent', (t) =>
  t.prismaField({
    type: 'Referral',
    description:
      'Records a consent the person has given or taken back since the referral (the referrer or an admin). Consent to share with the provider cannot be taken back this way: withdraw the referral instead.',
    args: { input: t.arg({ type: RecordConsentInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const id = String(input.referralId);
      const { referral, part } = await referralForChange(context, id, 'CONSENT_CHANGE');
      requirePart(part, ['referrer', 'admin'], 'record consent');
      if (input.purpose === 'SHARE_WITH_PROVIDER') {
        throw userError(ErrorCode.BAD_USER_INPUT, 'Consent to share with the provider is part of the referral: to take it back, withdraw the referral.', {
          field: 'purpose',
        });
      }
      if (input.method === 'SELF_REFERRAL_FORM') {
        throw userError(ErrorCode.BAD_USER_INPUT, 'SELF_REFERRAL_FORM is only for self-referrals.', { field: 'method' });
      }
      if (referral.erasedAt) throw userError(ReferralErrorCode.PERSONAL_DATA_ERASED, 'This referral’s personal data has been erased.');
      const now = context.services.now();
      const recordedAt = checkConsentTime(input.recordedAt, now, 'recordedAt');
      const actor = actorOf(context.identity);
      const consent = {
        granted: input.granted,
        method: input.method,
        recordedAt,
        recordedByRole: actor.actorRole,
        recordedBySubject: actor.actorSubject,
      };
      await context.db.$transaction([
        context.db.referralConsent.upsert({
          where: { referralId_purpose: { referralId: id, purpose: input.purpose } },
          create: { referralId: id, purpose: input.purpose, ...consent },
          update: consent,
        }),
        context.db.referralEvent.create({
          data: { id: newId(), referralId: id, at: now, kind: 'CONSENT_CHANGED', reason: `${input.purpose}:${input.granted ? 'GRANTED' : 'REFUSED'}`, ...eventActor(actor) },
        }),
        context.db.auditEntry.create({ data: { id: newId(), ...actor, action: 'CONSENT_CHANGE', referralId: id, detail: input.purpose, requestId: context.requestId } }),
      ]);
      return context.db.referral.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

function eventActor(actor: ReturnType<typeof actorOf>) {
  return { actorRole: actor.actorRole, actorSubject: actor.actorSubject, actorOrganizationId: actor.actorOrganizationId };
}

builder.mutationField('recordFollowUp', (t) =>
  t.prismaField({
    type: 'Referral',
    description:
      'Records that the referrer has been in touch with the person. The next follow-up falls due after the given number of days (28 if left out); none once the referral is closed.',
    args: {
      referralId: t.arg.id({ required: true }),
      nextFollowUpInDays: t.arg.int({ description: '1 to 180.' }),
    },
    resolve: async (query, _root, args, context) => {
      const id = String(args.referralId);
      const { referral, part } = await referralForChange(context, id, 'FOLLOW_UP');
      requirePart(part, ['referrer', 'admin'], 'record a follow-up');
      const days = args.nextFollowUpInDays ?? 28;
      if (!Number.isInteger(days) || days < 1 || days > 180) {
        throw userError(ErrorCode.BAD_USER_INPUT, 'nextFollowUpInDays must be a whole number from 1 to 180.', { field: 'nextFollowUpInDays' });
      }
      const now = context.services.now();
      const actor = actorOf(context.identity);
      await context.db.$transaction([
        context.db.referral.update({ where: { id }, data: { followUpDueAt: isClosed(referral.status) ? null : addDays(now, days) } }),
        context.db.referralEvent.create({ data: { id: newId(), referralId: id, at: now, kind: 'FOLLOW_UP_RECORDED', ...eventActor(actor) } }),
        context.db.auditEntry.create({ data: { id: newId(), ...actor, action: 'FOLLOW_UP', referralId: id, requestId: context.requestId } }),
      ]);
      return context.db.referral.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
