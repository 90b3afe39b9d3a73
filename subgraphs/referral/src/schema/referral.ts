import { ReferralStatus } from '@sp/prisma/referral';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import { ActivityRef } from './activity';

const ReferralStatusEnum = builder.enumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'Where a referral is in its lifecycle.',
});

builder.prismaObject('Referral', {
  description: 'A referral of a person to an activity.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.expose('status', { type: ReferralStatusEnum }),
    activity: t.field({
      type: ActivityRef,
      select: { activityId: true },
      resolve: (referral) => ({ id: referral.activityId }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('referral', (t) =>
  t.prismaField({
    type: 'Referral',
    nullable: true,
    description: 'One referral by id, or null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) => context.db.referral.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
);

const CreateReferralInput = builder.inputType('CreateReferralInput', {
  fields: (t) => ({
    activityId: t.id({ required: true, description: 'The activity the person is referred to.' }),
    idempotencyKey: t.string({
      description: 'Any unique string chosen by the client (8 to 128 characters). Sending the same key again returns the referral already made instead of a duplicate.',
    }),
  }),
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

builder.mutationField('createReferral', (t) =>
  t.prismaField({
    type: 'Referral',
    description: 'Refers a person to an activity. Safe to retry with the same idempotency key.',
    args: { input: t.arg({ type: CreateReferralInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const activityId = String(input.activityId).trim();
      if (activityId.length === 0 || activityId.length > 64) {
        throw userError(ErrorCode.BAD_USER_INPUT, 'activityId must be the id of an activity.', { field: 'activityId' });
      }
      const idempotencyKey = input.idempotencyKey ?? null;
      if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw userError(
          ErrorCode.BAD_USER_INPUT,
          'idempotencyKey must be 8 to 128 letters, digits or . _ : - characters.',
          { field: 'idempotencyKey' },
        );
      }
      if (idempotencyKey !== null) {
        const existing = await context.db.referral.findUnique({ ...query, where: { idempotencyKey } });
        if (existing) return sameRequestOrConflict(existing, activityId);
      }
      try {
        return await context.db.referral.create({ ...query, data: { activityId, idempotencyKey } });
      } catch (error) {
        // A concurrent request with the same key won the race: answer with its referral.
        if (idempotencyKey !== null && isUniqueViolation(error)) {
          const winner = await context.db.referral.findUniqueOrThrow({ ...query, where: { idempotencyKey } });
          return sameRequestOrConflict(winner, activityId);
        }
        throw error;
      }
    },
  }),
);

function sameRequestOrConflict<T extends { activityId: string }>(existing: T, activityId: string): T {
  if (existing.activityId !== activityId) {
    throw userError(
      ErrorCode.CONFLICT,
      'This idempotency key was already used for a different referral. Use a new key for a new referral.',
      { field: 'idempotencyKey' },
    );
  }
  return existing;
}
