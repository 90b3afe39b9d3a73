// Follow-up feedback (a rating and free text, with consent) and outcome measures before and after
// (ONS4, SWEMWBS), validated on input; anonymised summaries only when five or more contribute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { ACTIVITY_A2, ACTIVITY_B, ALL_CONSENTS, codeOf, startHarness, type Harness } from './support';

const FEEDBACK = 'mutation($input: RecordFeedbackInput!) { recordFeedback(input: $input) { feedback { rating comment sharedWithProvider } history { kind } } }';
const OUTCOME = 'mutation($input: RecordOutcomeMeasureInput!) { recordOutcomeMeasure(input: $input) { outcomes { instrument timepoint scores total } } }';
const SUMMARY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Activity {
  outcomeSummary { instrument { code } available contributors items { code meanBefore meanAfter meanChange } total { meanBefore meanAfter meanChange } }
} } }`;

describe.each(testDatabaseKinds())('feedback and outcomes on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('records feedback only with the person’s consent, and a rating from 1 to 5', async () => {
    const id = await h.refer();
    const refused = await h.call('gp', FEEDBACK, { input: { referralId: id, rating: 4, comment: 'Great', personConsented: false } });
    expect(codeOf(refused)).toBe('CONSENT_REQUIRED');
    for (const rating of [0, 6]) {
      expect(codeOf(await h.call('gp', FEEDBACK, { input: { referralId: id, rating, personConsented: true } }))).toBe('RATING_OUT_OF_RANGE');
    }
    expect(codeOf(await h.call('gp', FEEDBACK, { input: { referralId: id, rating: 3, comment: 'x'.repeat(2001), personConsented: true } }))).toBe('BAD_USER_INPUT');
    expect(await h.db.referralFeedback.count()).toBe(0);
    const saved = await h.call('gp', FEEDBACK, { input: { referralId: id, rating: 5, comment: ' I feel less alone ', shareWithProvider: true, personConsented: true } });
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.recordFeedback.feedback).toEqual([{ rating: 5, comment: 'I feel less alone', sharedWithProvider: true }]);
    expect(saved.data!.recordFeedback.history.at(-1)).toEqual({ kind: 'FEEDBACK_RECORDED' });
  });

  it.each([
    ['ONS4 with a score above 10', { instrument: 'ONS4', scores: [5, 11, 5, 5] }, 'OUTCOME_SCORE_OUT_OF_RANGE'],
    ['ONS4 with a negative score', { instrument: 'ONS4', scores: [5, 5, -1, 5] }, 'OUTCOME_SCORE_OUT_OF_RANGE'],
    ['ONS4 with three scores', { instrument: 'ONS4', scores: [5, 5, 5] }, 'WRONG_NUMBER_OF_SCORES'],
    ['SWEMWBS with a 0', { instrument: 'SWEMWBS', scores: [0, 3, 3, 3, 3, 3, 3] }, 'OUTCOME_SCORE_OUT_OF_RANGE'],
    ['SWEMWBS with a 6', { instrument: 'SWEMWBS', scores: [3, 3, 3, 3, 3, 3, 6] }, 'OUTCOME_SCORE_OUT_OF_RANGE'],
    ['SWEMWBS with eight scores', { instrument: 'SWEMWBS', scores: [3, 3, 3, 3, 3, 3, 3, 3] }, 'WRONG_NUMBER_OF_SCORES'],
    ['an unknown instrument', { instrument: 'PHQ9', scores: [1] }, 'UNKNOWN_INSTRUMENT'],
  ])('refuses %s, storing nothing', async (_name, change, code) => {
    const id = await h.refer();
    const result = await h.call('gp', OUTCOME, { input: { referralId: id, timepoint: 'BEFORE', ...change } });
    expect(codeOf(result)).toBe(code);
    expect(await h.db.outcomeMeasure.count({ where: { referralId: id } })).toBe(0);
  });

  it('stores ONS4 item by item and SWEMWBS with its total (7 to 35); recording again corrects it', async () => {
    const id = await h.refer();
    await h.call('gp', OUTCOME, { input: { referralId: id, instrument: 'ons4', timepoint: 'BEFORE', scores: [4, 5, 3, 8] } });
    await h.call('provider', OUTCOME, { input: { referralId: id, instrument: 'SWEMWBS', timepoint: 'AFTER', scores: [4, 4, 4, 4, 4, 4, 4] } });
    const corrected = await h.call('provider', OUTCOME, { input: { referralId: id, instrument: 'SWEMWBS', timepoint: 'BEFORE', scores: [1, 1, 1, 1, 1, 1, 1] } });
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data!.recordOutcomeMeasure.outcomes).toEqual([
      { instrument: 'ONS4', timepoint: 'BEFORE', scores: [4, 5, 3, 8], total: null },
      { instrument: 'SWEMWBS', timepoint: 'BEFORE', scores: [1, 1, 1, 1, 1, 1, 1], total: 7 },
      { instrument: 'SWEMWBS', timepoint: 'AFTER', scores: [4, 4, 4, 4, 4, 4, 4], total: 28 },
    ]);
    const again = await h.call('provider', OUTCOME, { input: { referralId: id, instrument: 'SWEMWBS', timepoint: 'BEFORE', scores: [2, 2, 2, 2, 2, 2, 2] } });
    expect(again.data!.recordOutcomeMeasure.outcomes[1]).toMatchObject({ scores: [2, 2, 2, 2, 2, 2, 2], total: 14 });
    expect(await h.db.outcomeMeasure.count({ where: { referralId: id } })).toBe(3);
  });

  it('lists the instruments in use with their questions and ranges', async () => {
    const result = await h.call('public', '{ outcomeInstruments { code minimumScore maximumScore itemCodes hasTotal } }');
    expect(result.data!.outcomeInstruments).toEqual([
      { code: 'ONS4', minimumScore: 0, maximumScore: 10, itemCodes: ['LIFE_SATISFACTION', 'WORTHWHILE', 'HAPPINESS', 'ANXIETY'], hasTotal: false },
      { code: 'SWEMWBS', minimumScore: 1, maximumScore: 5, itemCodes: expect.any(Array), hasTotal: true },
    ]);
  });

  it('summarises only when at least five people who consented to anonymised research gave before and after', async () => {
    const summary = async () => (await h.call('public', SUMMARY, { r: [{ __typename: 'Activity', id: ACTIVITY_A2 }] })).data!._entities[0].outcomeSummary;
    const measure = async (id: string, before: number[], after: number[]) => {
      await h.call('gp', OUTCOME, { input: { referralId: id, instrument: 'ONS4', timepoint: 'BEFORE', scores: before } });
      await h.call('gp', OUTCOME, { input: { referralId: id, instrument: 'ONS4', timepoint: 'AFTER', scores: after } });
    };
    for (let i = 0; i < 4; i += 1) await measure(await h.refer({ activityId: ACTIVITY_A2 }), [4, 4, 4, 6], [6, 7, 6, 4]);
    // Without research consent: does not count.
    const noResearch = ALL_CONSENTS.filter((consent) => consent.purpose !== 'ANONYMISED_RESEARCH');
    await measure(await h.refer({ activityId: ACTIVITY_A2, consents: noResearch }), [0, 0, 0, 10], [10, 10, 10, 0]);
    // Only a before: does not count.
    const onlyBefore = await h.refer({ activityId: ACTIVITY_A2 });
    await h.call('gp', OUTCOME, { input: { referralId: onlyBefore, instrument: 'ONS4', timepoint: 'BEFORE', scores: [1, 1, 1, 1] } });

    const withheld = await summary();
    expect(withheld).toEqual([
      { instrument: { code: 'ONS4' }, available: false, contributors: null, items: [], total: null },
      { instrument: { code: 'SWEMWBS' }, available: false, contributors: null, items: [], total: null },
    ]);

    await measure(await h.refer({ activityId: ACTIVITY_A2 }), [5, 4, 4, 7], [7, 7, 6, 3]);
    const shown = (await summary())[0];
    expect(shown).toMatchObject({ available: true, contributors: 5, total: null });
    expect(shown.items).toEqual([
      { code: 'LIFE_SATISFACTION', meanBefore: 4.2, meanAfter: 6.2, meanChange: 2 },
      { code: 'WORTHWHILE', meanBefore: 4, meanAfter: 7, meanChange: 3 },
      { code: 'HAPPINESS', meanBefore: 4, meanAfter: 6, meanChange: 2 },
      { code: 'ANXIETY', meanBefore: 6.2, meanAfter: 3.8, meanChange: -2.4 },
    ]);
    const other = await h.call('public', SUMMARY, { r: [{ __typename: 'Activity', id: ACTIVITY_B }] });
    expect(other.data!._entities[0].outcomeSummary[0].available).toBe(false);
  });

  it('uses only the instruments configured, since some need a licence', async () => {
    const onlyOns = await startHarness(kind, { settings: { outcomeInstruments: ['ONS4'] } });
    try {
      const id = await onlyOns.refer();
      const result = await onlyOns.call('gp', OUTCOME, { input: { referralId: id, instrument: 'SWEMWBS', timepoint: 'BEFORE', scores: [3, 3, 3, 3, 3, 3, 3] } });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNKNOWN_INSTRUMENT', instruments: ['ONS4'] });
      expect((await onlyOns.call('public', '{ outcomeInstruments { code } }')).data!.outcomeInstruments).toEqual([{ code: 'ONS4' }]);
    } finally {
      await onlyOns.close();
    }
  });
});
