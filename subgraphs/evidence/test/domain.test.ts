// The rules without a database: validation and its error codes, the workflow, ranking,
// field-level history and the wording people read.
import { describe, expect, it } from 'vitest';
import { diffRecords } from '../src/domain/history';
import type { RecordFields, RecordInput } from '../src/domain/record-fields';
import { rankForActivity, relevanceOf, Relevance, type ActivityFacts, type RankableRecord } from '../src/domain/relevance';
import { checkDoi, checkPublicationDate, validateRecord } from '../src/domain/validation';
import { figureText, headlineOf, resultText } from '../src/domain/wording';
import { assertEditable, assertMayPublish, nextStatus } from '../src/domain/workflow';
import { VALID_INPUT } from './support/records';

const NOW = new Date('2026-11-21T12:00:00Z');


/** The error a function throws, for asserting on its code and field. */
function errorOf(run: () => unknown): { code?: unknown; field?: unknown; message: string } {
  try {
    run();
  } catch (error) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions ?? {};
    return { code: extensions.code, field: extensions.field, message: (error as Error).message };
  }
  throw new Error('expected an error');
}

describe('validating a record', () => {
  it('accepts a complete record, trimming text and dropping a trailing full stop from the key finding', () => {
    const fields = validateRecord({ ...VALID_INPUT, title: '  Spaced  ' }, null, NOW);
    expect(fields.title).toBe('Spaced');
    expect(fields.keyFinding).toBe('dance improved balance in people with Parkinson’s');
    expect(fields.outcomes[0]).toMatchObject({ measure: 'Berg Balance Scale', statement: null, comparison: null });
  });

  it.each([
    ['a DOI that is not a DOI', { doi: 'not-a-doi' }, 'INVALID_DOI', 'doi'],
    ['a DOI without its suffix', { doi: '10.1000/' }, 'INVALID_DOI', 'doi'],
    ['a web address that is not one', { url: 'example dot org' }, 'INVALID_URL', 'url'],
    ['a javascript: address', { url: 'javascript:alert(1)' }, 'INVALID_URL', 'url'],
    ['a publication date in the future', { publicationDate: '2027-01-01' }, 'PUBLICATION_DATE_IN_FUTURE', 'publicationDate'],
    ['a publication year in the future', { publicationDate: '2027' }, 'PUBLICATION_DATE_IN_FUTURE', 'publicationDate'],
    ['a date that does not exist', { publicationDate: '2023-02-30' }, 'INVALID_PUBLICATION_DATE', 'publicationDate'],
    ['a date in another format', { publicationDate: '03/01/2026' }, 'INVALID_PUBLICATION_DATE', 'publicationDate'],
    ['an outcome without a measure', { outcomes: [{ measured: 'Mood', direction: 'IMPROVEMENT' }] }, 'OUTCOME_MEASURE_REQUIRED', 'outcomes[0].measure'],
    ['an outcome with a blank measure', { outcomes: [{ measured: 'Mood', measure: '  ', direction: 'IMPROVEMENT' }] }, 'OUTCOME_MEASURE_REQUIRED', 'outcomes[0].measure'],
    ['a figure without a unit', { outcomes: [{ measured: 'Mood', measure: 'Scale', figure: 3, direction: 'IMPROVEMENT' }] }, 'INVALID_FIGURE', 'outcomes[0].unit'],
    ['a range that runs backwards', { outcomes: [{ measured: 'Return', measure: 'SROI', figure: 11, figureHigh: 4, unit: '£', direction: 'NOT_STATED' }] }, 'INVALID_FIGURE', 'outcomes[0].figureHigh'],
    ['an unknown activity type', { activityTypes: ['dance', 'skydiving'] }, 'UNKNOWN_TAXONOMY_TERM', 'activityTypes'],
    ['an unknown condition', { conditions: ['parkinsons', 'gout'] }, 'UNKNOWN_TAXONOMY_TERM', 'conditions'],
    ['a condition code given as an activity type', { activityTypes: ['parkinsons'] }, 'UNKNOWN_TAXONOMY_TERM', 'activityTypes'],
    ['a missing citation', { citation: ' ' }, 'BAD_USER_INPUT', 'citation'],
    ['a key finding over two lines', { keyFinding: 'one\ntwo' }, 'BAD_USER_INPUT', 'keyFinding'],
    ['a negative sample size', { sampleSize: -3 }, 'BAD_USER_INPUT', 'sampleSize'],
  ] as const)('refuses %s with %s', (_name, change, code, field) => {
    const error = errorOf(() => validateRecord({ ...VALID_INPUT, ...change } as RecordInput, null, NOW));
    expect(error).toMatchObject({ code, field });
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('names the unknown codes in its message', () => {
    expect(errorOf(() => validateRecord({ ...VALID_INPUT, activityTypes: ['skydiving'] }, null, NOW)).message).toContain('skydiving');
  });

  it('keeps a DOI bare, accepting a doi.org link or a doi: prefix', () => {
    expect(checkDoi('https://doi.org/10.1186/s12875-025-03156-7')).toBe('10.1186/s12875-025-03156-7');
    expect(checkDoi('doi:10.3389/fpubh.2024.1412306')).toBe('10.3389/fpubh.2024.1412306');
    expect(checkDoi('')).toBeNull();
  });

  it('allows the current year and month, and partial dates', () => {
    expect(checkPublicationDate('2026', NOW)).toBe('2026');
    expect(checkPublicationDate('2026-11', NOW)).toBe('2026-11');
    expect(checkPublicationDate('2026-11-21', NOW)).toBe('2026-11-21');
    expect(errorOf(() => checkPublicationDate('2026-11-22', NOW)).code).toBe('PUBLICATION_DATE_IN_FUTURE');
  });

  it('on update, keeps what the input leaves out, clears what it sets to null, and replaces lists given', () => {
    const current = validateRecord({ ...VALID_INPUT, doi: '10.1000/182', population: { region: 'Scotland', setting: 'Community' } }, null, NOW);
    const updated = validateRecord({ doi: null, population: { region: 'Wales' }, conditions: ['dementia'] }, current, NOW);
    expect(updated).toMatchObject({ title: current.title, doi: null, region: 'Wales', setting: 'Community', conditions: ['dementia'], activityTypes: ['dance'] });
  });
});

describe('the workflow', () => {
  it('allows the documented steps only', () => {
    expect(nextStatus('DRAFT', 'submit')).toBe('IN_REVIEW');
    expect(nextStatus('CHANGES_REQUESTED', 'submit')).toBe('IN_REVIEW');
    expect(nextStatus('IN_REVIEW', 'requestChanges')).toBe('CHANGES_REQUESTED');
    expect(nextStatus('IN_REVIEW', 'publish')).toBe('PUBLISHED');
    expect(nextStatus('PUBLISHED', 'retract')).toBe('RETRACTED');
    for (const [from, step] of [
      ['DRAFT', 'publish'],
      ['DRAFT', 'retract'],
      ['CHANGES_REQUESTED', 'publish'],
      ['PUBLISHED', 'publish'],
      ['PUBLISHED', 'submit'],
      ['RETRACTED', 'submit'],
      ['RETRACTED', 'retract'],
      ['IN_REVIEW', 'retract'],
    ] as const) {
      const error = errorOf(() => nextStatus(from, step));
      expect(error.code, `${from} → ${step}`).toBe('ILLEGAL_TRANSITION');
    }
  });

  it('lets only drafts and records sent back be edited, and keeps the last editor from publishing', () => {
    expect(() => assertEditable('DRAFT')).not.toThrow();
    expect(() => assertEditable('CHANGES_REQUESTED')).not.toThrow();
    for (const status of ['IN_REVIEW', 'PUBLISHED', 'RETRACTED'] as const) expect(errorOf(() => assertEditable(status)).code).toBe('RECORD_NOT_EDITABLE');
    expect(errorOf(() => assertMayPublish('admin:a', 'admin:a')).code).toBe('FOUR_EYES_REQUIRED');
    expect(() => assertMayPublish('admin:a', 'admin:b')).not.toThrow();
  });
});

describe('ranking the records that apply to an activity', () => {
  const danceForParkinsons: ActivityFacts = { id: 'a1', organizationId: 'o1', activityTypes: ['dance', 'music'], conditions: ['parkinsons'] };
  const record = (id: string, over: Partial<RankableRecord>): RankableRecord => ({
    id,
    strength: 'LOW',
    publicationDate: '2020',
    activityIds: [],
    organizationIds: [],
    activityTypes: [],
    conditions: [],
    ...over,
  });

  it('grades relevance: the activity, its organisation, type and condition, then one of them', () => {
    expect(relevanceOf(record('r', { activityIds: ['a1'] }), danceForParkinsons)).toBe(Relevance.ACTIVITY);
    expect(relevanceOf(record('r', { organizationIds: ['o1'] }), danceForParkinsons)).toBe(Relevance.ORGANIZATION);
    expect(relevanceOf(record('r', { activityTypes: ['dance'], conditions: ['parkinsons'] }), danceForParkinsons)).toBe(Relevance.TYPE_AND_CONDITION);
    expect(relevanceOf(record('r', { activityTypes: ['dance'] }), danceForParkinsons)).toBe(Relevance.TYPE_OR_CONDITION);
    expect(relevanceOf(record('r', { conditions: ['parkinsons'] }), danceForParkinsons)).toBe(Relevance.TYPE_OR_CONDITION);
  });

  it('does not apply a record that contradicts the activity on the other dimension, or names nothing it shares', () => {
    expect(relevanceOf(record('r', { activityTypes: ['gardening'], conditions: ['parkinsons'] }), danceForParkinsons)).toBe(Relevance.NONE);
    expect(relevanceOf(record('r', { activityTypes: ['dance'], conditions: ['dementia'] }), danceForParkinsons)).toBe(Relevance.NONE);
    expect(relevanceOf(record('r', {}), danceForParkinsons)).toBe(Relevance.NONE);
    expect(relevanceOf(record('r', { organizationIds: ['o2'], activityIds: ['a2'] }), danceForParkinsons)).toBe(Relevance.NONE);
  });

  it('orders by relevance, then strength, then newest, undated last', () => {
    const ranked = rankForActivity(
      [
        record('type-only-high', { activityTypes: ['dance'], strength: 'HIGH' }),
        record('both-low-old', { activityTypes: ['dance'], conditions: ['parkinsons'], publicationDate: '2010' }),
        record('both-low-new', { activityTypes: ['dance'], conditions: ['parkinsons'], publicationDate: '2021-03' }),
        record('both-low-undated', { activityTypes: ['dance'], conditions: ['parkinsons'], publicationDate: null }),
        record('both-moderate', { activityTypes: ['music'], conditions: ['parkinsons'], strength: 'MODERATE' }),
        record('organisation', { organizationIds: ['o1'], strength: 'VERY_LOW' }),
        record('direct', { activityIds: ['a1'], strength: 'VERY_LOW' }),
        record('unrelated', { activityTypes: ['gardening'] }),
      ],
      danceForParkinsons,
    );
    expect(ranked.map((entry) => entry.id)).toEqual([
      'direct',
      'organisation',
      'both-moderate',
      'both-low-new',
      'both-low-old',
      'both-low-undated',
      'type-only-high',
    ]);
  });
});

describe('history', () => {
  it('lists each changed field from what to what, outcome parts by position', () => {
    const before = validateRecord(VALID_INPUT, null, NOW);
    const after: RecordFields = {
      ...before,
      title: 'New title',
      conditions: ['parkinsons', 'dementia'],
      outcomes: [{ ...before.outcomes[0]!, figure: 5 }],
    };
    expect(diffRecords(before, after)).toEqual([
      { field: 'title', previousValue: 'Dance for Parkinson’s: a trial', newValue: 'New title' },
      { field: 'conditions', previousValue: 'parkinsons', newValue: 'dementia\nparkinsons' },
      { field: 'outcomes[0].figure', previousValue: '4', newValue: '5' },
    ]);
    expect(diffRecords(before, { ...before, activityTypes: [...before.activityTypes].reverse() })).toEqual([]);
  });

  it('records every field of a new record as set from nothing', () => {
    const changes = diffRecords(null, validateRecord(VALID_INPUT, null, NOW));
    expect(changes).toContainEqual({ field: 'title', previousValue: null, newValue: 'Dance for Parkinson’s: a trial' });
    expect(changes).toContainEqual({ field: 'outcomes[0].measure', previousValue: null, newValue: 'Berg Balance Scale' });
    expect(changes.every((change) => change.newValue !== null)).toBe(true);
  });
});

describe('wording', () => {
  it('writes a one-line headline with the study type and strength', () => {
    expect(
      headlineOf({ studyType: 'SYSTEMATIC_REVIEW', strength: 'MODERATE', status: 'PUBLISHED', keyFinding: 'dance improved balance and mood in people with Parkinson’s' }),
    ).toBe('Systematic review, moderate strength: dance improved balance and mood in people with Parkinson’s');
    expect(headlineOf({ studyType: 'QUALITATIVE', strength: 'VERY_LOW', status: 'RETRACTED', keyFinding: 'x.' })).toBe(
      'Retracted. Qualitative study, very low strength: x',
    );
    const long = headlineOf({ studyType: 'CASE_STUDY', strength: 'LOW', status: 'PUBLISHED', keyFinding: 'word '.repeat(80) });
    expect(long.length).toBeLessThanOrEqual(240);
    expect(long).not.toContain('\n');
  });

  it('states figures with their units, and says so when there is none', () => {
    expect(resultText({ figure: 37, figureHigh: null, unit: '%', direction: 'DECREASE' })).toBe('37% decrease');
    expect(figureText({ figure: 4, figureHigh: 11, unit: '£ per £1 invested' })).toBe('£4–£11 per £1 invested');
    expect(figureText({ figure: 20, figureHigh: null, unit: '% of GP referrals' })).toBe('20% of GP referrals');
    expect(resultText({ figure: 4.8, figureHigh: null, unit: 'out of 5 (average score)', direction: 'NOT_STATED' })).toBe('4.8 out of 5 (average score)');
    expect(resultText({ figure: null, figureHigh: null, unit: null, direction: 'IMPROVEMENT' })).toBe('Improvement (no figure given in the source)');
    expect(resultText({ figure: null, figureHigh: null, unit: null, direction: 'NOT_STATED' })).toBe('No figure given in the source');
  });
});
