import { containsPhrase, editDistance, normalise, replacePhrase, words } from './text';

/**
 * Turns what a person typed into something a fuzzy ranker can use: places, "free" and "online"
 * become filters, common ways of naming a condition or need become the directory's words, and
 * filler words are dropped. Feeding the whole sentence to the ranker works badly (see
 * shared/notes/search-and-chat.md).
 */

/** A place the directory knows: a town, or an area such as a health board. */
export interface Place {
  /** As the directory spells it, for showing to people: "Dundee", "NHS Tayside". */
  label: string;
  /** Normalised, without a leading "NHS": "dundee", "tayside". What is looked for in the text. */
  key: string;
  /** The key to filter the directory by, when it differs ("merthyr" filters by "merthyr tydfil"). */
  filterKey?: string;
}

export interface ParsedRequest {
  terms: string[];
  place?: Place;
  free: boolean;
  online: boolean;
}

/** Phrases replaced by the directory's own words before anything else happens. */
const SYNONYMS: ReadonlyArray<readonly [string[], string]> = [
  [['parkinsons disease', 'parkinson', 'pd'], 'parkinsons'],
  [['ms'], 'multiple sclerosis'],
  [
    ['memory problems', 'memory problem', 'memory loss', 'memory issues', 'forgetful', 'forgetfulness', 'alzheimers', 'alzheimer'],
    'dementia memory',
  ],
  [['lonely', 'loneliness', 'isolated', 'isolation', 'on my own', 'alone'], 'loneliness befriending social'],
  [['depression', 'depressed', 'anxiety', 'anxious', 'low mood', 'stressed', 'stress'], 'mental health'],
  [['step free', 'barrier free', 'wheelchair accessible', 'wheelchair', 'accessible'], 'accessible wheelchair'],
  [['choir', 'choirs'], 'singing choir'],
  [['kids', 'children', 'toddlers', 'toddler', 'babies', 'baby', 'under 5s', 'under fives'], 'early years families'],
  [['elderly', 'pensioners', 'pensioner', 'over 60s', 'over 60', 'over 65s', 'over 65'], 'older'],
  [['debt', 'money worries', 'bills'], 'money debt advice'],
];

const FREE_PHRASES = ['free of charge', 'no charge', 'no cost', 'doesnt cost anything', 'dont have to pay', 'without paying', 'free'];
const ONLINE_PHRASES = ['video call', 'online', 'virtual', 'virtually', 'zoom', 'internet'];
/** Words that introduce a place, after which a misspelt place name is looked for. */
const PLACE_MARKERS = new Set(['in', 'near', 'around', 'nr', 'at', 'by', 'from', 'close', 'outside']);

/**
 * Place names that are also everyday words ("a reading group", "a bath"). These count as places
 * only straight after "in", "near" and the like.
 */
const PLACES_THAT_ARE_WORDS = new Set(['bath', 'deal', 'hope', 'march', 'reading', 'street', 'ware', 'wells', 'wool']);

/** Filler: words that say nothing about which activity would suit. */
const STOP_WORDS = new Set(
  `a about also am an and any anything are around as at be been being but by can cant close could do does dont
   find for from get go going good got had has have he her hers him his how i id if im in into is it its ive just
   like local looking look me might more most my near nearby need needs new nice no not now nr of on or our out
   outside please really she so some someone somebody something somewhere suit suitable than that the their them
   there these they thing things this those to too us very want wants was way we well were what when where which
   who whom why will with would you your yours
   activity activities class classes group groups session sessions sort kind type stuff
   person people man woman dad mum mother father husband wife partner son daughter friend patient client
   hi hello hey thanks thank`.split(/\s+/),
);

/** Keeps "dancing" and "dance", "walks" and "walking" together by searching for the shared stem. */
export function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function applySynonyms(text: string): string {
  let result = text;
  for (const [phrases, replacement] of SYNONYMS) {
    for (const phrase of phrases) {
      if (containsPhrase(result, phrase)) result = replacePhrase(result, phrase, ` ${replacement} `);
    }
  }
  return result;
}

function takePhrases(text: string, phrases: readonly string[]): { text: string; found: boolean } {
  let result = text;
  let found = false;
  for (const phrase of phrases) {
    if (containsPhrase(result, phrase)) {
      found = true;
      result = replacePhrase(result, phrase, ' ');
    }
  }
  return { text: result, found };
}

/** Most edits allowed between a typed word and a place name of this length. */
function allowedEdits(length: number): number {
  if (length < 5) return 0;
  return length < 8 ? 1 : 2;
}

function findPlace(text: string, places: readonly Place[]): { text: string; place?: Place } {
  // Longest first, so "merthyr tydfil" wins over a shorter place inside it.
  const byLength = [...places].sort((a, b) => b.key.length - a.key.length);
  for (const place of byLength) {
    if (PLACES_THAT_ARE_WORDS.has(place.key)) continue;
    if (containsPhrase(text, place.key)) return { text: replacePhrase(text, place.key, ' '), place };
  }

  // After "in", "near" and the like, a place may be one that is also an everyday word, or be
  // misspelt. Only there: ordinary words ("dance") must never be mistaken for places ("Dundee").
  const tokens = words(text);
  for (let index = 0; index < tokens.length - 1; index += 1) {
    const marker = tokens[index] ?? '';
    if (!PLACE_MARKERS.has(marker)) continue;
    const candidates = [tokens.slice(index + 1, index + 3).join(' '), tokens[index + 1] ?? ''];
    for (const candidate of candidates) {
      let best: { place: Place; distance: number } | undefined;
      for (const place of byLength) {
        const distance = editDistance(candidate, place.key);
        const allowed = PLACES_THAT_ARE_WORDS.has(place.key) ? 0 : allowedEdits(place.key.length);
        if (distance <= allowed && (!best || distance < best.distance)) best = { place, distance };
      }
      if (best) return { text: replacePhrase(text, `${marker} ${candidate}`, ' '), place: best.place };
    }
  }
  return { text };
}

export function placeKey(name: string): string {
  return normalise(name).replace(/^nhs /, '');
}

export function parseRequest(raw: string, places: readonly Place[]): ParsedRequest {
  let text = normalise(raw);

  const placeMatch = findPlace(text, places);
  text = placeMatch.text;

  // Synonyms first, so "step free" is read as access and not as cost.
  text = applySynonyms(text);
  const free = takePhrases(text, FREE_PHRASES);
  text = free.text;
  const online = takePhrases(text, ONLINE_PHRASES);
  text = online.text;

  const terms: string[] = [];
  for (const word of words(text)) {
    if (STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    const term = stem(word);
    if (!terms.includes(term)) terms.push(term);
  }

  return {
    terms,
    ...(placeMatch.place ? { place: placeMatch.place } : {}),
    free: free.found,
    online: online.found,
  };
}
