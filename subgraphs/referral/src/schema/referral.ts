// The Referral type and the queries that read referrals: one by id, the caller's own caseload,
// and the referrals nobody has acted on. Every read is audited before data is returned.
import { requireRole, requireUser } from '@sp/auth/authorisation';
import { ConsentPurpose, type Prisma, type ReferralStatus } from '@sp/prisma/referral';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import type { ReferralContext } from '../context';
import { partIn, visibleTo } from '../domain/access';
import { actorOf, auditNow } from '../domain/audit';
import { ReferralErrorCode } from '../domain/codes';
import { FHIR_TASK_STATUS, UNACTIONED_STATUSES } from '../domain/lifecycle';
import { scoresFromColumn } from '../domain/outcomes';
import { pathwayFromColumn } from '../domain/pathway';
import { changeStatus } from '../domain/status-change';
import { addWorkingDays } from '../domain/working-days';
import { ActivityRef } from './activity';
import {
  ActivityCheckEnum,
  ConsentMethodEnum,
  ConsentPurposeEnum,
  ContactPreferenceEnum,
  DeliveryStatusEnum,
  MessageRecipientEnum,
  OutcomeTimepointEnum,
  PathwayHopEnum,
  ReferralEventKindEnum,
  ReferralSourceEnum,
  ReferralStatusEnum,
} from './enums';
import { ownershipOf } from './guards';

/** Providers never see NHS numbers or GP practices; the referrer's side and admins do. */
const hidesClinicalIdentifiers = (context: ReferralContext) => context.identity.kind !== 'user' || context.identity.role === 'provider';

builder.prismaObject('ReferralPerson', {
  description: 'The person referred. Providers see what they need to contact and welcome them, never the NHS number or GP practice.',
  fields: (t) => ({
    name: t.exposeString('name'),
    contactPreference: t.expose('contactPreference', { type: ContactPreferenceEnum }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true, description: 'E.164, such as +441382123456.' }),
    dateOfBirth: t.string({
      nullable: true,
      description: 'YYYY-MM-DD.',
      resolve: (person) => person.dateOfBirth?.toISOString().slice(0, 10) ?? null,
    }),
    ageYears: t.exposeInt('ageYears', { nullable: true, description: 'The age given instead of a date of birth, on the day of referral.' }),
    postcodeArea: t.exposeString('postcodeArea', { nullable: true }),
    nhsNumber: t.string({
      nullable: true,
      description: 'Null for providers: they do not need it.',
      resolve: (person, _args, context) => (hidesClinicalIdentifiers(context) ? null : person.nhsNumber),
    }),
    gpPracticeCode: t.string({
      nullable: true,
      description: 'The GP practice’s ODS code. Null for providers.',
      resolve: (person, _args, context) => (hidesClinicalIdentifiers(context) ? null : person.gpPracticeCode),
    }),
    whatMattersToMe: t.exposeString('whatMattersToMe', { nullable: true, description: '"What matters to me", in the person’s words.' }),
  }),
});

const ConsentRef = builder.prismaObject('ReferralConsent', {
  name: 'Consent',
  description: 'One purpose the person agreed to or refused, with when, how and by whom it was recorded.',
  fields: (t) => ({
    purpose: t.expose('purpose', { type: ConsentPurposeEnum }),
    granted: t.exposeBoolean('granted'),
    method: t.expose('method', { type: ConsentMethodEnum }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    recordedByRole: t.exposeString('recordedByRole', { description: 'professional, admin, or person (the person themselves).' }),
    recordedBy: t.exposeString('recordedBySubject', { nullable: true, description: 'The user id of who recorded it; null when the person did.' }),
  }),
});

builder.prismaObject('ReferralEvent', {
  description: 'One entry in a referral’s history: who changed what, and when.',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    kind: t.expose('kind', { type: ReferralEventKindEnum }),
    fromStatus: t.expose('fromStatus', { type: ReferralStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: ReferralStatusEnum, nullable: true }),
    reason: t.exposeString('reason', { nullable: true, description: 'A code: the StatusReason, a consent purpose, an instrument.' }),
    note: t.exposeString('note', { nullable: true }),
    snomedCode: t.exposeString('snomedCode', {
      nullable: true,
      description: 'SNOMED CT: 871731000000106 (referral to social prescribing service) on creation; 871711000000103 (social prescribing declined) when the person declines.',
    }),
    actorRole: t.exposeString('actorRole'),
    actorId: t.exposeString('actorSubject', { nullable: true }),
    actorOrganizationId: t.exposeString('actorOrganizationId', { nullable: true }),
  }),
});

builder.prismaObject('ReferralFeedback', {
  name: 'Feedback',
  description: 'Follow-up feedback from the person, given with their consent.',
  fields: (t) => ({
    id: t.exposeID('id'),
    rating: t.exposeInt('rating', { description: '1 (poor) to 5 (very good).' }),
    comment: t.exposeString('comment', { nullable: true }),
    sharedWithProvider: t.exposeBoolean('sharedWithProvider'),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
  }),
});

const OutcomeMeasureRef = builder.prismaObject('OutcomeMeasure', {
  description: 'An outcome measure taken before or after the activity.',
  fields: (t) => ({
    id: t.exposeID('id'),
    instrument: t.exposeString('instrument'),
    timepoint: t.expose('timepoint', { type: OutcomeTimepointEnum }),
    scores: t.intList({ resolve: (measure) => scoresFromColumn(measure.scores) }),
    total: t.exposeInt('total', { nullable: true }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('OutboxMessage', {
  name: 'ReferralMessage',
  description: 'A message about a status change to the referrer, the person or their GP practice, and whether it was delivered.',
  fields: (t) => ({
    id: t.exposeID('id'),
    recipient: t.expose('recipient', { type: MessageRecipientEnum }),
    status: t.expose('status', { type: ReferralStatusEnum, description: 'The status the message tells of.' }),
    deliveryStatus: t.expose('deliveryStatus', { type: DeliveryStatusEnum }),
    attempts: t.exposeInt('attempts'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
  }),
});

const CONSENT_ORDER: readonly string[] = Object.values(ConsentPurpose);

interface ReferrerShape {
  subject: string;
  profession: string | null;
  organizationId: string | null;
}

const ReferrerRef = builder.objectRef<ReferrerShape>('Referrer').implement({
  description: 'The professional who made the referral.',
  fields: (t) => ({
    id: t.exposeString('subject', { description: 'Their user id at the identity provider.' }),
    profession: t.exposeString('profession', { nullable: true }),
    organizationId: t.exposeString('organizationId', { nullable: true }),
  }),
});

export const ReferralRef = builder.prismaObject('Referral', {
  description: 'A referral of a person to an activity.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.expose('status', { type: ReferralStatusEnum }),
    fhirTaskStatus: t.string({
      description: 'The FHIR R4 Task.status for the status: requested, received, accepted, in-progress, completed, rejected, failed or cancelled.',
      resolve: (referral) => FHIR_TASK_STATUS[referral.status],
    }),
    source: t.expose('source', { type: ReferralSourceEnum }),
    activity: t.field({
      type: ActivityRef,
      select: { activityId: true },
      resolve: (referral) => ({ id: referral.activityId }),
    }),
    activityCheck: t.expose('activityCheck', { type: ActivityCheckEnum }),
    pathway: t.field({
      type: [PathwayHopEnum],
      description: 'The hops the person took before the provider, in order; the provider is the implied last hop.',
      resolve: (referral) => pathwayFromColumn(referral.pathway),
    }),
    referrer: t.field({
      type: ReferrerRef,
      nullable: true,
      description: 'Null for a self-referral.',
      resolve: (referral) =>
        referral.referrerSubject
          ? { subject: referral.referrerSubject, profession: referral.referrerProfession, organizationId: referral.referrerOrganizationId }
          : null,
    }),
    referenceCode: t.exposeString('referenceCode', { nullable: true, description: 'A self-referral’s reference, as the person quotes it.' }),
    person: t.relation('person', { nullable: true, description: 'Null once the personal data has been erased.' }),
    consents: t.field({
      type: [ConsentRef],
      description: 'In the order SHARE_WITH_PROVIDER, FOLLOW_UP_CONTACT, TELL_GP_OUTCOME, ANONYMISED_RESEARCH.',
      select: { consents: true },
      resolve: (referral) => [...referral.consents].sort((a, b) => CONSENT_ORDER.indexOf(a.purpose) - CONSENT_ORDER.indexOf(b.purpose)),
    }),
    history: t.relation('events', { query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
    feedback: t.relation('feedback', {
      description: 'Providers see only the feedback the person agreed to share with them.',
      query: (_args, context) => ({
        orderBy: { recordedAt: 'asc' },
        ...(context.identity.kind === 'user' && context.identity.role === 'provider' ? { where: { sharedWithProvider: true } } : {}),
      }),
    }),
    outcomes: t.field({
      type: [OutcomeMeasureRef],
      description: 'By instrument, BEFORE then AFTER.',
      select: { outcomes: true },
      resolve: (referral) =>
        [...referral.outcomes].sort((a, b) => a.instrument.localeCompare(b.instrument) || (a.timepoint === b.timepoint ? 0 : a.timepoint === 'BEFORE' ? -1 : 1)),
    }),
    messages: t.relation('messages', {
      description: 'Messages sent about this referral; for the referrer and admins (empty for providers).',
      query: (_args, context) => ({
        orderBy: { createdAt: 'asc' },
        ...(context.identity.kind === 'user' && context.identity.role === 'provider' ? { where: { id: { in: [] } } } : {}),
      }),
    }),
    firstResponseAt: t.expose('firstResponseAt', { type: 'DateTime', nullable: true, description: 'When the provider first answered.' }),
    followUpDueAt: t.expose('followUpDueAt', { type: 'DateTime', nullable: true, description: 'When the referrer should next get in touch with the person.' }),
    dueForFollowUp: t.boolean({
      resolve: (referral, _args, context) => referral.followUpDueAt !== null && referral.followUpDueAt.getTime() <= context.services.now().getTime(),
    }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    erasedAt: t.expose('erasedAt', { type: 'DateTime', nullable: true, description: 'When the personal data was erased; the anonymised record stays.' }),
    ageBand: t.exposeString('ageBand', { nullable: true, description: 'Anonymised: kept after erasure.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('referral', (t) =>
  t.prismaField({
    type: 'Referral',
    nullable: true,
    description:
      'One referral, or null when there is none you can see. Opening a SENT referral as its provider marks it RECEIVED. Signed-in users only; every read is audited.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, context) => {
      requireUser(context.identity);
      const id = String(args.id);
      const actor = actorOf(context.identity);
      const owner = await ownershipOf(context, id);
      if (!owner) return null;
      const part = partIn(owner, context.identity);
      if (!part) {
        await auditNow(context.db, actor, context.requestId, [{ action: 'READ', referralId: id, outcome: 'DENIED' }]);
        return null;
      }
      if (part === 'provider' && owner.status === 'SENT') {
        await changeStatus(context.db, { referralId: id, to: 'RECEIVED', part, actor, requestId: context.requestId, now: context.services.now() }).catch(
          (error: unknown) => {
            // Someone else at the provider opened it, or answered it, at the same moment: it has moved on already.
            const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
            if (code !== ErrorCode.CONFLICT && code !== ReferralErrorCode.INVALID_STATUS_TRANSITION) throw error;
          },
        );
      }
      await auditNow(context.db, actor, context.requestId, [{ action: 'READ', referralId: id }]);
      return context.db.referral.findUnique({ ...query, where: { id } });
    },
  }),
);

/** A professional's own caseload; a provider's referrals to their organisation; everything for an admin. */
function caseloadOf(context: ReferralContext): Prisma.ReferralWhereInput {
  const user = requireUser(context.identity);
  if (user.role === 'professional') return { referrerSubject: user.subject };
  return visibleTo(user);
}

function myReferralsWhere(
  context: ReferralContext,
  args: { status?: readonly ReferralStatus[] | null; dueForFollowUp?: boolean | null },
): Prisma.ReferralWhereInput {
  const now = context.services.now();
  return {
    AND: [
      caseloadOf(context),
      args.status && args.status.length > 0 ? { status: { in: [...args.status] } } : {},
      args.dueForFollowUp === true ? { followUpDueAt: { lte: now } } : {},
      args.dueForFollowUp === false ? { OR: [{ followUpDueAt: null }, { followUpDueAt: { gt: now } }] } : {},
    ],
  };
}

async function auditList(context: ReferralContext, rows: ReadonlyArray<{ id: string }>, detail: string) {
  await auditNow(
    context.db,
    actorOf(context.identity),
    context.requestId,
    rows.map((row) => ({ action: 'LIST' as const, referralId: row.id, detail })),
  );
}

builder.queryField('myReferrals', (t) =>
  t.prismaConnection(
    {
      type: 'Referral',
      cursor: 'id',
      defaultSize: 20,
      maxSize: 100,
      description:
        'Your caseload, newest first (Relay connection): for a professional, the referrals they made; for a provider, referrals to their organisation’s activities; for an admin, all. Filter by status, or to those due a follow-up.',
      args: {
        status: t.arg({ type: [ReferralStatusEnum], description: 'Only these statuses.' }),
        dueForFollowUp: t.arg.boolean({ description: 'true: only referrals due a follow-up now; false: only those not due.' }),
      },
      totalCount: (_connection, args, context) => context.db.referral.count({ where: myReferralsWhere(context, args) }),
      resolve: async (query, _root, args, context) => {
        const rows = await context.db.referral.findMany({ ...query, where: myReferralsWhere(context, args), orderBy: { id: 'desc' } });
        await auditList(context, rows, 'myReferrals');
        return rows;
      },
    },
    {
      name: 'MyReferralsConnection',
      fields: (connection) => ({
        followUpDueCount: connection.int({
          description: 'How many referrals in your whole caseload are due a follow-up now, whatever the filter.',
          resolve: (_parent, _args, context) =>
            context.db.referral.count({
              where: { AND: [caseloadOf(context), { followUpDueAt: { lte: context.services.now() } }] },
            }),
        }),
      }),
    },
    { name: 'MyReferralsEdge' },
  ),
);

builder.queryField('unactionedReferrals', (t) =>
  t.prismaConnection(
    {
      type: 'Referral',
      cursor: 'id',
      defaultSize: 50,
      maxSize: 200,
      description:
        'Referrals not yet received or accepted (SENT or RECEIVED) that were made more than the given number of working days (Monday to Friday) ago, oldest first. For referrers (the referrals they or their organisation made) and admins (all).',
      args: { olderThanWorkingDays: t.arg.int({ defaultValue: 6 }) },
      totalCount: (_connection, args, context) => context.db.referral.count({ where: unactionedWhere(context, args.olderThanWorkingDays) }),
      resolve: async (query, _root, args, context) => {
        const rows = await context.db.referral.findMany({ ...query, where: unactionedWhere(context, args.olderThanWorkingDays), orderBy: { id: 'asc' } });
        await auditList(context, rows, 'unactionedReferrals');
        return rows;
      },
    },
    { name: 'UnactionedReferralsConnection' },
    { name: 'UnactionedReferralsEdge' },
  ),
);

function unactionedWhere(context: ReferralContext, olderThanWorkingDays: number | null | undefined): Prisma.ReferralWhereInput {
  const user = requireRole(context.identity, 'professional', 'admin');
  const days = olderThanWorkingDays ?? 6;
  if (!Number.isInteger(days) || days < 0 || days > 260) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'olderThanWorkingDays must be a whole number from 0 to 260.', { field: 'olderThanWorkingDays' });
  }
  return {
    AND: [visibleTo(user), { status: { in: [...UNACTIONED_STATUSES] } }, { createdAt: { lte: addWorkingDays(context.services.now(), -days) } }],
  };
}
