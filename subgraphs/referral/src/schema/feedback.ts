// Follow-up feedback from the person, and outcome measures before and after, validated on input.
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import { actorOf } from '../domain/audit';
import { ReferralErrorCode } from '../domain/codes';
import { checkScores, scoresToColumn } from '../domain/outcomes';
import { OutcomeTimepointEnum } from './enums';
import { referralForChange, requirePart } from './guards';
import { newId } from '../domain/ids';

const RecordFeedbackInput = builder.inputType('RecordFeedbackInput', {
  fields: (t) => ({
    referralId: t.id({ required: true }),
    rating: t.int({ required: true, description: '1 (poor) to 5 (very good).' }),
    comment: t.string({ description: 'In the person’s words, up to 2000 characters.' }),
    shareWithProvider: t.boolean({ defaultValue: false, description: 'Whether the person agreed to the provider seeing it.' }),
    personConsented: t.boolean({ required: true, description: 'The person agreed to their feedback being recorded. Must be true.' }),
  }),
});

builder.mutationField('recordFeedback', (t) =>
  t.prismaField({
    type: 'Referral',
    description: 'Records the person’s follow-up feedback, with their consent (the referrer or an admin).',
    args: { input: t.arg({ type: RecordFeedbackInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const id = String(input.referralId);
      const { referral, part } = await referralForChange(context, id, 'FEEDBACK');
      requirePart(part, ['referrer', 'admin'], 'record feedback');
      if (input.personConsented !== true) {
        throw userError(ReferralErrorCode.CONSENT_REQUIRED, 'Feedback is recorded only with the person’s consent.', { field: 'personConsented' });
      }
      if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
        throw userError(ReferralErrorCode.RATING_OUT_OF_RANGE, 'rating must be a whole number from 1 to 5.', { field: 'rating' });
      }
      const comment = input.comment?.trim() || null;
      if (comment !== null && comment.length > 2000) {
        throw userError(ErrorCode.BAD_USER_INPUT, 'comment must be at most 2000 characters.', { field: 'comment' });
      }
      if (referral.erasedAt) throw userError(ReferralErrorCode.PERSONAL_DATA_ERASED, 'This referral’s personal data has been erased.');
      const now = context.services.now();
      const actor = actorOf(context.identity);
      await context.db.$transaction([
        context.db.referralFeedback.create({
          data: {
            referralId: id,
            rating: input.rating,
            comment,
            sharedWithProvider: input.shareWithProvider ?? false,
            recordedAt: now,
            recordedByRole: actor.actorRole,
            recordedBySubject: actor.actorSubject,
          },
        }),
        context.db.referralEvent.create({
          data: { id: newId(), referralId: id, at: now, kind: 'FEEDBACK_RECORDED', actorRole: actor.actorRole, actorSubject: actor.actorSubject, actorOrganizationId: actor.actorOrganizationId },
        }),
        context.db.auditEntry.create({ data: { id: newId(), ...actor, action: 'FEEDBACK', referralId: id, requestId: context.requestId } }),
      ]);
      return context.db.referral.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

const RecordOutcomeMeasureInput = builder.inputType('RecordOutcomeMeasureInput', {
  fields: (t) => ({
    referralId: t.id({ required: true }),
    instrument: t.string({ required: true, description: 'An instrument code from outcomeInstruments, such as ONS4 or SWEMWBS.' }),
    timepoint: t.field({ type: OutcomeTimepointEnum, required: true }),
    scores: t.intList({
      required: true,
      description: 'One score per item, in the instrument’s order: ONS4 four scores 0 to 10; SWEMWBS seven scores 1 to 5.',
    }),
  }),
});

builder.mutationField('recordOutcomeMeasure', (t) =>
  t.prismaField({
    type: 'Referral',
    description:
      'Records an outcome measure before or after the activity (the referrer, the provider or an admin). Recording the same instrument and timepoint again replaces it (a correction). Scores out of range are refused with OUTCOME_SCORE_OUT_OF_RANGE.',
    args: { input: t.arg({ type: RecordOutcomeMeasureInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const id = String(input.referralId);
      const { referral, part } = await referralForChange(context, id, 'OUTCOME');
      requirePart(part, ['referrer', 'provider', 'admin'], 'record outcome measures');
      const instrument = context.services.instruments.get(input.instrument.trim().toUpperCase());
      const { total } = checkScores(instrument, input.scores);
      const now = context.services.now();
      const actor = actorOf(context.identity);
      const measure = { scores: scoresToColumn(input.scores), total, recordedAt: now, recordedByRole: actor.actorRole, recordedBySubject: actor.actorSubject };
      await context.db.$transaction([
        context.db.outcomeMeasure.upsert({
          where: { referralId_instrument_timepoint: { referralId: id, instrument: instrument.code, timepoint: input.timepoint } },
          create: { referralId: id, activityId: referral.activityId, instrument: instrument.code, timepoint: input.timepoint, ...measure },
          update: measure,
        }),
        context.db.referralEvent.create({
          data: {
            id: newId(),
            referralId: id,
            at: now,
            kind: 'OUTCOME_RECORDED',
            reason: `${instrument.code}:${input.timepoint}`,
            actorRole: actor.actorRole,
            actorSubject: actor.actorSubject,
            actorOrganizationId: actor.actorOrganizationId,
          },
        }),
        context.db.auditEntry.create({ data: { id: newId(), ...actor, action: 'OUTCOME', referralId: id, detail: instrument.code, requestId: context.requestId } }),
      ]);
      return context.db.referral.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
