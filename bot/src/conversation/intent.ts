import Fuse from 'fuse.js';
import { readReference } from './answers';
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

/** Short commands, matched whole; fuse.js forgives a typo or two ("sign inn", "my referals"). */
type Command = 'sign-in' | 'sign-out' | 'my-referrals' | 'check-referral' | 'withdraw-referral';
const COMMANDS: Array<[Command, string[]]> = [
  [
    'sign-in',
    [
      'sign in', 'signin', 'log in', 'login', 'log on', 'logon', 'professional', 'im a professional', 'i am a professional',
      'professional sign in', 'sign in as a professional', 'im a gp', 'i am a gp', 'im a link worker', 'i am a link worker',
      'staff sign in', 'refer someone', 'make a referral', 'i want to refer someone',
    ],
  ],
  ['sign-out', ['sign out', 'signout', 'log out', 'logout', 'log off', 'logoff']],
  ['my-referrals', ['my referrals', 'show my referrals', 'list my referrals', 'see my referrals', 'referrals i made', 'my caseload', 'recent referrals', 'my recent referrals']],
  [
    'check-referral',
    [
      'check my referral', 'check referral', 'check a referral', 'check my request', 'check on my referral', 'check on my request',
      'referral status', 'check status', 'check my status', 'track my referral', 'my referral', 'check my self referral',
    ],
  ],
  [
    // "Cancel" on its own is the global "stop this" (RESTART, read first); with "my referral" or
    // "my request" after it, it means the request already sent.
    'withdraw-referral',
    [
      'withdraw', 'withdraw my referral', 'withdraw referral', 'withdraw a referral', 'withdraw my request', 'withdraw my self referral',
      'i want to withdraw', 'i want to withdraw my referral', 'cancel my referral', 'cancel referral', 'cancel a referral',
      'cancel my request', 'cancel request', 'cancel my self referral', 'i want to cancel my referral', 'stop my referral',
      'take back my referral', 'take my referral back', 'withdraw this referral',
    ],
  ],
];
/**
 * Saying they are no longer going, matched exactly and never guessed at: "I don't want to go on
 * any more" is close in letters and means something else entirely.
 */
const NOT_GOING = new Set([
  'i dont want to go any more', 'i dont want to go anymore', 'i do not want to go any more', 'i do not want to go anymore',
  'dont want to go any more', 'dont want to go anymore', 'i no longer want to go', 'i dont want to go now', 'i cant go any more',
  'i cant go anymore', 'i cannot go any more', 'i cannot go anymore', 'i wont be going', 'i will not be going', 'im not going any more',
  'im not going anymore', 'i am not going any more', 'i am not going anymore', 'i cant make it any more', 'i cant make it anymore',
]);
const COMMAND_BY_PHRASE = new Map(COMMANDS.flatMap(([command, phrases]) => phrases.map((phrase) => [phrase, command] as const)));
const commandFuse = new Fuse(
  COMMANDS.flatMap(([command, phrases]) => phrases.map((phrase) => ({ command, phrase }))),
  { keys: ['phrase'], includeScore: true, threshold: 0.35, ignoreLocation: true },
);

/** Close to a command, but not one: "sign up" is not "sign out" (nor, for the public, "sign in"). */
const NOT_COMMANDS = new Set(['sign up', 'signup', 'sign me up', 'log cabin']);

function command(raw: string, fuzzy: boolean): Command | undefined {
  const text = raw.replace(/^please /, '').replace(/ please$/, '');
  const exact = COMMAND_BY_PHRASE.get(text);
  if (exact) return exact;
  if (!fuzzy || text.length < 5 || words(text).length > 6 || NOT_COMMANDS.has(text)) return undefined;
  const best = commandFuse.search(text, { limit: 1 })[0];
  // Similar length too: "sign" alone, or "singing", is not "sign in". Signing out is never guessed.
  if (!best || (best.score ?? 1) > 0.35 || best.item.command === 'sign-out') return undefined;
  return Math.abs(best.item.phrase.length - text.length) <= Math.max(2, Math.round(best.item.phrase.length * 0.2)) ? best.item.command : undefined;
}

/**
 * "withdraw SP-4K7QX-M2D9B" (the value of the "Withdraw this referral" button after a status
 * check) or "cancel SP-4K7QX-M2D9B": the reference of the request to withdraw.
 */
export function readWithdrawal(raw: string): string | undefined {
  const match = /^(?:withdraw|cancel)\s+(?:my\s+)?(?:referral\s+|request\s+)?(sp\b.*|sp\w{10})$/i.exec(raw.trim());
  return (match && readReference(match[1]!)) ?? undefined;
}

/**
 * A referral's number in "My referrals", or its id (the service's are UUIDs). Either has a digit,
 * so "show dance" or "withdraw everything" is never read as one.
 */
const REFERRAL_TARGET = '(?:referral\\s+)?(?:number\\s+|no\\.?\\s*|#)?([A-Za-z0-9_:.-]*\\d[A-Za-z0-9_:.-]*)';
const OPEN = new RegExp(`^(?:open|show|view|see)\\s+${REFERRAL_TARGET}$`, 'i');
const WITHDRAW_MINE = new RegExp(`^(?:withdraw|cancel referral)\\s+${REFERRAL_TARGET}$`, 'i');

/** "open 2", "show 2", "open referral 2", "open <id>": a referral from "My referrals". */
export function readOpen(raw: string): string | undefined {
  const target = OPEN.exec(raw.trim())?.[1];
  return target && target.length <= 64 ? target : undefined;
}

/**
 * "withdraw referral <id>" (the value of a professional's "Withdraw this referral" button) or
 * "withdraw 2": the referral to withdraw. A self-referral's reference (SP-…) is `readWithdrawal`'s.
 */
export function readWithdrawMine(raw: string): string | undefined {
  const text = raw.trim();
  if (readWithdrawal(text)) return undefined;
  const target = WITHDRAW_MINE.exec(text)?.[1];
  return target && target.length <= 64 ? target : undefined;
}

/** "refer 2", "refer act-123", "ask to join 1", "join act-123": an action on a suggestion. */
const ACTION = /^(refer|join|ask to join|self refer|self-refer)\s+(?:number\s+|no\.?\s*|#)?([A-Za-z0-9_:.-]{1,64})$/i;

export function readAction(raw: string): { action: 'refer' | 'join'; target: string } | undefined {
  const match = ACTION.exec(raw.trim());
  if (!match) return undefined;
  return { action: match[1]!.toLowerCase() === 'refer' ? 'refer' : 'join', target: match[2]! };
}

const REFINEMENTS: Record<string, 'free' | 'step-free' | 'online'> = {
  free: 'free', 'free only': 'free', 'only free': 'free', 'free ones': 'free', 'just free': 'free', 'free ones only': 'free',
  'step free': 'step-free', stepfree: 'step-free', 'step free only': 'step-free', wheelchair: 'step-free', 'wheelchair access': 'step-free',
  'wheelchair accessible': 'step-free', accessible: 'step-free',
  online: 'online', 'online only': 'online', 'only online': 'online', 'on line': 'online',
};

/** "Free only", "Step-free", "Online": a need to add to the last search. */
export function readRefinement(raw: string): 'free' | 'step-free' | 'online' | undefined {
  return REFINEMENTS[normalise(raw)];
}

function looksLikeKeyboardMashing(tokens: string[]): boolean {
  // Words of four or more letters with no vowel at all ("sdfgh", "qwrtz"); "y" counts as a vowel.
  return tokens.every((token) => /^\p{L}+$/u.test(token) && token.length >= 4 && !/[aeiouy]/.test(token));
}

/** What the person wants from this message. Anything not recognised here is a search. */
export function classify(raw: string, options: { fuzzyCommands?: boolean } = {}): Exclude<Intent, 'start' | 'safety' | 'refine' | 'answer'> {
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
  if (NOT_GOING.has(text.replace(/^please /, '')) || readWithdrawal(trimmed)) return 'withdraw-referral';
  const named = command(text, options.fuzzyCommands ?? true);
  if (named) return named;
  if (readWithdrawMine(trimmed)) return 'withdraw-referral';
  if (readOpen(trimmed)) return 'open-referral';
  const action = readAction(trimmed);
  if (action) return action.action;
  if (FIRST_GREETINGS.has(tokens[0] ?? '') && tokens.every((token) => GREETING_WORDS.has(token))) return 'greeting';
  if (FIRST_THANKS.has(tokens[0] ?? '') && tokens.every((token) => THANKS_WORDS.has(token))) return 'thanks';
  if (looksLikeKeyboardMashing(tokens)) return 'unclear';
  return 'search';
}
