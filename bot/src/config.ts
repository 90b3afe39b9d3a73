import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { hostVariable, logLevelVariable, portVariable } from '@sp/runtime/config';
import { parseStateKey } from './conversation/encrypted-state';
import { DEFAULT_CONVERSATION_LOCK_SECONDS } from './channels/conversation-locks';
import { DEFAULT_STATE_TTL_SECONDS, type ConversationStoreSettings } from './conversation/redis-store';

/** The repository root: `data/` (DATA_DIR) is resolved against it, as the other services do. */
export const REPOSITORY_DIR = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUnset, schema.optional());

/**
 * The bot's environment. Only index.ts reads `process.env`, through this schema. The
 * conversation-state variables are optional with no schema default, so the parsed config holds
 * only what was set; `stateStoreSettings` applies the defaults.
 */
export const botConfigSchema = z
  .object({
    BOT_PORT: portVariable(3000),
    BOT_HOST: hostVariable,
    GATEWAY_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4000/graphql' })
      .default('http://127.0.0.1:4000/graphql'),
    LOG_LEVEL: logLevelVariable,
    NODE_ENV: optional(z.string()),
    /** Folder for the development state key (relative to the repository), as for the other services. */
    DATA_DIR: optional(z.string()),
    /** Conversation state in Redis (shared by instances, kept across restarts) instead of memory. */
    REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })),
    /** AES-256-GCM key for state at rest in Redis: 32 bytes, base64 or hex. */
    BOT_STATE_KEY: optional(
      z.string().refine(
        (value) => {
          try {
            parseStateKey(value);
            return true;
          } catch {
            return false;
          }
        },
        'must be 32 random bytes, written as 64 hex digits or 44 base64 characters (openssl rand -base64 32)',
      ),
    ),
    /** A conversation idle this long is forgotten. */
    BOT_STATE_TTL_SECONDS: optional(
      z.coerce
        .number({ error: 'must be a whole number of seconds' })
        .int('must be a whole number of seconds')
        .min(60, 'must be at least 60 seconds')
        .max(86_400, 'must be at most 86400 seconds (a day)'),
    ),
    /**
     * With REDIS_URL: how long an open connection's lock on its conversation lasts unless renewed
     * (every third of it), so how long a conversation waits after its instance dies.
     */
    BOT_CONVERSATION_LOCK_SECONDS: optional(
      z.coerce
        .number({ error: 'must be a whole number of seconds' })
        .int('must be a whole number of seconds')
        .min(10, 'must be at least 10 seconds (the lock is renewed every third of it)')
        .max(300, 'must be at most 300 seconds'),
    ),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV === 'production' && env.REDIS_URL !== undefined && env.BOT_STATE_KEY === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['BOT_STATE_KEY'],
        message: 'is required in production when REDIS_URL is set (the development key file is for one machine only)',
      });
    }
  });

export type BotConfig = z.infer<typeof botConfigSchema>;

/** Where conversation state lives, from the parsed config, with the defaults applied. */
export function stateStoreSettings(config: BotConfig): ConversationStoreSettings {
  return {
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    ...(config.BOT_STATE_KEY ? { stateKey: config.BOT_STATE_KEY } : {}),
    stateKeyFile: path.resolve(REPOSITORY_DIR, config.DATA_DIR ?? 'data', 'bot-state-key'),
    createKeyFile: config.NODE_ENV !== 'production',
    ttlSeconds: config.BOT_STATE_TTL_SECONDS ?? DEFAULT_STATE_TTL_SECONDS,
  };
}

/** How long a conversation lock lasts unless renewed, in milliseconds, with the default applied. */
export function conversationLockMs(config: BotConfig): number {
  return (config.BOT_CONVERSATION_LOCK_SECONDS ?? DEFAULT_CONVERSATION_LOCK_SECONDS) * 1000;
}
