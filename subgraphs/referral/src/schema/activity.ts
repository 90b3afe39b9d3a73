import { builder } from '../builder';

/** The directory's activity, owned by the provider subgraph; here only its key and what we add. */
export const ActivityRef = builder.externalRef('Activity', builder.selection<{ id: string }>('id')).implement({
  externalFields: (t) => ({ id: t.id({ nullable: false }) }),
  fields: (t) => ({
    referralCount: t.int({
      description: 'How many referrals have been made to this activity.',
      resolve: (activity, _args, context) => context.referralCounts.load(activity.id),
    }),
  }),
});
