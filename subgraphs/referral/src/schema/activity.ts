import { builder } from '../builder';
import type { Instrument, ItemSummary, OutcomeSummary } from '../domain/outcomes';
import { MINIMUM_CONTRIBUTORS } from '../domain/outcomes';
import type { ReferralStats } from '../loaders';
import { RESPONSE_WINDOW_DAYS } from '../loaders';
import { ReferralStatusEnum } from './enums';

const StatusCountRef = builder.objectRef<{ status: ReferralStats['byStatus'][number]['status']; count: number }>('ReferralStatusCount').implement({
  fields: (t) => ({
    status: t.field({ type: ReferralStatusEnum, resolve: (row) => row.status }),
    count: t.exposeInt('count'),
  }),
});

const ReferralStatsRef = builder.objectRef<ReferralStats>('ReferralStats').implement({
  description: 'How referrals to an activity have gone, as counts only: no personal data.',
  fields: (t) => ({
    total: t.exposeInt('total'),
    byStatus: t.field({ type: [StatusCountRef], resolve: (stats) => stats.byStatus }),
    responses: t.exposeInt('responses', {
      description: `How many referrals made in the last ${RESPONSE_WINDOW_DAYS} days the provider has answered (received, accepted or declined).`,
    }),
    medianDaysToFirstResponse: t.float({
      nullable: true,
      description: `The median days from a referral being sent to the provider's first answer, over the last ${RESPONSE_WINDOW_DAYS} days ("usually replies in 3 days"); null when there are none.`,
      resolve: (stats) => stats.medianDaysToFirstResponse,
    }),
  }),
});

export const OutcomeInstrumentRef = builder.objectRef<Instrument>('OutcomeInstrument').implement({
  description: 'An outcome measure this service records.',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    minimumScore: t.exposeInt('minimum', { description: 'The lowest score of each item.' }),
    maximumScore: t.exposeInt('maximum', { description: 'The highest score of each item.' }),
    items: t.stringList({ description: 'The questions, in the order scores are given.', resolve: (instrument) => instrument.items.map((item) => item.label) }),
    itemCodes: t.stringList({ resolve: (instrument) => instrument.items.map((item) => item.code) }),
    hasTotal: t.exposeBoolean('hasTotal'),
    licence: t.exposeString('licence', { nullable: true }),
  }),
});

const ItemSummaryRef = builder.objectRef<ItemSummary>('OutcomeItemSummary').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    meanBefore: t.exposeFloat('meanBefore'),
    meanAfter: t.exposeFloat('meanAfter'),
    meanChange: t.exposeFloat('meanChange'),
  }),
});

const TotalSummaryRef = builder.objectRef<NonNullable<OutcomeSummary['total']>>('OutcomeTotalSummary').implement({
  fields: (t) => ({
    meanBefore: t.exposeFloat('meanBefore'),
    meanAfter: t.exposeFloat('meanAfter'),
    meanChange: t.exposeFloat('meanChange'),
  }),
});

const OutcomeSummaryRef = builder.objectRef<OutcomeSummary>('OutcomeSummary').implement({
  description: `Anonymised before-and-after means for one instrument, over people who consented to anonymised research and gave both. Shown only when at least ${MINIMUM_CONTRIBUTORS} people contribute.`,
  fields: (t) => ({
    instrument: t.field({ type: OutcomeInstrumentRef, resolve: (summary) => summary.instrument }),
    available: t.boolean({ resolve: (summary) => summary.contributors !== null }),
    contributors: t.int({
      nullable: true,
      description: `How many people contributed; null when fewer than ${MINIMUM_CONTRIBUTORS}.`,
      resolve: (summary) => summary.contributors,
    }),
    items: t.field({ type: [ItemSummaryRef], resolve: (summary) => summary.items }),
    total: t.field({ type: TotalSummaryRef, nullable: true, resolve: (summary) => summary.total }),
  }),
});

/** The directory's activity, owned by the provider subgraph; here only its key and what we add. */
export const ActivityRef = builder.externalRef('Activity', builder.selection<{ id: string }>('id')).implement({
  externalFields: (t) => ({ id: t.id({ nullable: false }) }),
  fields: (t) => ({
    referralCount: t.int({
      description: 'How many referrals have been made to this activity.',
      resolve: (activity, _args, context) => context.loaders.referralCounts.load(activity.id),
    }),
    referralStats: t.field({
      type: ReferralStatsRef,
      description: 'Counts by status and how quickly the provider usually replies; no personal data.',
      resolve: (activity, _args, context) => context.loaders.referralStats.load(activity.id),
    }),
    outcomeSummary: t.field({
      type: [OutcomeSummaryRef],
      description: `One summary per instrument in use; each is withheld (available: false) until at least ${MINIMUM_CONTRIBUTORS} people contribute.`,
      resolve: (activity, _args, context) => context.loaders.outcomeSummaries.load(activity.id),
    }),
  }),
});

builder.queryField('outcomeInstruments', (t) =>
  t.field({
    type: [OutcomeInstrumentRef],
    description: 'The outcome measures this service records, with their questions and score ranges.',
    resolve: (_root, _args, context) => context.services.instruments.enabled(),
  }),
);
