import { builder } from '../builder';

/** The directory's activity, owned by the provider subgraph; here only its key and its evidence. */
export const ActivityRef = builder.externalRef('Activity', builder.selection<{ id: string }>('id')).implement({
  externalFields: (t) => ({ id: t.id({ nullable: false }) }),
  fields: (t) => ({
    evidence: t.prismaField({
      type: ['EvidenceRecord'],
      description: 'Evidence records that apply to this activity, newest first.',
      args: { first: t.arg.int({ defaultValue: 5, description: 'At most this many records (1 to 50).' }) },
      resolve: async (query, activity, args, context) => {
        const first = Math.min(Math.max(args.first ?? 5, 1), 50);
        const ids = await context.evidenceIdsByActivity.load(activity.id);
        if (ids.length === 0) return [];
        return context.db.evidenceRecord.findMany({
          ...query,
          where: { id: { in: ids } },
          orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
          take: first,
        });
      },
    }),
  }),
});
