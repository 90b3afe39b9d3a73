import { SearchUnavailableError } from '../search/activity-search';
import { classify } from './intent';
import { detectConcern } from './safety';
import * as say from './replies';
import {
  initialState,
  type BotReply,
  type ConversationDeps,
  type ConversationState,
  type IncomingMessage,
  type TurnResult,
} from './types';

/** Suggestions shown at a time; "More" shows the next ones. */
export const PAGE_SIZE = 3;
/** Suggestions kept from one search. */
export const MAX_RESULTS = 12;

function page(state: ConversationState): { replies: BotReply[]; state: ConversationState; hasMore: boolean } {
  const next = state.results.slice(state.shown, state.shown + PAGE_SIZE);
  const shown = state.shown + next.length;
  return {
    replies: next.map(say.suggestion),
    state: { ...state, shown },
    hasMore: shown < state.results.length,
  };
}

async function search(state: ConversationState, text: string, deps: ConversationDeps): Promise<TurnResult> {
  let result;
  try {
    result = await deps.search.search(text, { limit: MAX_RESULTS });
  } catch (error) {
    // Only an unavailable directory is expected; anything else is the channel's to catch.
    if (!(error instanceof SearchUnavailableError)) throw error;
    return { replies: [say.unavailable], state, summary: { intent: 'search', outcome: 'unavailable' } };
  }

  const { suggestions } = result;
  if (suggestions.length === 0) {
    return { replies: [say.noResults], state: initialState(), summary: { intent: 'search', outcome: 'no-results', resultCount: 0 } };
  }

  const kept = suggestions.slice(0, MAX_RESULTS);
  const shown = page({ results: kept, shown: 0, capped: suggestions.length >= MAX_RESULTS });
  return {
    replies: [
      say.found(kept.length, shown.replies.length, shown.state.capped),
      ...shown.replies,
      say.afterResults(shown.hasMore, shown.state),
    ],
    state: shown.state,
    summary: { intent: 'search', outcome: 'results', resultCount: kept.length },
  };
}

/**
 * One turn of the conversation: the state so far and what the person sent in, the bot's replies
 * and the new state out. No chat framework, no I/O except through `deps`.
 */
export async function respond(
  state: ConversationState,
  message: IncomingMessage,
  deps: ConversationDeps,
): Promise<TurnResult> {
  if (message.type === 'start') {
    return message.returning
      ? { replies: [say.welcomeBack], state: initialState(), summary: { intent: 'start' } }
      : { replies: say.greeting, state: initialState(), summary: { intent: 'start' } };
  }

  // Safety first, every turn, whatever else the message says or however long it is.
  const concern = detectConcern(message.text);
  if (concern) {
    return { replies: say.safety(concern), state: initialState(), summary: { intent: 'safety', concern } };
  }

  const intent = classify(message.text);
  switch (intent) {
    case 'greeting':
      return { replies: [say.hello], state, summary: { intent } };
    case 'help':
      return { replies: [say.help], state, summary: { intent } };
    case 'restart':
      return { replies: [say.restarted], state: initialState(), summary: { intent } };
    case 'thanks':
      return { replies: [say.thanks], state, summary: { intent } };
    case 'goodbye':
      return { replies: [say.goodbye], state: initialState(), summary: { intent } };
    case 'empty':
      return { replies: [say.empty], state, summary: { intent } };
    case 'unclear':
      return { replies: [say.unclear], state, summary: { intent } };
    case 'human':
      return { replies: [say.human], state, summary: { intent } };
    case 'explain':
      return { replies: say.explain, state, summary: { intent } };
    case 'hostile':
      return { replies: [say.hostile], state, summary: { intent } };
    case 'too-long':
      return { replies: [say.tooLong], state, summary: { intent } };
    case 'more': {
      if (state.results.length === 0) {
        return { replies: [say.nothingToShowMore], state, summary: { intent, outcome: 'no-more' } };
      }
      if (state.shown >= state.results.length) {
        return { replies: [say.noMore(state)], state, summary: { intent, outcome: 'no-more' } };
      }
      const shown = page(state);
      return {
        replies: [say.showingMore(shown.replies.length), ...shown.replies, say.afterResults(shown.hasMore, shown.state)],
        state: shown.state,
        summary: { intent, outcome: 'results', resultCount: shown.replies.length },
      };
    }
    case 'search':
      return search(state, message.text, deps);
  }
}
