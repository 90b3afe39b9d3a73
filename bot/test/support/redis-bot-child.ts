// Run as a child process by conversation-locks.test.ts: one bot instance on Redis, which the test
// kills with SIGKILL (no close, no lock released). Prints {"url": …} when it listens.
import { createLogger } from '@sp/runtime/logger';
import { startRedisBotInstance } from './redis-bot-instance';

const settings = JSON.parse(process.env.REDIS_BOT_INSTANCE ?? '{}') as {
  redisUrl: string;
  keyPrefix: string;
  stateKeyHex: string;
  gatewayUrl: string;
  lockMs: number;
};
const logger = createLogger({ name: 'bot-child', level: 'info' });
const running = await startRedisBotInstance({ ...settings, stateKey: Buffer.from(settings.stateKeyHex, 'hex'), logger });
console.log(JSON.stringify({ url: running.url }));
