import type { ConversationState } from './types';

/**
 * Where conversation state lives between turns: in memory (below), or in Redis, encrypted, when
 * REDIS_URL is set (./redis-store.ts). Callers see only this interface.
 */
export interface ConversationStore {
  get(conversationId: string): Promise<ConversationState | undefined>;
  set(conversationId: string, state: ConversationState): Promise<void>;
  delete(conversationId: string): Promise<void>;
}

export interface MemoryStoreOptions {
  /** A conversation untouched for this long is forgotten. */
  idleTtlMs?: number;
  /** The oldest conversations are forgotten beyond this many, so memory stays bounded. */
  maxConversations?: number;
  now?: () => number;
}

/** A bounded in-memory store with no timers: expiry is checked when entries are touched. */
export function createMemoryStore(options: MemoryStoreOptions = {}): ConversationStore & { size(): number } {
  const idleTtlMs = options.idleTtlMs ?? 30 * 60_000;
  const maxConversations = options.maxConversations ?? 10_000;
  const now = options.now ?? Date.now;
  // A Map keeps insertion order; re-inserting on every write makes the first entry the stalest.
  const entries = new Map<string, { state: ConversationState; touchedAt: number }>();

  function evict() {
    for (const [id, entry] of entries) {
      if (entries.size <= maxConversations && now() - entry.touchedAt < idleTtlMs) break;
      entries.delete(id);
    }
  }

  return {
    async get(conversationId) {
      const entry = entries.get(conversationId);
      if (!entry) return undefined;
      if (now() - entry.touchedAt >= idleTtlMs) {
        entries.delete(conversationId);
        return undefined;
      }
      return structuredClone(entry.state);
    },
    async set(conversationId, state) {
      entries.delete(conversationId);
      entries.set(conversationId, { state: structuredClone(state), touchedAt: now() });
      evict();
    },
    async delete(conversationId) {
      entries.delete(conversationId);
    },
    size: () => entries.size,
  };
}
