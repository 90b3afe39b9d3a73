import { respond } from './respond';
import type { ConversationStore } from './state-store';
import { initialState, type BotReply, type ConversationDeps, type IncomingMessage, type TurnContext, type TurnSummary } from './types';

/**
 * Runs turns for any channel: loads the state, calls `respond`, saves the state and hands the
 * replies to the channel to deliver. Turns of one conversation run one after another, so a
 * quick second message ("more") never overtakes the first or reads half-written state.
 */
export interface ConversationService {
  handle(
    conversationId: string,
    message: IncomingMessage,
    deliver: (replies: BotReply[]) => Promise<void>,
    /** Who sent it: the address is passed to the gateway (`x-forwarded-for`) for its rate limits. */
    context?: TurnContext,
  ): Promise<TurnSummary>;
  /** Forgets a conversation (its channel closed). */
  end(conversationId: string): Promise<void>;
  /** Resolves when every turn under way has finished. */
  idle(): Promise<void>;
}

export interface ConversationServiceOptions extends ConversationDeps {
  store: ConversationStore;
}

export function createConversationService(options: ConversationServiceOptions): ConversationService {
  const { store } = options;
  const { store: _store, client: _client, ...deps } = options;
  const queues = new Map<string, Promise<unknown>>();

  function enqueue<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(conversationId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(conversationId, tail);
    void tail.then(() => {
      if (queues.get(conversationId) === tail) queues.delete(conversationId);
    });
    return run;
  }

  return {
    handle(conversationId, message, deliver, context) {
      return enqueue(conversationId, async () => {
        const state = (await store.get(conversationId)) ?? initialState();
        const result = await respond(state, message, context ? { ...deps, client: context } : deps);
        await store.set(conversationId, result.state);
        await deliver(result.replies);
        return result.summary;
      });
    },
    end(conversationId) {
      return enqueue(conversationId, () => store.delete(conversationId));
    },
    async idle() {
      while (queues.size > 0) await Promise.all(queues.values());
    },
  };
}
