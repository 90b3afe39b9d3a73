// The published records that apply to each activity in a response, ranked, in two queries for
// the whole batch however many activities the gateway asks about: the candidates come from the
// published records held in memory (`published-evidence.ts`, one small query to check they are
// current), are ranked, and one query loads the chosen records with the fields the client selected.
import DataLoader from 'dataloader';
import type { EvidenceClient } from '@sp/prisma/evidence';
import { rankForActivity, type ActivityFacts } from '../domain/relevance';
import { createPublishedEvidence, type PublishedEvidence } from './published-evidence';

export interface EvidenceLookup {
  activity: ActivityFacts;
  /** At most this many records. */
  first: number;
  /** Pothos's Prisma selection for the records (the fields the client asked for). */
  query: object;
}

type LoadedRecord = Awaited<ReturnType<EvidenceClient['evidenceRecord']['findMany']>>[number];

/** Per request; `published` is shared by the server's requests (one is made when not given). */
export function createApplicableEvidenceLoader(db: EvidenceClient, published: PublishedEvidence = createPublishedEvidence(db)) {
  return new DataLoader<EvidenceLookup, LoadedRecord[], string>(
    async (lookups) => {
      const rankable = await published.candidatesFor(lookups.map((lookup) => lookup.activity));
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
        // Published again here: a record retracted since the candidates were read is not attached.
        const records = group.ids.size === 0 ? [] : await db.evidenceRecord.findMany({ ...group.query, where: { id: { in: [...group.ids] }, status: 'PUBLISHED' } });
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
