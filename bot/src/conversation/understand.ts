import Fuse from 'fuse.js';
import type { PlaceIndex } from './places';
import { normalise } from './text';
import type { Delivery } from './types';

/**
 * Reads what a search request already says, so the bot asks only for what is missing: a place
 * (a town or area the directory knows, typos included, or a postcode), "online", "by phone" or
 * "at home", "anywhere", "free", "step-free", and what it is about ("PD", "MS", "memory
 * problems", "can't get out much"). The search itself still gets the person's words: the
 * gateway's search understands them too. Here they decide what to ask and what to offer.
 */
export interface Understanding {
  /** The place to search in: a directory place, the town of a postcode, or a name after "in". */
  place: string | null;
  /** True when the place is one the directory knows (or a postcode in one of its towns). */
  knownPlace: boolean;
  /** "near me", "local": a place is wanted but not named. */
  nearMe: boolean;
  delivery: Delivery | null;
  anywhere: boolean;
  free: boolean;
  stepFree: boolean;
  /** What it is about, in plain words: "Parkinson's", "dance". */
  topics: string[];
  /** The request for the search: a misspelt place or a postcode replaced by the town, "anywhere" left out. */
  query: string;
  /** The words that are neither the place nor "anywhere", normalised. */
  rest: string[];
}

/** Postcode areas of the UK, so "B12" or "DD1" reads as a postcode and "x2" does not. */
const POSTCODE_AREAS = new Set(
  ('AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL ' +
    'GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX ' +
    'PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR ' +
    'WS WV YO ZE').split(' '),
);
const POSTCODE = /^([A-Za-z]{1,2})(\d[A-Za-z\d]?)$/;
const INWARD = /^\d[A-Za-z]{2}$/;

const PREPOSITIONS = new Set(['in', 'near', 'around', 'round', 'nr', 'at', 'within', 'about']);
/** Words after "in" or "near" that are not places. */
const NOT_PLACES = new Set(
  (
    'a an the my our your his her their this that these those it there here me us them person people group groups class ' +
    'classes morning mornings afternoon afternoons evening evenings week weekend weekends summer winter spring autumn ' +
    'daytime english welsh gaelic bsl town city area centre center hall library church school home house bed chair ' +
    'wheelchair time touch general particular private public water pool studio need needs mind doors indoors outdoors ' +
    'future way case addition interest interested pain getting trouble help what which how monday tuesday wednesday ' +
    'thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays sundays january february ' +
    'march april may june july august september october november december bath bed'
  ).split(' '),
);

const NEAR_ME = ['near me', 'nearby', 'near by', 'local', 'locally', 'close to me', 'close by', 'in my area', 'round here', 'around here', 'near here', 'near where i live', 'in my town', 'near my home', 'near home', 'where i live'];
const ANYWHERE = ['anywhere', 'any where', 'anyplace', 'any place', 'everywhere', 'wherever', 'dont mind where', 'do not mind where', 'doesnt matter where', 'no preference', 'not fussy where', 'anywhere at all', 'anywhere is fine'];
/** Said on their own as an answer to "Where should it be?". */
const ANYWHERE_ANSWERS = new Set(['any', 'skip', 'dont mind', 'i dont mind', 'do not mind', 'doesnt matter', 'it doesnt matter', 'not sure', 'dont know', 'i dont know', 'either', 'no', 'none', 'not fussy', 'whatever']);

const DELIVERY_PHRASES: Array<[Delivery, string[]]> = [
  ['online', ['online', 'on line', 'zoom', 'video call', 'video calls', 'virtual', 'virtually', 'internet', 'remote', 'remotely', 'on the computer', 'teams']],
  ['phone', ['phone', 'by phone', 'telephone', 'by telephone', 'over the phone', 'on the phone', 'phone call', 'phone calls']],
  [
    'home',
    [
      'at home', 'from home', 'in my home', 'home visit', 'home visits', 'visit at home', 'visits at home', 'housebound',
      'house bound', 'cant get out', 'cannot get out', 'can not get out', 'doesnt get out', 'dont get out', 'cant leave the house',
      'cannot leave the house', 'stuck at home', 'stuck indoors', 'without leaving home', 'visit me', 'come to me', 'comes to me',
      'visit her', 'visit him', 'come to the house',
    ],
  ],
];
const STEP_FREE = ['step free', 'stepfree', 'wheelchair', 'wheel chair', 'wheelchair access', 'wheelchair accessible', 'accessible', 'disabled access', 'no stairs', 'no steps', 'level access', 'level entrance', 'lift access', 'barrier free', 'uses a wheelchair'];
const FREE = ['free', 'free of charge', 'no cost', 'costs nothing', 'cost nothing', 'no fee', 'no fees', 'for free', 'nothing to pay', 'dont want to pay', 'cant afford'];
/** "Gluten free" is not about cost; "step free" and "barrier free" are about access. */
const NOT_COST_FREE = new Set(['step', 'barrier', 'gluten', 'dairy', 'sugar', 'alcohol', 'smoke', 'scent', 'fragrance', 'nut', 'stress', 'hands', 'pain', 'symptom', 'care', 'worry', 'hassle']);

/** Words that say what a request is about, to tell a new request from an answer. */
const TOPICS: Array<[string, string[]]> = [
  ["Parkinson's", ['pd', 'parkinsons', 'parkinson', 'parkinsonism']],
  ['multiple sclerosis', ['ms', 'multiple sclerosis', 'sclerosis']],
  ['dementia', ['dementia', 'memory', 'memory problems', 'memory loss', 'alzheimers', 'forgetful', 'confusion']],
  ['loneliness', ['lonely', 'loneliness', 'isolated', 'isolation', 'on my own', 'alone', 'cant get out much', 'cannot get out much', 'no friends']],
  ['stroke', ['stroke', 'strokes']],
  ['mental health', ['mental health', 'anxiety', 'anxious', 'depression', 'depressed', 'low mood', 'stress', 'stressed', 'wellbeing']],
  ['carers', ['carer', 'carers', 'caring']],
  ['dance', ['dance', 'dancing', 'ballet', 'ceilidh', 'zumba']],
  ['singing', ['sing', 'singing', 'choir', 'songs']],
  ['walking', ['walk', 'walks', 'walking', 'rambling', 'hiking']],
  ['gardening', ['garden', 'gardening', 'growing', 'allotment', 'plants']],
  ['arts', ['art', 'arts', 'drawing', 'painting', 'craft', 'crafts', 'pottery', 'photography', 'creative', 'writing']],
  ['music', ['music', 'musical', 'band', 'drumming']],
  ['reading', ['book', 'books', 'reading', 'library', 'poetry']],
  ['knitting', ['knit', 'knitting', 'crochet', 'sewing', 'stitching']],
  ['exercise', ['exercise', 'fitness', 'yoga', 'pilates', 'tai chi', 'keep fit', 'swimming', 'gym', 'football', 'sport', 'sports', 'balance']],
  ['befriending', ['befriending', 'befriender', 'befriend', 'company', 'someone to talk to', 'chat', 'companionship']],
  ['cookery', ['cook', 'cooking', 'cookery', 'lunch', 'meals', 'food']],
  ['museum', ['museum', 'museums', 'heritage', 'history', 'reminiscence']],
  ['film', ['film', 'films', 'cinema', 'theatre', 'drama', 'comedy']],
  ['mindfulness', ['mindfulness', 'meditation', 'relaxation', 'relax', 'calm']],
  ['advice', ['advice', 'debt', 'money', 'benefits', 'housing', 'bills']],
  ['social group', ['group', 'club', 'class', 'classes', 'social', 'coffee', 'cafe', 'activity', 'activities', 'something']],
];
const topicFuse = new Fuse(
  TOPICS.flatMap(([topic, words]) => words.filter((word) => word.length >= 5 && !word.includes(' ')).map((word) => ({ topic, word }))),
  { keys: ['word'], includeScore: true, threshold: 0.25, ignoreLocation: true },
);
const optionFuse = new Fuse(
  [
    { word: 'online', option: 'online' },
    { word: 'telephone', option: 'phone' },
    { word: 'housebound', option: 'home' },
    { word: 'wheelchair', option: 'step-free' },
    { word: 'accessible', option: 'step-free' },
    { word: 'stepfree', option: 'step-free' },
  ] as const,
  { keys: ['word'], includeScore: true, threshold: 0.25, ignoreLocation: true },
);

interface Token {
  /** As typed, punctuation and all. */
  raw: string;
  /** Normalised; may hold two words ("step-free" gives "step free") or none ("&"). */
  norm: string;
}

function tokenise(text: string): Token[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((raw) => raw.length > 0)
    .map((raw) => ({ raw, norm: normalise(raw) }));
}

function phraseOf(tokens: Token[], start: number, end: number): string {
  return tokens
    .slice(start, end)
    .map((token) => token.norm)
    .filter((norm) => norm.length > 0)
    .join(' ');
}

/** Where a list of phrases occurs, as token ranges; longest phrases first, no overlaps. */
function findPhrases(tokens: Token[], phrases: Iterable<string>, used: boolean[]): Array<[number, number]> {
  const wanted = new Set(phrases);
  const found: Array<[number, number]> = [];
  for (let length = Math.min(5, tokens.length); length >= 1; length -= 1) {
    for (let start = 0; start + length <= tokens.length; start += 1) {
      if (used.slice(start, start + length).some(Boolean)) continue;
      if (wanted.has(phraseOf(tokens, start, start + length))) {
        found.push([start, start + length]);
        for (let index = start; index < start + length; index += 1) used[index] = true;
      }
    }
  }
  return found;
}

/** Does the normalised text contain any of the phrases, as whole words? */
function mentions(norm: string, phrases: string[]): boolean {
  const padded = ` ${norm} `;
  return phrases.some((phrase) => padded.includes(` ${phrase} `));
}

function titleCase(words: string): string {
  return words.replace(/\p{L}+/gu, (word) => word.charAt(0).toUpperCase() + word.slice(1));
}

function keepPunctuation(raw: string, replacement: string): string {
  const trailing = /[^\p{L}\p{N}]+$/u.exec(raw)?.[0] ?? '';
  return `${replacement}${trailing}`;
}

export function understand(text: string, places: PlaceIndex, options: { answerToWhere?: boolean } = {}): Understanding {
  const tokens = tokenise(text);
  const norm = normalise(text);
  const words = norm.length > 0 ? norm.split(' ') : [];
  const used: boolean[] = tokens.map(() => false);
  const replacements = new Map<number, { end: number; text: string }>();
  let place: string | null = null;
  let knownPlace = false;

  // "Anywhere" first, so it is neither a place nor part of the search.
  const anywhereRanges = findPhrases(tokens, ANYWHERE, used);
  let anywhere = anywhereRanges.length > 0;
  if (options.answerToWhere && ANYWHERE_ANSWERS.has(norm)) {
    anywhere = true;
    for (let index = 0; index < tokens.length; index += 1) used[index] = true;
    anywhereRanges.push([0, tokens.length]);
  }
  for (const [start, end] of anywhereRanges) replacements.set(start, { end, text: '' });

  const nearMe = mentions(norm, NEAR_ME);

  // A postcode: the town it is in when the directory knows one there.
  for (let index = 0; index < tokens.length && place === null; index += 1) {
    const raw = tokens[index]!.raw.replace(/[^A-Za-z\d]/g, '');
    const match = POSTCODE.exec(raw);
    if (!match || !POSTCODE_AREAS.has(match[1]!.toUpperCase())) continue;
    const inward = tokens[index + 1] && INWARD.test(tokens[index + 1]!.raw.replace(/[^A-Za-z\d]/g, '')) ? 1 : 0;
    // An outward code alone ("DD1") needs a digit after the letters and no word-like shape.
    const end = index + 1 + inward;
    const town = places.postcode(raw);
    place = town ?? raw.toUpperCase();
    knownPlace = town !== undefined;
    for (let covered = index; covered < end; covered += 1) used[covered] = true;
    replacements.set(index, { end, text: town ?? tokens.slice(index, end).map((token) => token.raw).join(' ') });
  }

  // A place the directory knows, named exactly anywhere in the message.
  if (place === null) {
    outer: for (let length = Math.min(5, tokens.length); length >= 1; length -= 1) {
      for (let start = 0; start + length <= tokens.length; start += 1) {
        if (used.slice(start, start + length).some(Boolean)) continue;
        const phrase = phraseOf(tokens, start, start + length);
        // "MS" and "PD" are conditions, whatever the directory holds.
        if (phrase.length < 3) continue;
        const name = places.exact(phrase);
        if (name) {
          place = name;
          knownPlace = true;
          for (let index = start; index < start + length; index += 1) used[index] = true;
          break outer;
        }
      }
    }
  }

  // A misspelt place after "in" or "near", or a whole answer to "Where should it be?".
  if (place === null) {
    const starts: number[] = [];
    tokens.forEach((token, index) => {
      if (PREPOSITIONS.has(token.norm) && index + 1 < tokens.length) starts.push(index + 1);
    });
    if (options.answerToWhere) starts.unshift(0);
    search: for (const start of starts) {
      for (let length = Math.min(3, tokens.length - start); length >= 1; length -= 1) {
        if (used.slice(start, start + length).some(Boolean)) continue;
        const phrase = phraseOf(tokens, start, start + length);
        const name = places.fuzzy(phrase);
        if (name) {
          place = name;
          knownPlace = true;
          for (let index = start; index < start + length; index += 1) used[index] = true;
          const last = tokens[start + length - 1]!;
          replacements.set(start, { end: start + length, text: keepPunctuation(last.raw, name) });
          break search;
        }
      }
    }
  }

  // A place the directory does not know, named after "in" or "near": "yoga in Kirriemuir".
  const topics = new Set<string>();
  const topicWords = new Set(TOPICS.flatMap(([, list]) => list));
  if (place === null && !nearMe) {
    for (let index = 0; index + 1 < tokens.length; index += 1) {
      if (!['in', 'near', 'around', 'nr'].includes(tokens[index]!.norm)) continue;
      const next = tokens[index + 1]!;
      const word = next.norm;
      if (!/^\p{L}{3,}$/u.test(word) || NOT_PLACES.has(word) || topicWords.has(word) || word.endsWith('ing')) continue;
      if (used[index + 1]) continue;
      place = titleCase(next.raw.replace(/[^\p{L}'’-]/gu, ''));
      used[index + 1] = true;
      break;
    }
  }

  let delivery: Delivery | null = null;
  for (const [mode, phrases] of DELIVERY_PHRASES) {
    if (mentions(norm, phrases)) {
      delivery = mode;
      break;
    }
  }

  const stepFree = mentions(norm, STEP_FREE) || words.some((word) => word === 'stepfree');
  const free = words.some((word, index) => word === 'free' && !NOT_COST_FREE.has(words[index - 1] ?? '')) || mentions(norm, FREE.filter((phrase) => phrase !== 'free'));

  let fuzzyStepFree = false;
  for (const word of words) {
    if (word.length >= 5) {
      const option = optionFuse.search(word, { limit: 1 })[0];
      if (option && (option.score ?? 1) <= 0.25 && Math.abs(option.item.word.length - word.length) <= 2) {
        if (option.item.option === 'step-free') fuzzyStepFree = true;
        else delivery ??= option.item.option;
      }
    }
  }

  for (const [topic, list] of TOPICS) if (mentions(norm, list)) topics.add(topic);
  for (const word of words) {
    if (word.length < 5 || topicWords.has(word)) continue;
    const hit = topicFuse.search(word, { limit: 1 })[0];
    if (hit && (hit.score ?? 1) <= 0.25 && Math.abs(hit.item.word.length - word.length) <= 2) topics.add(hit.item.topic);
  }

  const parts: string[] = [];
  for (let index = 0; index < tokens.length; ) {
    const replacement = replacements.get(index);
    if (replacement) {
      if (replacement.text.length > 0) parts.push(replacement.text);
      index = replacement.end;
    } else {
      parts.push(tokens[index]!.raw);
      index += 1;
    }
  }
  const query = parts.join(' ').replace(/\s+([,.!?;:])/g, '$1').replace(/^[,.;:\s]+|[,;:\s]+$/g, '').trim();
  const rest = tokens.filter((_, index) => !used[index]).flatMap((token) => (token.norm ? token.norm.split(' ') : []));

  return {
    place,
    knownPlace,
    nearMe,
    delivery,
    anywhere,
    free,
    stepFree: stepFree || fuzzyStepFree,
    topics: [...topics],
    query,
    rest,
  };
}
