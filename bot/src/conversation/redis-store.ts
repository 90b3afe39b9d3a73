// Conversation state in Redis, shared by every bot instance and kept across restarts, encrypted
// at rest (see ./encrypted-state). Chosen by index.ts when REDIS_URL is set; memory otherwise.
import { Redis } from 'ioredis';
import type { Logger } from '@sp/runtime/logger';
import { createStateCipher, loadOrCreateStateKeyFile, parseStateKey, type StateCipher } from './encrypted-state';
import { createMemoryStore, type ConversationStore } from './state-store';
import type { ConversationState } from './types';

export const DEFAULT_STATE_TTL_SECONDS = 30 * 60;
export const DEFAULT_STATE_KEY_PREFIX = 'sp:bot:conversation:';

/** The few Redis commands the store uses (an ioredis client has them). */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
}

export interface RedisStoreOptions {
  redis: RedisCommands;
  cipher: StateCipher;
  /** A conversation untouched for this long expires; every write starts the time again. */
  ttlSeconds?: number;
  /** Put before each conversation id to make the Redis key, so several uses can share a server. */
  keyPrefix?: string;
  logger?: Logger;
}

/**
 * Each conversation is one Redis string, `<prefix><conversation id>`, holding the sealed JSON of
 * its state, written with `SET … EX ttl` so idle conversations expire by themselves. A value that
 * does not decrypt (changed, or sealed with another key) or does not parse is treated as missing:
 * the conversation starts afresh. A Redis failure rejects, and the channel apologises.
 */
export function createRedisStore(options: RedisStoreOptions): ConversationStore {
  const { redis, cipher } = options;
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_STATE_TTL_SECONDS;
  const keyPrefix = options.keyPrefix ?? DEFAULT_STATE_KEY_PREFIX;
  const keyOf = (conversationId: string) => `${keyPrefix}${conversationId}`;

  return {
    async get(conversationId) {
      const key = keyOf(conversationId);
      const sealed = await redis.get(key);
      if (sealed === null) return undefined;
      const plaintext = cipher.open(sealed, key);
      if (plaintext === undefined) {
        options.logger?.warn({ conversationId }, 'conversation state did not decrypt; starting afresh');
        return undefined;
      }
      try {
        return JSON.parse(plaintext) as ConversationState;
      } catch {
        options.logger?.warn({ conversationId }, 'conversation state was not JSON; starting afresh');
        return undefined;
      }
    },
    async set(conversationId, state) {
      const key = keyOf(conversationId);
      await redis.set(key, cipher.seal(JSON.stringify(state), key), 'EX', ttlSeconds);
    },
    async delete(conversationId) {
      await redis.del(keyOf(conversationId));
    },
  };
}

export interface ConversationStoreSettings {
  /** Redis when set; memory otherwise. */
  redisUrl?: string;
  /** The state key (base64 or hex, 32 bytes). */
  stateKey?: string;
  /** Where the development key is read from, or created when `createKeyFile` is true. */
  stateKeyFile: string;
  createKeyFile: boolean;
  ttlSeconds: number;
  keyPrefix?: string;
}

export interface OpenedConversationStore extends ConversationStore {
  kind: 'memory' | 'redis';
  /** The Redis connection (kind 'redis'), shared with the web channel's conversation locks. */
  redis?: Redis;
  /** Rejects when the store cannot be used (Redis unreachable). */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The store the settings ask for. Redis: connects (waiting briefly, never failing the start: a
 * Redis that comes up later is used then), loads or creates the key. Commands fail fast while
 * Redis is down (no offline queue, a one-second timeout), so a turn is answered with an apology
 * rather than left waiting.
 */
export async function openConversationStore(settings: ConversationStoreSettings, logger: Logger): Promise<OpenedConversationStore> {
  if (!settings.redisUrl) {
    const memory = createMemoryStore({ idleTtlMs: settings.ttlSeconds * 1000 });
    return { ...memory, kind: 'memory', check: async () => undefined, close: async () => undefined };
  }

  let key: Buffer;
  if (settings.stateKey !== undefined) {
    key = parseStateKey(settings.stateKey);
  } else if (settings.createKeyFile) {
    key = await loadOrCreateStateKeyFile(settings.stateKeyFile);
  } else {
    throw new Error('BOT_STATE_KEY is required when conversation state is kept in Redis in production.');
  }

  const redis = new Redis(settings.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
  });
  let connected = false;
  let warned = false;
  redis.on('ready', () => {
    if (!connected) logger.info('conversation state: connected to Redis');
    connected = true;
  });
  redis.on('error', (error: unknown) => {
    // ioredis retries for ever and reports every attempt; say it once per outage.
    if (connected || !warned) logger.warn({ err: error }, 'conversation state: Redis unavailable');
    connected = false;
    warned = true;
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });

  const store = createRedisStore({ redis, cipher: createStateCipher(key), ttlSeconds: settings.ttlSeconds, keyPrefix: settings.keyPrefix, logger });
  return {
    ...store,
    kind: 'redis',
    redis,
    async check() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
