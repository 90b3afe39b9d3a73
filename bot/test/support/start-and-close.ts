// Run as a child process by process-exit.test.ts: starts the bot, holds one chat, closes
// everything, and then must exit on its own (no timer or socket left behind).
import { createLogger } from '@sp/runtime/logger';
import { createBotServer } from '../../src/server';
import { openChat } from './chat-client';

const logger = createLogger({ name: 'bot-exit-test', level: 'silent' });
const bot = createBotServer({
  logger,
  search: { search: async () => ({ suggestions: [], total: 0, understood: { terms: [], free: false, online: false } }) },
  readiness: async () => ({ ready: true, checks: {} }),
});
const running = await bot.listen(0, '127.0.0.1');
const chat = await openChat(running.url);
chat.send({ type: 'hello' });
const greeting = await chat.turn();
await running.close();
await chat.closed;
console.log(`closed after ${greeting.length} replies`);
