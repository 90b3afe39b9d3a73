// Outcome measures taken before and after an activity. Instruments are configurable, because
// some need a licence: a deployment turns on only those it may use.
import { userError } from '@sp/runtime/errors';
import { ReferralErrorCode } from './codes';

export interface InstrumentItem {
  code: string;
  label: string;
}

export interface Instrument {
  code: string;
  name: string;
  /** The lowest and highest score of each item. */
  minimum: number;
  maximum: number;
  items: readonly InstrumentItem[];
  /** Whether the items add up to a total (SWEMWBS does; ONS4's four questions are reported one by one). */
  hasTotal: boolean;
  /** Where to get permission to use it, when it needs one. */
  licence?: string;
}

/** The instruments this service knows. Which are in use is configuration (REFERRAL_OUTCOME_INSTRUMENTS). */
export const KNOWN_INSTRUMENTS: Readonly<Record<string, Instrument>> = {
  ONS4: {
    code: 'ONS4',
    name: 'ONS personal wellbeing (ONS4)',
    minimum: 0,
    maximum: 10,
    hasTotal: false,
    items: [
      { code: 'LIFE_SATISFACTION', label: 'Overall, how satisfied are you with your life nowadays?' },
      { code: 'WORTHWHILE', label: 'Overall, to what extent do you feel the things you do in your life are worthwhile?' },
      { code: 'HAPPINESS', label: 'Overall, how happy did you feel yesterday?' },
      { code: 'ANXIETY', label: 'Overall, how anxious did you feel yesterday?' },
    ],
  },
  SWEMWBS: {
    code: 'SWEMWBS',
    name: 'Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)',
    minimum: 1,
    maximum: 5,
    hasTotal: true,
    licence: 'Free to use with registration with Warwick Medical School; commercial use needs a licence.',
    items: [
      { code: 'OPTIMISTIC', label: 'I’ve been feeling optimistic about the future' },
      { code: 'USEFUL', label: 'I’ve been feeling useful' },
      { code: 'RELAXED', label: 'I’ve been feeling relaxed' },
      { code: 'DEALING_WITH_PROBLEMS', label: 'I’ve been dealing with problems well' },
      { code: 'THINKING_CLEARLY', label: 'I’ve been thinking clearly' },
      { code: 'CLOSE_TO_OTHERS', label: 'I’ve been feeling close to other people' },
      { code: 'OWN_MIND', label: 'I’ve been able to make up my own mind about things' },
    ],
  },
};

export interface InstrumentRegistry {
  enabled(): Instrument[];
  get(code: string): Instrument;
}

export function createInstrumentRegistry(codes: readonly string[]): InstrumentRegistry {
  const unknown = codes.filter((code) => !KNOWN_INSTRUMENTS[code]);
  if (unknown.length > 0) throw new Error(`Unknown outcome instruments: ${unknown.join(', ')}. Known: ${Object.keys(KNOWN_INSTRUMENTS).join(', ')}.`);
  const enabled = codes.map((code) => KNOWN_INSTRUMENTS[code]!);
  return {
    enabled: () => enabled,
    get(code) {
      const instrument = enabled.find((candidate) => candidate.code === code);
      if (!instrument) {
        throw userError(ReferralErrorCode.UNKNOWN_INSTRUMENT, `The instrument is not one this service uses: use one of ${codes.join(', ')}.`, {
          field: 'instrument',
          instruments: [...codes],
        });
      }
      return instrument;
    },
  };
}

/** Checks the scores against the instrument; returns the total where it has one. */
export function checkScores(instrument: Instrument, scores: readonly number[]): { total: number | null } {
  if (scores.length !== instrument.items.length) {
    throw userError(ReferralErrorCode.WRONG_NUMBER_OF_SCORES, `${instrument.code} has ${instrument.items.length} items; give one score for each.`, {
      field: 'scores',
    });
  }
  scores.forEach((score, index) => {
    if (!Number.isInteger(score) || score < instrument.minimum || score > instrument.maximum) {
      throw userError(
        ReferralErrorCode.OUTCOME_SCORE_OUT_OF_RANGE,
        `Each ${instrument.code} score is a whole number from ${instrument.minimum} to ${instrument.maximum}.`,
        { field: `scores[${index}]` },
      );
    }
  });
  return { total: instrument.hasTotal ? scores.reduce((sum, score) => sum + score, 0) : null };
}

/** Fewer contributors than this and a summary is withheld, so no one person's answers can be picked out. */
export const MINIMUM_CONTRIBUTORS = 5;

export interface MeasurePair {
  before: number[];
  after: number[];
}

export interface ItemSummary {
  code: string;
  label: string;
  meanBefore: number;
  meanAfter: number;
  meanChange: number;
}

export interface OutcomeSummary {
  instrument: Instrument;
  /** How many people contributed; null when there are too few to show anything. */
  contributors: number | null;
  items: ItemSummary[];
  total: { meanBefore: number; meanAfter: number; meanChange: number } | null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Means before and after, per item and in total, over people with both; nothing when fewer than five. */
export function summarise(instrument: Instrument, pairs: readonly MeasurePair[]): OutcomeSummary {
  if (pairs.length < MINIMUM_CONTRIBUTORS) return { instrument, contributors: null, items: [], total: null };
  const items = instrument.items.map((item, index) => {
    const before = mean(pairs.map((pair) => pair.before[index]!));
    const after = mean(pairs.map((pair) => pair.after[index]!));
    return { code: item.code, label: item.label, meanBefore: round1(before), meanAfter: round1(after), meanChange: round1(after - before) };
  });
  let total: OutcomeSummary['total'] = null;
  if (instrument.hasTotal) {
    const sum = (scores: number[]) => scores.reduce((acc, score) => acc + score, 0);
    const before = mean(pairs.map((pair) => sum(pair.before)));
    const after = mean(pairs.map((pair) => sum(pair.after)));
    total = { meanBefore: round1(before), meanAfter: round1(after), meanChange: round1(after - before) };
  }
  return { instrument, contributors: pairs.length, items, total };
}

export function scoresToColumn(scores: readonly number[]): string {
  return scores.join(',');
}

export function scoresFromColumn(column: string): number[] {
  return column.split(',').map(Number);
}
