import { normalise, words } from './text';
import type { Intent } from './types';

/** Longer messages get a calm request for a few words instead of a search. */
export const MAX_MESSAGE_CHARACTERS = 300;

const RESTART = new Set(['cancel', 'cancel that', 'stop', 'quit', 'start again', 'restart', 'start over', 'begin again', 'reset', 'new search', 'clear']);
const MORE = new Set(['more', 'show more', 'more please', 'show me more', 'see more', 'more results', 'next', 'any more']);
const HELP = new Set(['help', 'help me', 'help please', 'what can you do', 'how does this work', 'what do i do', 'what can i ask']);
const GOODBYE = new Set(['bye', 'goodbye', 'bye bye', 'see you', 'cheerio']);
const GREETING_WORDS = new Set(['hi', 'hello', 'hey', 'hiya', 'there', 'good', 'morning', 'afternoon', 'evening', 'bot']);
const THANKS_WORDS = new Set(['thanks', 'thank', 'you', 'cheers', 'ta', 'very', 'much', 'so', 'lovely', 'great', 'brilliant']);
const FIRST_GREETINGS = new Set(['hi', 'hello', 'hey', 'hiya', 'good']);
const FIRST_THANKS = new Set(['thanks', 'thank', 'cheers', 'ta']);

/** Asking for a human, however it is put: "can I talk to a real person?", "speak to someone". */
const HUMAN = /\b(talk|speak|chat)(ing)? (to|with) (a |an |some )?(real |actual |live )?(person|human|someone|somebody|people|advisor|adviser|staff)\b|\b(real|actual) (person|human)\b|^(human|person|operator|agent)( please)?$/;
/** "What is social prescribing?", "what's a link worker", "social prescribing?" */
const EXPLAIN = /\b(what|whats|explain|meaning|mean)\b.*\b(social prescribing|social prescription|link worker|community link)|^(social prescribing|social prescription)$/;
/** Swearing or insults: answered calmly, never searched. */
const HOSTILE = /\b(fuck\w*|shit\w*|crap|bollocks|bastard|wanker|twat|piss off|shut up|stupid|idiot\w*|useless|rubbish bot|hate you)\b/;

function looksLikeKeyboardMashing(tokens: string[]): boolean {
  // Words of four or more letters with no vowel at all ("sdfgh", "qwrtz"); "y" counts as a vowel.
  return tokens.every((token) => /^\p{L}+$/u.test(token) && token.length >= 4 && !/[aeiouy]/.test(token));
}

/** What the person wants from this message. Anything not recognised here is a search. */
export function classify(raw: string): Exclude<Intent, 'start' | 'safety'> {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return 'empty';
  if (trimmed === '?') return 'help';
  if (trimmed.length > MAX_MESSAGE_CHARACTERS) return 'too-long';

  const text = normalise(trimmed);
  const tokens = words(text);
  if (!/\p{L}/u.test(text)) return 'unclear';
  if (RESTART.has(text)) return 'restart';
  if (HUMAN.test(text)) return 'human';
  if (EXPLAIN.test(text)) return 'explain';
  if (HOSTILE.test(text)) return 'hostile';
  if (MORE.has(text)) return 'more';
  if (HELP.has(text)) return 'help';
  if (GOODBYE.has(text)) return 'goodbye';
  if (FIRST_GREETINGS.has(tokens[0] ?? '') && tokens.every((token) => GREETING_WORDS.has(token))) return 'greeting';
  if (FIRST_THANKS.has(tokens[0] ?? '') && tokens.every((token) => THANKS_WORDS.has(token))) return 'thanks';
  if (looksLikeKeyboardMashing(tokens)) return 'unclear';
  return 'search';
}
