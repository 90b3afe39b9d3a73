// What ranking needs of every published record (its strength, date, links and topics), held in
// memory and indexed by what a record can match on, so that finding an activity's evidence does
// not query four tables on every request. It is kept exactly current, also when another process
// changes the records (another instance, the import tool, a sample reload): each use first reads
// a version of the records table in one small aggregate query, and reloads when it has moved.
//
// The version is the number of records, the sum of their revisions and the latest `updatedAt`.
// Every change that can alter the result moves it: creating or deleting a record changes the
// count; editing a record (which is the only way its links and topics change) and every status
// step (publish, retract, ...) increment its revision and set `updatedAt`, in the same
// transaction as the change.
import type { EvidenceClient } from '@sp/prisma/evidence';
import { TAXONOMY_IDS } from '@sp/prisma/reference/vocabularies';
import type { ActivityFacts, RankableRecord } from '../domain/relevance';

interface Snapshot {
  version: string;
  byActivity: Map<string, RankableRecord[]>;
  byOrganization: Map<string, RankableRecord[]>;
  byActivityType: Map<string, RankableRecord[]>;
  byCondition: Map<string, RankableRecord[]>;
}

function indexBy(records: readonly RankableRecord[], keysOf: (record: RankableRecord) => readonly string[]) {
  const index = new Map<string, RankableRecord[]>();
  for (const record of records) {
    for (const key of new Set(keysOf(record))) {
      const list = index.get(key);
      if (list) list.push(record);
      else index.set(key, [record]);
    }
  }
  return index;
}

async function versionOf(db: EvidenceClient): Promise<string> {
  const { _count, _sum, _max } = await db.evidenceRecord.aggregate({
    _count: { _all: true },
    _sum: { revision: true },
    _max: { updatedAt: true },
  });
  return `${_count._all}:${_sum.revision ?? 0}:${_max.updatedAt?.getTime() ?? 0}`;
}

async function load(db: EvidenceClient, version: string): Promise<Snapshot> {
  const rows = await db.evidenceRecord.findMany({
    where: { status: 'PUBLISHED' },
    select: {
      id: true,
      strength: true,
      publicationDate: true,
      activities: { select: { activityId: true } },
      organizations: { select: { organizationId: true } },
      topics: { select: { taxonomyId: true, code: true } },
    },
  });
  const records: RankableRecord[] = rows.map((record) => ({
    id: record.id,
    strength: record.strength,
    publicationDate: record.publicationDate,
    activityIds: record.activities.map((link) => link.activityId),
    organizationIds: record.organizations.map((link) => link.organizationId),
    activityTypes: record.topics.filter((topic) => topic.taxonomyId === TAXONOMY_IDS.activityType).map((topic) => topic.code),
    conditions: record.topics.filter((topic) => topic.taxonomyId === TAXONOMY_IDS.condition).map((topic) => topic.code),
  }));
  return {
    version,
    byActivity: indexBy(records, (record) => record.activityIds),
    byOrganization: indexBy(records, (record) => record.organizationIds),
    byActivityType: indexBy(records, (record) => record.activityTypes),
    byCondition: indexBy(records, (record) => record.conditions),
  };
}

export interface PublishedEvidence {
  /**
   * The published records linked to any of the activities, their organisations, activity types
   * or conditions (the candidates ranking picks from), as of now.
   */
  candidatesFor(activities: readonly ActivityFacts[]): Promise<RankableRecord[]>;
}

/** One per server: shared by every request, and current at every call. */
export function createPublishedEvidence(db: EvidenceClient): PublishedEvidence {
  let snapshot: Snapshot | undefined;
  let loading: { version: string; promise: Promise<Snapshot> } | undefined;

  async function current(): Promise<Snapshot> {
    // Read the version before the records: a change that lands in between makes the next call
    // reload, never leaves stale records under a newer version.
    const version = await versionOf(db);
    if (snapshot?.version === version) return snapshot;
    if (loading?.version !== version) {
      const promise = load(db, version).then(
        (loaded) => {
          snapshot = loaded;
          return loaded;
        },
        (error: unknown) => {
          if (loading?.promise === promise) loading = undefined;
          throw error;
        },
      );
      loading = { version, promise };
    }
    return loading.promise;
  }

  return {
    async candidatesFor(activities) {
      const { byActivity, byOrganization, byActivityType, byCondition } = await current();
      const found = new Set<RankableRecord>();
      const add = (records: readonly RankableRecord[] | undefined) => records?.forEach((record) => found.add(record));
      for (const activity of activities) {
        add(byActivity.get(activity.id));
        if (activity.organizationId) add(byOrganization.get(activity.organizationId));
        for (const code of activity.activityTypes) add(byActivityType.get(code));
        for (const code of activity.conditions) add(byCondition.get(code));
      }
      return [...found];
    },
  };
}
