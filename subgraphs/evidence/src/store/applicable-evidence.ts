// The published records that apply to each activity in a response, ranked, in two queries for
// the whole batch however many activities the gateway asks about: one finds and ranks the
// candidates, one loads the chosen records with the fields the client selected.
import DataLoader from 'dataloader';
import type { EvidenceClient, Prisma } from '@sp/prisma/evidence';
import { TAXONOMY_IDS } from '@sp/prisma/reference/vocabularies';
import { rankForActivity, type ActivityFacts, type RankableRecord } from '../domain/relevance';

export interface EvidenceLookup {
  activity: ActivityFacts;
  /** At most this many records. */
  first: number;
  /** Pothos's Prisma selection for the records (the fields the client asked for). */
  query: object;
}

type LoadedRecord = Awaited<ReturnType<EvidenceClient['evidenceRecord']['findMany']>>[number];

const unique = (values: Iterable<string>) => [...new Set(values)];

export function createApplicableEvidenceLoader(db: EvidenceClient) {
  return new DataLoader<EvidenceLookup, LoadedRecord[], string>(
    async (lookups) => {
      const activityIds = unique(lookups.map((lookup) => lookup.activity.id));
      const organizationIds = unique(lookups.flatMap((lookup) => (lookup.activity.organizationId ? [lookup.activity.organizationId] : [])));
      const activityTypes = unique(lookups.flatMap((lookup) => lookup.activity.activityTypes));
      const conditions = unique(lookups.flatMap((lookup) => lookup.activity.conditions));

      const anyLink: Prisma.EvidenceRecordWhereInput[] = [{ activities: { some: { activityId: { in: activityIds } } } }];
      if (organizationIds.length > 0) anyLink.push({ organizations: { some: { organizationId: { in: organizationIds } } } });
      if (activityTypes.length > 0) anyLink.push({ topics: { some: { taxonomyId: TAXONOMY_IDS.activityType, code: { in: activityTypes } } } });
      if (conditions.length > 0) anyLink.push({ topics: { some: { taxonomyId: TAXONOMY_IDS.condition, code: { in: conditions } } } });

      const candidates = await db.evidenceRecord.findMany({
        where: { status: 'PUBLISHED', OR: anyLink },
        select: {
          id: true,
          strength: true,
          publicationDate: true,
          activities: { where: { activityId: { in: activityIds } }, select: { activityId: true } },
          organizations: { where: { organizationId: { in: organizationIds } }, select: { organizationId: true } },
          topics: { select: { taxonomyId: true, code: true } },
        },
      });
      const rankable: RankableRecord[] = candidates.map((record) => ({
        id: record.id,
        strength: record.strength,
        publicationDate: record.publicationDate,
        activityIds: record.activities.map((link) => link.activityId),
        organizationIds: record.organizations.map((link) => link.organizationId),
        activityTypes: record.topics.filter((topic) => topic.taxonomyId === TAXONOMY_IDS.activityType).map((topic) => topic.code),
        conditions: record.topics.filter((topic) => topic.taxonomyId === TAXONOMY_IDS.condition).map((topic) => topic.code),
      }));
      const chosen = lookups.map((lookup) => rankForActivity(rankable, lookup.activity).slice(0, lookup.first).map((record) => record.id));

      // One query per distinct selection (in practice one per request).
      const bySelection = new Map<string, { query: object; ids: Set<string> }>();
      lookups.forEach((lookup, index) => {
        const key = JSON.stringify(lookup.query);
        const group = bySelection.get(key) ?? { query: lookup.query, ids: new Set<string>() };
        for (const id of chosen[index] ?? []) group.ids.add(id);
        bySelection.set(key, group);
      });
      const loaded = new Map<string, Map<string, LoadedRecord>>();
      for (const [key, group] of bySelection) {
        const records = group.ids.size === 0 ? [] : await db.evidenceRecord.findMany({ ...group.query, where: { id: { in: [...group.ids] } } });
        loaded.set(key, new Map(records.map((record) => [record.id, record])));
      }
      return lookups.map((lookup, index) => {
        const records = loaded.get(JSON.stringify(lookup.query));
        return (chosen[index] ?? []).flatMap((id) => {
          const record = records?.get(id);
          return record ? [record] : [];
        });
      });
    },
    { cacheKeyFn: (lookup) => JSON.stringify([lookup.activity, lookup.first, lookup.query]) },
  );
}

export type ApplicableEvidenceLoader = ReturnType<typeof createApplicableEvidenceLoader>;
