import { respond } from '../../src/conversation/respond';
import { initialState, type BotReply, type ConversationDeps, type ConversationState, type IncomingMessage, type TurnResult } from '../../src/conversation/types';
import type { ActivitySearch, SearchResult, Suggestion } from '../../src/search/activity-search';
import { toSuggestion } from '../../src/search/gateway-search';
import { ACTIVITIES, hit } from './activities';

const byId = new Map(ACTIVITIES.map((activity) => [activity.id, toSuggestion(hit(activity))]));
export function suggestions(...ids: string[]): Suggestion[] {
  return ids.map((id) => {
    const suggestion = byId.get(id);
    if (!suggestion) throw new Error(`no fixture activity ${id}`);
    return suggestion;
  });
}

/** A search that answers from a table (anything else finds nothing) and records what it was asked. */
export function tableSearch(answers: Record<string, Suggestion[]>): ActivitySearch & { calls: Array<{ text: string; clientAddress?: string }> } {
  const calls: Array<{ text: string; clientAddress?: string }> = [];
  return {
    calls,
    async search(text, options): Promise<SearchResult> {
      calls.push({ text, ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}) });
      return { suggestions: answers[text] ?? [] };
    },
  };
}

export const texts = (replies: BotReply[]) => replies.map((reply) => reply.text);
export const labels = (reply: BotReply | undefined) => (reply?.quickReplies ?? []).map((quick) => quick.label);
export const values = (reply: BotReply | undefined) => (reply?.quickReplies ?? []).map((quick) => quick.value);

/**
 * A conversation driven turn by turn through `respond`, as a channel drives it. The state goes
 * through JSON between turns, as a shared store would keep it.
 */
export function conversation(deps: ConversationDeps, start: ConversationState = initialState()) {
  let state = start;
  const all: TurnResult[] = [];
  return {
    async say(message: string | IncomingMessage): Promise<TurnResult> {
      const incoming: IncomingMessage = typeof message === 'string' ? { type: 'text', text: message } : message;
      const result = await respond(state, incoming, deps);
      state = JSON.parse(JSON.stringify(result.state)) as ConversationState;
      all.push(result);
      return result;
    },
    get state() {
      return state;
    },
    set state(next: ConversationState) {
      state = next;
    },
    /** Everything said and kept so far, as one string, to check what never appears. */
    everything: () => JSON.stringify({ turns: all.map((turn) => ({ replies: turn.replies, summary: turn.summary })), state }),
    summaries: () => all.map((turn) => turn.summary),
  };
}
