// The words the search understands: the controlled vocabularies with their synonyms, the extra
// everyday phrases, cost/mode/day words, the directory's own places, and the words of activity
// names and keywords. Typos are corrected with fuse.js against this list of distinct words, which
// stays small as the directory grows, rather than against every record.
import Fuse from 'fuse.js';
import { TAXONOMY_IDS, VOCABULARIES } from '@sp/prisma/reference/vocabularies';
import { CONSTRAINT_PHRASES, EXTRA_TERM_PHRASES, VAGUE_SINGLE_WORDS, type Concept, type TermKind } from './concepts';
import { isStopWord, normalise, stem, STOP_WORDS, tokenise } from './text';

export const TERM_KIND_BY_TAXONOMY: Record<string, TermKind> = {
  [TAXONOMY_IDS.condition]: 'condition',
  [TAXONOMY_IDS.group]: 'group',
  [TAXONOMY_IDS.activityType]: 'activityType',
  [TAXONOMY_IDS.accessibility]: 'accessibility',
  [TAXONOMY_IDS.benefit]: 'benefit',
};

/** The key a phrase is stored under: its normalised, stemmed words. */
export function phraseKey(text: string): string {
  return tokenise(text).map(stem).join(' ');
}

export interface PhraseMatch {
  length: number;
  concepts: Concept[];
}

/** Letter pairs of a word with its edges marked ("^d", "da", ... "e$"): a typo leaves most of them intact. */
function letterPairs(word: string): string[] {
  const padded = `^${word}$`;
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < padded.length; i++) pairs.add(padded.slice(i, i + 2));
  return [...pairs];
}

const MAX_PHRASE_WORDS = 6;

/** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let before = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const current = new Array<number>(cols).fill(0);
    current[0] = i;
    let best = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[cols - 1]!;
}

function allowedEdits(length: number): number {
  if (length <= 6) return 1;
  if (length <= 10) return 2;
  return 3;
}

/**
 * Phrases and words, with a fuzzy corrector. The fixed part (vocabularies, everyday phrases) is
 * built once; places and activity words are added as the index learns them.
 */
export class Lexicon {
  private readonly fixed = new Map<string, Concept[]>();
  private places = new Map<string, Concept[]>();
  private readonly knownWords = new Set<string>();
  private readonly knownStems = new Set<string>();
  /** Words from the vocabularies and places: preferred when correcting a typo. */
  private readonly coreWords = new Set<string>();
  /** Words that mean something on their own: one-word phrases, places, words of listings. Not "based" from "chair based". */
  private readonly standalone = new Set<string>();
  /** Letter pair → the known words containing it: narrows a typo's candidates before fuse.js ranks them. */
  private readonly byPair = new Map<string, string[]>();
  private readonly corrections = new Map<string, string | null>();
  private maxPhraseWords = 1;

  constructor() {
    for (const vocabulary of VOCABULARIES) {
      const termKind = TERM_KIND_BY_TAXONOMY[vocabulary.id];
      if (!termKind) continue;
      for (const item of vocabulary.terms) {
        const concept: Concept = { kind: 'term', termKind, code: item.code };
        for (const phrase of [item.name, item.code.replace(/-/g, ' '), ...(item.synonyms ?? [])]) {
          if (tokenise(phrase).length === 1 && VAGUE_SINGLE_WORDS.has(normalise(phrase))) continue;
          this.addFixed(phrase, [concept]);
        }
      }
    }
    for (const [phrases, concepts] of [...EXTRA_TERM_PHRASES, ...CONSTRAINT_PHRASES]) {
      for (const phrase of phrases) this.addFixed(phrase, concepts);
    }
    for (const word of STOP_WORDS) this.learnWord(word, false);
  }

  private addFixed(phrase: string, concepts: Concept[]) {
    const key = phraseKey(phrase);
    if (!key) return;
    const existing = this.fixed.get(key) ?? [];
    for (const concept of concepts) {
      if (!existing.some((known) => sameConcept(known, concept))) existing.push(concept);
    }
    this.fixed.set(key, existing);
    const words = tokenise(phrase);
    if (words.length === 1) this.standalone.add(words[0]!);
    this.maxPhraseWords = Math.min(MAX_PHRASE_WORDS, Math.max(this.maxPhraseWords, key.split(' ').length));
    for (const word of tokenise(phrase)) this.learnWord(word, true);
  }

  /** Replaces the place phrases (names and their everyday forms) with these. */
  setPlaces(phrases: Map<string, string[]>) {
    const next = new Map<string, Concept[]>();
    for (const [phrase, keys] of phrases) {
      const key = phraseKey(phrase);
      if (!key) continue;
      next.set(key, keys.map((placeKey) => ({ kind: 'place', key: placeKey })));
      const words = tokenise(phrase);
      if (words.length === 1) this.standalone.add(words[0]!);
      this.maxPhraseWords = Math.min(MAX_PHRASE_WORDS, Math.max(this.maxPhraseWords, key.split(' ').length));
      for (const word of tokenise(phrase)) this.learnWord(word, true);
    }
    this.places = next;
  }

  /** Words of activity names and keywords, so a typo of "scrabble" finds "scrabble". */
  learnActivityWords(words: Iterable<string>) {
    for (const word of words) {
      this.standalone.add(word);
      this.learnWord(word, false);
    }
  }

  /** True when the word can match on its own, rather than only as part of a longer phrase. */
  isStandalone(word: string): boolean {
    return this.standalone.has(word);
  }

  private learnWord(word: string, core: boolean) {
    if (core) this.coreWords.add(word);
    if (this.knownWords.has(word)) return;
    this.knownWords.add(word);
    this.knownStems.add(stem(word));
    if (word.length < 3 || /\d/.test(word)) return;
    for (const pair of letterPairs(word)) {
      const list = this.byPair.get(pair);
      if (list) list.push(word);
      else this.byPair.set(pair, [word]);
    }
    // A new word may be a better correction for a typo seen before.
    if (this.corrections.size > 0) this.corrections.clear();
  }

  get longestPhrase(): number {
    return this.maxPhraseWords;
  }

  /** True when the word alone is a phrase of the vocabularies or the everyday phrases (not just a word seen in a listing). */
  isPhrase(word: string): boolean {
    return this.fixed.has(stem(word));
  }

  isKnown(word: string): boolean {
    return this.knownWords.has(word) || this.knownStems.has(stem(word));
  }

  /** The longest phrase starting at `start` (stems), if any; single stop words never match. */
  match(stemmed: string[], raw: string[], start: number, usable: (index: number) => boolean): PhraseMatch | undefined {
    for (let length = Math.min(this.maxPhraseWords, stemmed.length - start); length >= 1; length--) {
      let free = true;
      for (let i = start; i < start + length; i++) if (!usable(i)) free = false;
      if (!free) continue;
      if (length === 1 && (isStopWord(raw[start]!) || VAGUE_SINGLE_WORDS.has(raw[start]!))) continue;
      const key = stemmed.slice(start, start + length).join(' ');
      const fixed = this.fixed.get(key);
      const place = this.places.get(key);
      if (fixed || place) return { length, concepts: [...(place ?? []), ...(fixed ?? [])] };
    }
    return undefined;
  }

  /**
   * The known word a typo most likely stands for, or null. fuse.js proposes candidates from words
   * of similar length; an edit-distance check keeps only plausible ones ("parkinsns" → "parkinsons",
   * but not "husband" → "housebound").
   */
  correct(word: string): string | null {
    if (word.length < 4 || /\d/.test(word)) return null;
    const cached = this.corrections.get(word);
    if (cached !== undefined) return cached;
    const limit = allowedEdits(word.length);
    // Candidates: known words of a similar length sharing most letter pairs (an edit breaks at
    // most three). fuse.js then ranks this short list, and an edit-distance check has the last word.
    const pairs = letterPairs(word);
    const shared = new Map<string, number>();
    for (const pair of pairs) {
      for (const known of this.byPair.get(pair) ?? []) {
        if (Math.abs(known.length - word.length) <= limit) shared.set(known, (shared.get(known) ?? 0) + 1);
      }
    }
    const needed = Math.max(1, pairs.length - 3 * limit);
    const candidates = [...shared].filter(([, count]) => count >= needed).map(([known]) => known);
    let best: (Ranked & { word: string }) | null = null;
    if (candidates.length > 0) {
      const fuse = new Fuse(candidates, { includeScore: true, threshold: 0.4, ignoreLocation: true, minMatchCharLength: 2, isCaseSensitive: true });
      for (const result of fuse.search(word, { limit: 8 })) {
        const distance = editDistance(word, result.item, limit);
        if (distance > limit) continue;
        const candidate = { word: result.item, distance, standalone: this.standalone.has(result.item), core: this.coreWords.has(result.item), score: result.score ?? 1 };
        if (!best || better(candidate, best)) best = candidate;
      }
    }
    const corrected = best?.word ?? null;
    if (this.corrections.size > 5000) this.corrections.clear();
    this.corrections.set(word, corrected);
    return corrected;
  }
}

interface Ranked {
  distance: number;
  standalone: boolean;
  core: boolean;
  score: number;
}

function better(a: Ranked, b: Ranked) {
  if (a.distance !== b.distance) return a.distance < b.distance;
  if (a.standalone !== b.standalone) return a.standalone;
  if (a.core !== b.core) return a.core;
  return a.score < b.score;
}

function sameConcept(a: Concept, b: Concept): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
