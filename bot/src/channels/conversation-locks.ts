// Which open connection holds a conversation, across every bot instance that shares one Redis.
// The web channel keeps its own map for the connections of this process; with several instances
// behind a load balancer, this lock is what stops two of them each accepting the same resume token.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '@sp/runtime/logger';

export const DEFAULT_CONVERSATION_LOCK_SECONDS = 30;
export const DEFAULT_CONVERSATION_LOCK_KEY_PREFIX = 'sp:bot:lock:';

/** One connection's hold on its conversation, renewed until it is released. */
export interface ConversationLock {
  /** Stops renewing and deletes the lock if it is still this one's. Never rejects. */
  release(): Promise<void>;
}

export interface ConversationLocks {
  /**
   * Takes the lock on a conversation for one connection: undefined when another connection, on
   * any instance, holds it; rejects when Redis cannot answer (the caller refuses the resume).
   * `onLost` is called if the lock is later found taken by another connection (it lapsed while
   * Redis or this process stalled, and someone resumed the conversation elsewhere).
   */
  take(conversationId: string, onLost: () => void): Promise<ConversationLock | undefined>;
  /**
   * Holds a conversation this process has just made (its token is not yet known to anyone). A
   * Redis that cannot answer does not stop it: the renewals take the lock once Redis is back.
   */
  claim(conversationId: string, onLost: () => void): Promise<ConversationLock>;
}

export interface RedisConversationLocksOptions {
  /** The bot's ioredis connection (the one the state store uses). */
  redis: Redis;
  logger: Logger;
  /** How long a lock lasts unless renewed: after an instance dies, its conversations wait this long. */
  ttlMs?: number;
  /** How often an open connection renews its lock; a third of `ttlMs` unless given. */
  renewMs?: number;
  /** Put before each conversation id to make the Redis key. */
  keyPrefix?: string;
}

/**
 * Renews a lock that is this owner's, or takes it again when it has lapsed and nobody else took
 * it (a renewal missed while Redis was away). 0 when another owner holds it.
 */
const RENEW = `
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] or owner == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Deletes the lock only while it is still this owner's (compare-and-delete). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** The client with the two scripts defined on it (ioredis runs them by EVALSHA, loading them when missing). */
type LockCommands = Redis & {
  renewConversationLock(key: string, owner: string, ttlMs: number): Promise<number>;
  releaseConversationLock(key: string, owner: string): Promise<number>;
};

/**
 * Each held conversation is one Redis string, `<prefix><conversation id>`, holding a random owner
 * value (never the token), set with `SET … NX PX`. The connection renews it every `renewMs` while
 * it is open and deletes it on close only if it is still its own. An instance that dies leaves its
 * locks to expire after `ttlMs`; then the conversations can be resumed on another instance.
 */
export function createRedisConversationLocks(options: RedisConversationLocksOptions): ConversationLocks {
  const ttlMs = options.ttlMs ?? DEFAULT_CONVERSATION_LOCK_SECONDS * 1000;
  const renewMs = options.renewMs ?? Math.floor(ttlMs / 3);
  if (!(renewMs > 0 && renewMs < ttlMs)) throw new Error('A conversation lock must be renewed well inside its expiry.');
  const keyPrefix = options.keyPrefix ?? DEFAULT_CONVERSATION_LOCK_KEY_PREFIX;
  const redis = options.redis as LockCommands;
  redis.defineCommand('renewConversationLock', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('releaseConversationLock', { numberOfKeys: 1, lua: RELEASE });

  /** Renews the lock every `renewMs` until released or found taken by another. */
  function hold(conversationId: string, owner: string, onLost: () => void): ConversationLock & { renew(): Promise<void> } {
    const key = `${keyPrefix}${conversationId}`;
    const log = options.logger.child({ conversationId });
    let released = false;
    let failing = false;
    let renewing: Promise<void> | undefined;

    async function renew() {
      try {
        const renewed = await redis.renewConversationLock(key, owner, ttlMs);
        if (failing) log.info('conversation lock renewed again');
        failing = false;
        if (renewed === 1 || released) return;
        released = true;
        clearInterval(timer);
        log.warn('conversation lock taken by another connection; closing this one');
        onLost();
      } catch (error) {
        // Said once per outage for each connection; the lock is renewed when Redis answers again.
        if (!failing) log.warn({ err: error }, 'could not renew a conversation lock; will try again');
        failing = true;
      }
    }

    const timer = setInterval(() => {
      renewing ??= renew().finally(() => (renewing = undefined));
    }, renewMs);
    timer.unref();

    return {
      renew,
      async release() {
        if (released) return;
        released = true;
        clearInterval(timer);
        await renewing;
        try {
          await redis.releaseConversationLock(key, owner);
        } catch (error) {
          log.warn({ err: error }, 'could not release a conversation lock; it expires by itself');
        }
      },
    };
  }

  return {
    async take(conversationId, onLost) {
      const owner = randomBytes(16).toString('base64url');
      const taken = await redis.set(`${keyPrefix}${conversationId}`, owner, 'PX', ttlMs, 'NX');
      if (taken !== 'OK') return undefined;
      return hold(conversationId, owner, onLost);
    },
    async claim(conversationId, onLost) {
      const lock = hold(conversationId, randomBytes(16).toString('base64url'), onLost);
      await lock.renew();
      return lock;
    },
  };
}
