// The directory's activity, owned by the provider subgraph. The evidence subgraph adds
// `evidence`, which needs to know the activity's organisation, activity types and conditions:
// it declares them @external and @requires them, so the gateway fetches them from the provider
// first and hands them over with the activity's key. This subgraph never calls the provider.
import { builder } from '../builder';
import type { ActivityFacts } from '../domain/relevance';

/** A directory vocabulary term; here only its code, which the provider resolves. */
export const TaxonomyTermRef = builder.objectRef<{ code: string }>('TaxonomyTerm').implement({
  fields: (t) => ({ code: t.exposeString('code', { directives: { external: {} } }) }),
});

/** A directory organisation; here only its id, which the provider resolves. */
export const OrganizationRef = builder.objectRef<{ id: string }>('Organization').implement({
  fields: (t) => ({ id: t.exposeID('id', { directives: { external: {} } }) }),
});

interface DirectoryFacts {
  activityTypes?: Array<{ code: string }> | null;
  conditions?: Array<{ code: string }> | null;
  organization?: { id: string } | null;
}

const REQUIRED_FACTS = 'activityTypes { code } conditions { code } organization { id }';

function factsOf(activity: { id: string } & DirectoryFacts): ActivityFacts {
  return {
    id: activity.id,
    organizationId: activity.organization?.id ?? null,
    activityTypes: (activity.activityTypes ?? []).map((term) => term.code),
    conditions: (activity.conditions ?? []).map((term) => term.code),
  };
}

export const ActivityRef = builder.externalRef('Activity', builder.selection<{ id: string }>('id')).implement({
  externalFields: (t) => ({
    id: t.id({ nullable: false }),
    activityTypes: t.field({ type: [TaxonomyTermRef] }),
    conditions: t.field({ type: [TaxonomyTermRef] }),
    organization: t.field({ type: OrganizationRef }),
  }),
  fields: (t) => ({
    evidence: t.prismaField({
      type: ['EvidenceRecord'],
      description:
        'Published evidence that applies to this activity: records about it, then about its organisation, then about its activity types and conditions (both, then one); stronger and newer first within each.',
      requires: builder.selection<DirectoryFacts>(REQUIRED_FACTS),
      args: { first: t.arg.int({ defaultValue: 5, description: 'At most this many records (1 to 50).' }) },
      resolve: (query, activity, args, context) =>
        context.applicableEvidence.load({
          activity: factsOf(activity),
          first: Math.min(Math.max(args.first ?? 5, 1), 50),
          query,
        }),
    }),
  }),
});
