// Query understanding: turns what people type ("dance class for my patient with parkinsns in
// dundee, free, step free") into what the search can use: the terms it is about, the words left
// over, and what it asks of an activity (place, cost, delivery, age, days, places left).
import type { DeliveryMode } from '@sp/prisma/provider';
import type { DayOfWeek } from '../directory/filter';
import type { ModeLabel, TermKind, TimeOfDay } from './concepts';
import type { Lexicon } from './lexicon';
import { isStopWord, stem, tokenise } from './text';

export interface UnderstoodTerm {
  termKind: TermKind;
  code: string;
  /** A weight chosen for a weak cue ("my mum" suggests older people); otherwise the kind's weight. */
  weight?: number;
}

/** One thing the person asked about: a recognised phrase or a leftover word. It ranks; it does not filter. */
export interface QueryUnit {
  /** As typed (after normalising and correcting), for the reasons: "memory problems". */
  text: string;
  /** Stemmed content words, matched against names, keywords and descriptions. */
  words: string[];
  terms: UnderstoodTerm[];
  /** True when a typo was corrected to read it. */
  corrected: boolean;
}

export interface UnderstoodQuery {
  units: QueryUnit[];
  /** Keys of places in the directory named in the query. */
  places: string[];
  /** Words after "in" or "near" that are not places the directory knows. */
  unknownPlaces: string[];
  free: boolean;
  cheap: boolean;
  mode: { modes: DeliveryMode[]; label: ModeLabel } | null;
  /** The person's age when the query gives it ("aged 70", "my 4 year old", "in her 80s"). */
  age: number | null;
  days: DayOfWeek[];
  timeOfDay: TimeOfDay | null;
  hasPlaces: boolean;
  corrections: Array<{ from: string; to: string }>;
}

const NUMBER = /^(\d{1,3})(s)?$/;

/** Ages and age groups: "aged 70", "70 years old", "in her 80s", "my 4 year old", "over 60s". */
function readAges(tokens: string[], used: boolean[], query: UnderstoodQuery, addTerm: (term: UnderstoodTerm, text: string) => void) {
  const numberAt = (index: number) => {
    const match = NUMBER.exec(tokens[index] ?? '');
    return match ? Number(match[1]) : null;
  };
  const setAge = (age: number) => {
    if (age < 0 || age > 120) return;
    query.age = age;
    if (age >= 60) addTerm({ termKind: 'group', code: 'older-people', weight: 1.5 }, `aged ${age}`);
    else if (age <= 5) addTerm({ termKind: 'group', code: 'early-years', weight: 1.5 }, `aged ${age}`);
    else if (age >= 16 && age <= 25) addTerm({ termKind: 'group', code: 'young-adults', weight: 1 }, `aged ${age}`);
  };
  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const word = tokens[i]!;
    const next = numberAt(i + 1);
    if ((word === 'aged' || word === 'age') && next !== null) {
      setAge(next);
      used[i] = used[i + 1] = true;
      continue;
    }
    const over = (word === 'over' || word === 'above') && next !== null ? i + 1 : word === 'older' && tokens[i + 1] === 'than' && numberAt(i + 2) !== null ? i + 2 : -1;
    if (over > 0) {
      // "over 60s" names a group rather than an exact age: it ranks, it does not filter.
      const n = numberAt(over)!;
      if (n >= 50) addTerm({ termKind: 'group', code: 'older-people', weight: 2 }, `over ${n}`);
      for (let j = i; j <= over; j++) used[j] = true;
      continue;
    }
    if (['under', 'below'].includes(word) && next !== null) {
      if (next <= 5) addTerm({ termKind: 'group', code: 'early-years', weight: 2 }, `under ${next}`);
      else if (next <= 18) addTerm({ termKind: 'group', code: 'families', weight: 1.5 }, `under ${next}`);
      used[i] = used[i + 1] = true;
      continue;
    }
    if (['in', 'her', 'his', 'their', 'my', 'mid', 'late', 'early'].includes(word) && /^\d0s$/.test(tokens[i + 1] ?? '')) {
      // "in her 80s": the middle of the decade is a fair guess for an age filter.
      setAge(Number(tokens[i + 1]!.slice(0, 2)) + 5);
      used[i + 1] = true;
      continue;
    }
    const n = NUMBER.exec(word);
    if (n && !n[2]) {
      const unit = tokens[i + 1];
      if (unit === 'yo' || unit === 'yr' || unit === 'yrs' || unit === 'year' || unit === 'years') {
        setAge(Number(n[1]));
        used[i] = used[i + 1] = true;
        if (tokens[i + 2] === 'old') used[i + 2] = true;
        continue;
      }
      if ((unit === 'month' || unit === 'months') && tokens[i + 2] === 'old') {
        setAge(0);
        used[i] = used[i + 1] = used[i + 2] = true;
      }
    }
    if (n && !n[2] && ['shes', 'hes', 'im', 'is', 'turned', 'turning', 'aged'].includes(tokens[i - 1] ?? '')) {
      // "she's 82", "he is 75": a bare number after these is an age.
      setAge(Number(n[1]));
      used[i] = true;
      continue;
    }
    const compact = /^(\d{1,3})(yo|yrs?)$/.exec(word);
    if (compact) {
      setAge(Number(compact[1]));
      used[i] = true;
    }
  }
}

export function understandQuery(text: string, lexicon: Lexicon): UnderstoodQuery {
  const query: UnderstoodQuery = {
    units: [],
    places: [],
    unknownPlaces: [],
    free: false,
    cheap: false,
    mode: null,
    age: null,
    days: [],
    timeOfDay: null,
    hasPlaces: false,
    corrections: [],
  };
  const tokens = tokenise(text);
  const used = tokens.map(() => false);
  const corrected = tokens.map(() => false);

  const addTerm = (term: UnderstoodTerm, unitText: string, words: string[] = [], fixed = false) => {
    addUnit(query, { text: unitText, words, terms: [term], corrected: fixed });
  };
  readAges(tokens, used, query, (term, unitText) => addTerm(term, unitText));

  // Typos: unknown words are replaced by the nearest known word before phrases are read.
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!;
    if (used[i] || isStopWord(word) || /\d/.test(word) || lexicon.isKnown(word)) continue;
    const fixed = lexicon.correct(word);
    if (fixed && fixed !== word) {
      query.corrections.push({ from: word, to: fixed });
      tokens[i] = fixed;
      corrected[i] = true;
    }
  }
  const stems = tokens.map(stem);

  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const match = lexicon.match(stems, tokens, i, (index) => !used[index]);
    if (!match) continue;
    const span = tokens.slice(i, i + match.length);
    const fixed = corrected.slice(i, i + match.length).some(Boolean);
    const terms: UnderstoodTerm[] = [];
    for (const concept of match.concepts) {
      switch (concept.kind) {
        case 'term':
          terms.push(concept.weight === undefined ? { termKind: concept.termKind, code: concept.code } : { termKind: concept.termKind, code: concept.code, weight: concept.weight });
          break;
        case 'place':
          if (!query.places.includes(concept.key)) query.places.push(concept.key);
          break;
        case 'free':
          query.free = true;
          break;
        case 'cheap':
          query.cheap = true;
          break;
        case 'mode':
          query.mode = { modes: concept.modes, label: concept.label };
          break;
        case 'day':
          for (const day of concept.days) if (!query.days.includes(day)) query.days.push(day);
          break;
        case 'time':
          query.timeOfDay = concept.part;
          break;
        case 'hasPlaces':
          query.hasPlaces = true;
          break;
      }
    }
    if (terms.length > 0) {
      const words = span.filter((word) => !isStopWord(word)).map(stem);
      addUnit(query, { text: span.join(' '), words, terms, corrected: fixed });
    }
    for (let j = i; j < i + match.length; j++) used[j] = true;
    i += match.length - 1;
  }

  for (let i = 0; i < tokens.length; i++) {
    if (!used[i] && corrected[i] && !lexicon.isStandalone(tokens[i]!)) {
      // Corrected towards a word that only means something inside a phrase that did not follow
      // ("basket" read as "based" from "chair based"): keep what was typed instead.
      const original = query.corrections.find((correction) => correction.to === tokens[i]);
      if (original) {
        query.corrections.splice(query.corrections.indexOf(original), 1);
        tokens[i] = original.from;
        stems[i] = stem(original.from);
        corrected[i] = false;
      }
    }
    const word = tokens[i]!;
    if (used[i] || isStopWord(word) || word.length < 2 || /^\d+$/.test(word)) continue;
    const previous = tokens[i - 1];
    if ((previous === 'in' || previous === 'near' || previous === 'around') && !lexicon.isKnown(word)) {
      // "in Edinburgh" when the directory has nothing there: a place we cannot use, not a topic.
      query.unknownPlaces.push(word);
      continue;
    }
    addUnit(query, { text: word, words: [stems[i]!], terms: [], corrected: corrected[i]! });
  }
  return query;
}

/** Adds a unit unless an earlier one already asked for the same terms ("dementia ... memory problems"). */
function addUnit(query: UnderstoodQuery, unit: QueryUnit) {
  const key = (term: UnderstoodTerm) => `${term.termKind}:${term.code}`;
  if (unit.terms.length > 0) {
    for (const existing of query.units) {
      const known = new Set(existing.terms.map(key));
      if (unit.terms.every((term) => known.has(key(term)))) {
        // Keep the stronger weight of the two.
        for (const term of unit.terms) {
          const same = existing.terms.find((candidate) => key(candidate) === key(term));
          if (same && same.weight !== undefined && (term.weight === undefined || term.weight > same.weight)) {
            if (term.weight === undefined) delete same.weight;
            else same.weight = term.weight;
          }
        }
        return;
      }
    }
  } else if (query.units.some((existing) => existing.terms.length === 0 && existing.words.join(' ') === unit.words.join(' '))) {
    return;
  }
  query.units.push(unit);
}
