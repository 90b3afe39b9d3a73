// Turns a record as given into a complete, valid record, or refuses it with a specific code and
// the field at fault. Pure: the same input, current record and clock give the same answer, so the
// API and the import share it and tests need no database.
import type { EvidenceStrength, OutcomeDirection, StudyType } from '@sp/prisma/evidence';
import { TAXONOMY_IDS, termCodes, type TaxonomyId } from '@sp/prisma/reference/vocabularies';
import { EvidenceErrorCode, fieldError } from './errors';
import type { OutcomeFields, OutcomeInput, RecordFields, RecordInput } from './record-fields';

const LIMITS = {
  title: 300,
  summary: 4000,
  keyFinding: 160,
  citation: 2000,
  url: 2000,
  doi: 300,
  publisher: 300,
  strengthReason: 1000,
  ageGroup: 200,
  setting: 500,
  region: 500,
  sampleDescription: 1000,
  limitations: 4000,
  outcomeText: 500,
  statement: 1000,
  unit: 100,
  id: 100,
  outcomes: 50,
  topics: 30,
  links: 500,
} as const;

const STUDY_TYPES: ReadonlySet<string> = new Set<StudyType>([
  'SYSTEMATIC_REVIEW',
  'META_ANALYSIS',
  'RANDOMISED_CONTROLLED_TRIAL',
  'COHORT_OR_BEFORE_AFTER',
  'QUALITATIVE',
  'SERVICE_EVALUATION',
  'SOCIAL_RETURN_ON_INVESTMENT',
  'CASE_STUDY',
  'PARTICIPANT_TESTIMONY',
]);
const STRENGTHS: ReadonlySet<string> = new Set<EvidenceStrength>(['HIGH', 'MODERATE', 'LOW', 'VERY_LOW']);
const DIRECTIONS: ReadonlySet<string> = new Set<OutcomeDirection>([
  'INCREASE',
  'DECREASE',
  'IMPROVEMENT',
  'WORSENING',
  'NO_CHANGE',
  'MIXED',
  'INCONCLUSIVE',
  'NOT_STATED',
]);

/** Trims; blank becomes null. */
function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function required(value: string | null | undefined, field: string, max: number): string {
  const text = clean(value);
  if (text === null) throw fieldError(EvidenceErrorCode.INVALID_FIELD, field, `${field} is required.`);
  return limited(text, field, max);
}

function optional(value: string | null | undefined, field: string, max: number): string | null {
  const text = clean(value);
  return text === null ? null : limited(text, field, max);
}

function limited(text: string, field: string, max: number): string {
  if (text.length > max) {
    throw fieldError(EvidenceErrorCode.INVALID_FIELD, field, `${field} is too long: at most ${max} characters.`);
  }
  return text;
}

function oneOf<T extends string>(value: string | null | undefined, allowed: ReadonlySet<string>, field: string): T {
  if (value === null || value === undefined) throw fieldError(EvidenceErrorCode.INVALID_FIELD, field, `${field} is required.`);
  if (!allowed.has(value)) {
    throw fieldError(EvidenceErrorCode.INVALID_FIELD, field, `${field} must be one of ${[...allowed].join(', ')}.`);
  }
  return value as T;
}

/** http(s) only: other schemes (javascript:, file:) have no place in a public record. */
export function checkUrl(value: string | null | undefined, field = 'url'): string | null {
  const text = optional(value, field, LIMITS.url);
  if (text === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw fieldError(EvidenceErrorCode.INVALID_URL, field, `${field} is not a web address: give it in full, starting https://.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw fieldError(EvidenceErrorCode.INVALID_URL, field, `${field} must start with https:// or http://.`);
  }
  return text;
}

const DOI_PATTERN = /^10\.\d{4,9}\/\S+$/;
const DOI_PREFIXES = [/^https?:\/\/(dx\.)?doi\.org\//i, /^doi:\s*/i];

/**
 * A DOI, stored bare ("10.1000/182"): a doi.org link or a "doi:" prefix is accepted and removed.
 * Anything else is INVALID_DOI.
 */
export function checkDoi(value: string | null | undefined, field = 'doi'): string | null {
  let text = optional(value, field, LIMITS.doi);
  if (text === null) return null;
  for (const prefix of DOI_PREFIXES) text = text.replace(prefix, '');
  try {
    text = decodeURIComponent(text);
  } catch {
    // Left as it is: the pattern below decides.
  }
  if (!DOI_PATTERN.test(text)) {
    throw fieldError(
      EvidenceErrorCode.INVALID_DOI,
      field,
      `${field} is not a DOI. A DOI starts with "10.", a number, a slash and the item's own part, as in 10.1000/182.`,
    );
  }
  return text;
}

const DATE_PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * A publication date as precise as the source gives it: "2017", "2023-03" or "2026-01-03".
 * Refused when malformed (INVALID_PUBLICATION_DATE) or when it starts after `now`
 * (PUBLICATION_DATE_IN_FUTURE): the current year or month is allowed.
 */
export function checkPublicationDate(value: string | null | undefined, now: Date, field = 'publicationDate'): string | null {
  const text = clean(value);
  if (text === null) return null;
  const match = DATE_PATTERN.exec(text);
  const year = Number(match?.[1]);
  const month = match?.[2] === undefined ? 1 : Number(match[2]);
  const day = match?.[3] === undefined ? 1 : Number(match[3]);
  const start = new Date(Date.UTC(year, month - 1, day));
  const valid =
    match !== null &&
    year >= 1800 &&
    start.getUTCFullYear() === year &&
    start.getUTCMonth() === month - 1 &&
    start.getUTCDate() === day;
  if (!valid) {
    throw fieldError(
      EvidenceErrorCode.INVALID_PUBLICATION_DATE,
      field,
      `${field} must be a real date written as a year (2017), a year and month (2023-03) or a full date (2026-01-03).`,
    );
  }
  if (start.getTime() > now.getTime()) {
    throw fieldError(EvidenceErrorCode.PUBLICATION_DATE_IN_FUTURE, field, `${field} is in the future: evidence must already be published.`);
  }
  return text;
}

function checkTerms(taxonomy: TaxonomyId, codes: readonly string[], field: string): string[] {
  const known = termCodes(taxonomy);
  const unique = [...new Set(codes.map((code) => code.trim()))];
  const unknown = unique.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw fieldError(
      EvidenceErrorCode.UNKNOWN_TAXONOMY_TERM,
      field,
      `${field} has ${unknown.length === 1 ? 'a code' : 'codes'} the directory does not use: ${unknown.join(', ')}. ` +
        `Use codes from the ${taxonomy} vocabulary.`,
    );
  }
  if (unique.length > LIMITS.topics) {
    throw fieldError(EvidenceErrorCode.INVALID_FIELD, field, `${field} has too many codes: at most ${LIMITS.topics}.`);
  }
  return unique;
}

/** One code of a vocabulary, for filters and summaries: UNKNOWN_TAXONOMY_TERM when the directory does not use it. */
export function checkTermCode(taxonomy: TaxonomyId, code: string | null | undefined, field: string): void {
  if (code === null || code === undefined) return;
  if (!termCodes(taxonomy).has(code)) {
    throw fieldError(EvidenceErrorCode.UNKNOWN_TAXONOMY_TERM, field, `${field} "${code}" is not a code the directory uses (vocabulary ${taxonomy}).`);
  }
}

function checkIds(ids: readonly string[], field: string): string[] {
  const unique = [...new Set(ids.map((id) => id.trim()))];
  if (unique.some((id) => id === '' || id.length > LIMITS.id)) {
    throw fieldError(EvidenceErrorCode.INVALID_FIELD, field, `${field} must be directory ids (not blank, at most ${LIMITS.id} characters).`);
  }
  if (unique.length > LIMITS.links) {
    throw fieldError(EvidenceErrorCode.INVALID_FIELD, field, `${field} has too many ids: at most ${LIMITS.links}.`);
  }
  return unique;
}

function checkNumber(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value)) throw fieldError(EvidenceErrorCode.INVALID_FIGURE, field, `${field} must be a number.`);
  return value;
}

function checkOutcome(outcome: OutcomeInput, index: number): OutcomeFields {
  const at = (name: string) => `outcomes[${index}].${name}`;
  const measured = required(outcome.measured, at('measured'), LIMITS.outcomeText);
  const measure = clean(outcome.measure);
  if (measure === null) {
    throw fieldError(
      EvidenceErrorCode.OUTCOME_MEASURE_REQUIRED,
      at('measure'),
      `Outcome ${index + 1} ("${measured}") has no measure: say how it was measured, such as "GP consultation rate" or "interviews".`,
    );
  }
  const figure = checkNumber(outcome.figure, at('figure'));
  const figureHigh = checkNumber(outcome.figureHigh, at('figureHigh'));
  const unit = optional(outcome.unit, at('unit'), LIMITS.unit);
  if (figureHigh !== null && figure === null) {
    throw fieldError(EvidenceErrorCode.INVALID_FIGURE, at('figureHigh'), `Outcome ${index + 1} has the top of a range but no figure to start it.`);
  }
  if (figure !== null && figureHigh !== null && figureHigh < figure) {
    throw fieldError(EvidenceErrorCode.INVALID_FIGURE, at('figureHigh'), `Outcome ${index + 1}: the top of the range is below its start.`);
  }
  if (figure !== null && unit === null) {
    throw fieldError(EvidenceErrorCode.INVALID_FIGURE, at('unit'), `Outcome ${index + 1} has a figure without a unit: say what it counts, such as "%".`);
  }
  return {
    measured,
    measure: limited(measure, at('measure'), LIMITS.outcomeText),
    statement: optional(outcome.statement, at('statement'), LIMITS.statement),
    figure,
    figureHigh,
    unit,
    direction: oneOf<OutcomeDirection>(outcome.direction, DIRECTIONS, at('direction')),
    comparison: optional(outcome.comparison, at('comparison'), LIMITS.outcomeText),
  };
}

/** `given` when the input has the key (even as null), else the current value. */
function pick<K extends keyof RecordInput, V>(input: RecordInput, key: K, current: V): RecordInput[K] | V {
  return key in input && input[key] !== undefined ? input[key] : current;
}

/**
 * The complete record after applying `input` to `current` (null when creating), validated.
 * Throws a user error with a specific code and `field` at the first problem.
 */
export function validateRecord(input: RecordInput, current: RecordFields | null, now: Date = new Date()): RecordFields {
  const population = input.population === undefined ? undefined : (input.population ?? {});
  const fromPopulation = (key: 'ageGroup' | 'setting' | 'region') =>
    population === undefined || !(key in population) || population[key] === undefined ? (current?.[key] ?? null) : population[key];

  const keyFinding = required(pick(input, 'keyFinding', current?.keyFinding), 'keyFinding', LIMITS.keyFinding);
  if (/[\r\n]/.test(keyFinding)) {
    throw fieldError(EvidenceErrorCode.INVALID_FIELD, 'keyFinding', 'keyFinding must be one line: it is shown in chat.');
  }
  const sampleSize = pick(input, 'sampleSize', current?.sampleSize ?? null);
  if (sampleSize !== null && sampleSize !== undefined && (!Number.isInteger(sampleSize) || sampleSize < 0 || sampleSize > 100_000_000)) {
    throw fieldError(EvidenceErrorCode.INVALID_FIELD, 'sampleSize', 'sampleSize must be a whole number, 0 or more.');
  }
  const outcomes = pick(input, 'outcomes', current?.outcomes ?? []) ?? [];
  if (outcomes.length > LIMITS.outcomes) {
    throw fieldError(EvidenceErrorCode.INVALID_FIELD, 'outcomes', `A record can have at most ${LIMITS.outcomes} outcomes.`);
  }

  return {
    title: required(pick(input, 'title', current?.title), 'title', LIMITS.title),
    summary: required(pick(input, 'summary', current?.summary), 'summary', LIMITS.summary),
    keyFinding: keyFinding.replace(/\.$/, ''),
    citation: required(pick(input, 'citation', current?.citation), 'citation', LIMITS.citation),
    url: checkUrl(pick(input, 'url', current?.url ?? null)),
    doi: checkDoi(pick(input, 'doi', current?.doi ?? null)),
    publisher: optional(pick(input, 'publisher', current?.publisher ?? null), 'publisher', LIMITS.publisher),
    publicationDate: checkPublicationDate(pick(input, 'publicationDate', current?.publicationDate ?? null), now),
    studyType: oneOf<StudyType>(pick(input, 'studyType', current?.studyType), STUDY_TYPES, 'studyType'),
    strength: oneOf<EvidenceStrength>(pick(input, 'strength', current?.strength), STRENGTHS, 'strength'),
    strengthReason: required(pick(input, 'strengthReason', current?.strengthReason), 'strengthReason', LIMITS.strengthReason),
    ageGroup: optional(fromPopulation('ageGroup'), 'population.ageGroup', LIMITS.ageGroup),
    setting: optional(fromPopulation('setting'), 'population.setting', LIMITS.setting),
    region: optional(fromPopulation('region'), 'population.region', LIMITS.region),
    sampleSize: sampleSize ?? null,
    sampleDescription: optional(pick(input, 'sampleDescription', current?.sampleDescription ?? null), 'sampleDescription', LIMITS.sampleDescription),
    limitations: optional(pick(input, 'limitations', current?.limitations ?? null), 'limitations', LIMITS.limitations),
    activityTypes: checkTerms(TAXONOMY_IDS.activityType, pick(input, 'activityTypes', current?.activityTypes ?? []) ?? [], 'activityTypes'),
    conditions: checkTerms(TAXONOMY_IDS.condition, pick(input, 'conditions', current?.conditions ?? []) ?? [], 'conditions'),
    organizationIds: checkIds(pick(input, 'organizationIds', current?.organizationIds ?? []) ?? [], 'organizationIds'),
    activityIds: checkIds(pick(input, 'activityIds', current?.activityIds ?? []) ?? [], 'activityIds'),
    outcomes: outcomes.map(checkOutcome),
  };
}
