import type { ActivitySearch, Suggestion } from '../search/activity-search';

/**
 * The conversation's vocabulary. Plain data in and out: no chat framework, no transport, so a
 * conversation can be tested as a transcript and run behind any channel.
 */

/** A button offered with a reply; choosing it sends `value` as if the person had typed it. */
export interface QuickReply {
  label: string;
  value: string;
}

/** One message from the bot. Plain text: channels must show it as text, never as HTML. */
export interface BotReply {
  text: string;
  quickReplies?: QuickReply[];
}

/** What arrives from the person: a typed message, or the start of a conversation. */
export type IncomingMessage =
  | { type: 'text'; text: string }
  /** The chat opened; `returning` when it reconnected after losing its connection. */
  | { type: 'start'; returning?: boolean };

/**
 * Everything the bot remembers between turns. JSON-serialisable so it can move to a shared
 * store (Redis) later; it holds the activities found, never what the person typed.
 */
export interface ConversationState {
  /** The suggestions from the last search, best first. */
  results: Suggestion[];
  /** How many of `results` have been shown. */
  shown: number;
  /** True when the search returned as many as it was asked for, so others may match too. */
  capped: boolean;
}

export interface ConversationDeps {
  search: ActivitySearch;
}

export type Intent =
  | 'start'
  | 'greeting'
  | 'help'
  | 'restart'
  | 'more'
  | 'thanks'
  | 'goodbye'
  | 'empty'
  | 'unclear'
  | 'too-long'
  | 'safety'
  | 'human'
  | 'hostile'
  | 'explain'
  | 'search';

/** What happened in a turn, for logs and metrics. Carries no words from the person. */
export interface TurnSummary {
  intent: Intent;
  /** For 'safety': which kind of urgent need the words suggested. */
  concern?: 'suicide' | 'abuse' | 'emergency';
  outcome?: 'results' | 'no-results' | 'unavailable' | 'no-more';
  resultCount?: number;
}

export interface TurnResult {
  replies: BotReply[];
  state: ConversationState;
  summary: TurnSummary;
}

export function initialState(): ConversationState {
  return { results: [], shown: 0, capped: false };
}
