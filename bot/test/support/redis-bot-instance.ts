import { Redis } from 'ioredis';
import type { Logger } from '@sp/runtime/logger';
import { createRedisConversationLocks } from '../../src/channels/conversation-locks';
import { createStateCipher } from '../../src/conversation/encrypted-state';
import { createRedisStore } from '../../src/conversation/redis-store';
import { createGatewayActivitySearch } from '../../src/search/gateway-search';
import { createBotServer, type RunningBotServer } from '../../src/server';

export interface RedisBotInstanceOptions {
  redisUrl: string;
  /** Put before every key this instance writes (state and locks), so a test run can delete its own. */
  keyPrefix: string;
  stateKey: Uint8Array;
  gatewayUrl: string;
  /** The conversation lock's expiry; renewed every third of it. */
  lockMs: number;
  logger: Logger;
}

export interface RedisBotInstance extends RunningBotServer {
  /** Closes the server (releasing its locks) and its Redis connection. */
  stop(): Promise<void>;
}

/** A bot instance as index.ts builds one with REDIS_URL: its own Redis connection, state and locks in it. */
export async function startRedisBotInstance(options: RedisBotInstanceOptions): Promise<RedisBotInstance> {
  const { logger } = options;
  const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  await new Promise((resolve) => redis.once('ready', resolve));
  const store = createRedisStore({
    redis,
    cipher: createStateCipher(options.stateKey),
    keyPrefix: `${options.keyPrefix}state:`,
    ttlSeconds: 300,
    logger,
  });
  const locks = createRedisConversationLocks({ redis, logger, ttlMs: options.lockMs, keyPrefix: `${options.keyPrefix}lock:` });
  const gatewaySearch = createGatewayActivitySearch({ url: options.gatewayUrl, logger, timeoutMs: 2_000 });
  const running = await createBotServer({ logger, ...gatewaySearch, store, web: { locks } }).listen(0, '127.0.0.1');
  return {
    ...running,
    async stop() {
      await running.close();
      await redis.quit();
    },
  };
}
