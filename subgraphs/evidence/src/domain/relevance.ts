// Which published records apply to an activity, and in what order: by relevance (a direct link,
// then the activity's organisation, then its activity types and conditions), then strength,
// then publication date (newest first).
import type { EvidenceStrength } from '@sp/prisma/evidence';
import { strengthRank } from './labels';

/** What the directory says about an activity: federated in through `@requires`. */
export interface ActivityFacts {
  id: string;
  organizationId: string | null;
  activityTypes: readonly string[];
  conditions: readonly string[];
}

/** What ranking needs of a record. */
export interface RankableRecord {
  id: string;
  strength: EvidenceStrength;
  publicationDate: string | null;
  activityIds: readonly string[];
  organizationIds: readonly string[];
  activityTypes: readonly string[];
  conditions: readonly string[];
}

export const Relevance = {
  /** The record names this activity. */
  ACTIVITY: 4,
  /** The record names the activity's organisation. */
  ORGANIZATION: 3,
  /** The record shares an activity type and a condition with the activity. */
  TYPE_AND_CONDITION: 2,
  /** The record shares an activity type or a condition, and does not contradict the other. */
  TYPE_OR_CONDITION: 1,
  NONE: 0,
} as const;

export type Relevance = (typeof Relevance)[keyof typeof Relevance];

type Overlap = 'match' | 'conflict' | 'open';

/**
 * `match` when the two share a code; `conflict` when both name codes and none is shared; `open`
 * when either names none (a record about dance in general, or an activity for anyone).
 */
function overlap(recordCodes: readonly string[], activityCodes: readonly string[]): Overlap {
  if (recordCodes.length === 0 || activityCodes.length === 0) return 'open';
  return recordCodes.some((code) => activityCodes.includes(code)) ? 'match' : 'conflict';
}

/**
 * How strongly `record` applies to `activity`. A record matched on one dimension only applies if
 * it does not contradict the other: gardening evidence for Parkinson's is not shown for a dance
 * class for Parkinson's, but dance evidence for people in general is.
 */
export function relevanceOf(record: RankableRecord, activity: ActivityFacts): Relevance {
  if (record.activityIds.includes(activity.id)) return Relevance.ACTIVITY;
  if (activity.organizationId !== null && record.organizationIds.includes(activity.organizationId)) return Relevance.ORGANIZATION;
  const types = overlap(record.activityTypes, activity.activityTypes);
  const conditions = overlap(record.conditions, activity.conditions);
  if (types === 'match' && conditions === 'match') return Relevance.TYPE_AND_CONDITION;
  if ((types === 'match' && conditions === 'open') || (types === 'open' && conditions === 'match')) return Relevance.TYPE_OR_CONDITION;
  return Relevance.NONE;
}

/** Newest first; an undated record after every dated one. Partial dates compare as text ("2017" < "2017-04"). */
function compareDates(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? 1 : -1;
}

/** The records that apply to the activity, most relevant first; ties by strength, date, then id. */
export function rankForActivity<T extends RankableRecord>(records: readonly T[], activity: ActivityFacts): T[] {
  return records
    .map((record) => ({ record, relevance: relevanceOf(record, activity) }))
    .filter((entry) => entry.relevance > Relevance.NONE)
    .sort(
      (a, b) =>
        b.relevance - a.relevance ||
        strengthRank(b.record.strength) - strengthRank(a.record.strength) ||
        compareDates(a.record.publicationDate, b.record.publicationDate) ||
        (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0),
    )
    .map((entry) => entry.record);
}
