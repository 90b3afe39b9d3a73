// The content of an evidence record, as the curation code handles it: plain values, lists of
// codes and ids, and the outcomes in order. The GraphQL input and the import file both map to
// `RecordInput`; validation turns it into complete `RecordFields`.
import type { EvidenceStrength, OutcomeDirection, StudyType } from '@sp/prisma/evidence';

export interface OutcomeFields {
  measured: string;
  measure: string;
  statement: string | null;
  figure: number | null;
  figureHigh: number | null;
  unit: string | null;
  direction: OutcomeDirection;
  comparison: string | null;
}

export interface RecordFields {
  title: string;
  summary: string;
  keyFinding: string;
  citation: string;
  url: string | null;
  doi: string | null;
  publisher: string | null;
  publicationDate: string | null;
  studyType: StudyType;
  strength: EvidenceStrength;
  strengthReason: string;
  ageGroup: string | null;
  setting: string | null;
  region: string | null;
  sampleSize: number | null;
  sampleDescription: string | null;
  limitations: string | null;
  activityTypes: string[];
  conditions: string[];
  organizationIds: string[];
  activityIds: string[];
  outcomes: OutcomeFields[];
}

/** An outcome as given: anything may be missing, so that validation can say what is. */
export interface OutcomeInput {
  measured?: string | null;
  measure?: string | null;
  statement?: string | null;
  figure?: number | null;
  figureHigh?: number | null;
  unit?: string | null;
  direction?: OutcomeDirection | null;
  comparison?: string | null;
}

export interface PopulationInput {
  ageGroup?: string | null;
  setting?: string | null;
  region?: string | null;
}

/**
 * A record as given. On create every required field must be there; on update a field left out
 * keeps its value, `null` clears an optional one, and a list given replaces the old list.
 */
export interface RecordInput {
  title?: string | null;
  summary?: string | null;
  keyFinding?: string | null;
  citation?: string | null;
  url?: string | null;
  doi?: string | null;
  publisher?: string | null;
  publicationDate?: string | null;
  studyType?: StudyType | null;
  strength?: EvidenceStrength | null;
  strengthReason?: string | null;
  population?: PopulationInput | null;
  sampleSize?: number | null;
  sampleDescription?: string | null;
  limitations?: string | null;
  activityTypes?: readonly string[] | null;
  conditions?: readonly string[] | null;
  organizationIds?: readonly string[] | null;
  activityIds?: readonly string[] | null;
  outcomes?: readonly OutcomeInput[] | null;
}

/** The order fields appear in a revision's list of changes. */
export const FIELD_ORDER = [
  'title',
  'summary',
  'keyFinding',
  'citation',
  'url',
  'doi',
  'publisher',
  'publicationDate',
  'studyType',
  'strength',
  'strengthReason',
  'ageGroup',
  'setting',
  'region',
  'sampleSize',
  'sampleDescription',
  'limitations',
  'activityTypes',
  'conditions',
  'organizationIds',
  'activityIds',
  'outcomes',
] as const satisfies ReadonlyArray<keyof RecordFields>;

export const OUTCOME_FIELD_ORDER = [
  'measured',
  'measure',
  'statement',
  'figure',
  'figureHigh',
  'unit',
  'direction',
  'comparison',
] as const satisfies ReadonlyArray<keyof OutcomeFields>;

/** The record's content in the shape of an input: for export, and for tests that round-trip. */
export function recordFieldsAsInput(fields: RecordFields): RecordInput {
  const { ageGroup, setting, region, ...rest } = fields;
  return { ...rest, population: { ageGroup, setting, region }, outcomes: fields.outcomes.map((outcome) => ({ ...outcome })) };
}
