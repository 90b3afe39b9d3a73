import Fuse from 'fuse.js';
import { normalise, words } from './text';

/**
 * Words that mean someone may need urgent help rather than an activity. Checked on every turn
 * before anything else. The bot does not triage: it stops and gives the numbers to call.
 */
export type SafetyConcern = 'suicide' | 'abuse' | 'emergency';

/**
 * Phrases over normalised text (lower case, apostrophes dropped: "can't" → "cant"). Whole words
 * only, so "killing time" and "dying to try dance" do not match. Each is a regular expression
 * source; `\s` is a single space after normalising.
 */
const PHRASES: Record<SafetyConcern, string[]> = {
  suicide: [
    'kill(ing)? my ?self',
    'end(ing)? (it all|my life|things)',
    'take my (own )?life',
    '(want|wanted|going|ready) to die',
    'wish i (was|were) dead',
    'better off (dead|without me)',
    'no (reason|point) (to|in) (live|living|going on)',
    '(cant|cannot|can not) go on',
    // Ending the message, or with "any more" or "like this": "I don't want to go on the bus" is a search.
    '(dont|do not) want to (go|carry) on( any ?more| like this)?$',
    '(cant|cannot|can not) carry on( any ?more| like this)?$',
    '(dont|do not) want to (be alive|exist) any ?more',
    '(dont|do not) want to (be here|live|wake up)',
    'self harm(ing)?',
    '(hurt|harm|cut|cutting|hurting|harming) my ?self',
    'took (an overdose|too many pills)',
  ],
  abuse: [
    '(he|she|they|partner|husband|wife|boyfriend|girlfriend|dad|mum|son|daughter|carer) (hits|hit|beats|beat|kicks|chokes|strangles|hurts|threatens|rapes|raped) me',
    'hitting me',
    'beating me',
    '(being|been|am|was) (abused|raped|assaulted)',
    '(abusing|abuses|abused) me',
    'domestic (abuse|violence)',
    '(scared|afraid|frightened) of my (partner|husband|wife|boyfriend|girlfriend|carer|son|daughter)',
    '(not|dont feel) safe at home',
  ],
  emergency: [
    'chest pains?',
    '(cant|cannot|can not|struggling to|hard to) breathe?',
    // "Having" only: "groups after a stroke" or "had a heart attack last year" are searches.
    '(having|is having|having had) an? (heart attack|stroke|seizure|fit)',
    '(collapsed|unconscious|not breathing|unresponsive)',
    '(bleeding|bleeds) (heavily|a lot|badly)',
    '(face|mouth) (is )?drooping',
    'overdose(d)?',
    'medical emergency',
  ],
};

const COMPILED: Array<{ concern: SafetyConcern; pattern: RegExp }> = (Object.keys(PHRASES) as SafetyConcern[]).flatMap(
  (concern) => PHRASES[concern].map((source) => ({ concern, pattern: new RegExp(`(?:^| )(?:${source})(?= |$)`) })),
);

/** Single words that are enough on their own, matched with fuse.js so that typos still count. */
const KEYWORDS: Array<{ word: string; concern: SafetyConcern }> = [
  { word: 'suicide', concern: 'suicide' },
  { word: 'suicidal', concern: 'suicide' },
  { word: 'selfharm', concern: 'suicide' },
  { word: 'overdose', concern: 'emergency' },
  { word: 'overdosed', concern: 'emergency' },
];
const fuzzyKeywords = new Fuse(KEYWORDS, { keys: ['word'], threshold: 0.2, ignoreLocation: true, includeScore: true });

/** Long enough for a typo to be told apart from another word ("overdue" is not "overdose"). */
const MIN_FUZZY_LENGTH = 6;

/** Texts longer than this are checked on their first part only; the bot answers them anyway. */
const MAX_CHECKED_CHARACTERS = 4_000;

/** The most serious concern in the message, or null. Suicide first, then emergency, then abuse. */
export function detectConcern(raw: string): SafetyConcern | null {
  const text = normalise(raw.slice(0, MAX_CHECKED_CHARACTERS));
  if (text.length === 0) return null;
  const found = new Set<SafetyConcern>();
  for (const { concern, pattern } of COMPILED) if (pattern.test(text)) found.add(concern);
  const joined = text.replace(/\bself harm/g, 'selfharm');
  for (const token of words(joined)) {
    if (token.length < MIN_FUZZY_LENGTH) continue;
    const best = fuzzyKeywords.search(token, { limit: 1 })[0];
    if (best) found.add(best.item.concern);
  }
  for (const concern of ['suicide', 'emergency', 'abuse'] as const) if (found.has(concern)) return concern;
  return null;
}
