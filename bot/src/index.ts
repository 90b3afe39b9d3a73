import { ConfigError, loadConfig } from '@sp/runtime/config';
import { createLogger } from '@sp/runtime/logger';
import { createRedisConversationLocks } from './channels/conversation-locks';
import { botConfigSchema, conversationLockMs, stateStoreSettings } from './config';
import { openConversationStore } from './conversation/redis-store';
import { withStoreReadiness } from './readiness';
import { createGatewayServices } from './gateway-services';
import { createBotServer } from './server';

// The only file that reads the environment and listens.
let config;
try {
  config = loadConfig(botConfigSchema, process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger({ name: 'bot', level: config.LOG_LEVEL });

// Botkit has code paths that reject promises nobody awaits. The turn handlers catch their own
// errors, so this is a last line of defence: log it and keep serving other conversations.
process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason }, 'unhandled promise rejection');
});

const { search, readiness, places, referrals } = createGatewayServices({ url: config.GATEWAY_URL, logger });
void places.refresh(); // warm the list of places; a failure is logged and retried when needed
// Conversation state: Redis (encrypted at rest) when REDIS_URL is set, memory otherwise.
let store;
try {
  store = await openConversationStore(stateStoreSettings(config), logger);
} catch (error) {
  console.error(`Cannot keep conversation state: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
logger.info({ store: store.kind }, 'conversation state store');
// With Redis, a conversation is held by one open connection across every instance, not only this one.
const locks = store.redis ? createRedisConversationLocks({ redis: store.redis, logger, ttlMs: conversationLockMs(config) }) : undefined;
const bot = createBotServer({
  logger,
  search,
  places,
  referrals,
  readiness: withStoreReadiness(readiness, store),
  store,
  ...(locks ? { web: { locks } } : {}),
});
const running = await bot.listen(config.BOT_PORT, config.BOT_HOST);
logger.info({ url: running.url, gatewayUrl: config.GATEWAY_URL }, `chat page at ${running.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
