import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/conversation/redis-store';
import { createStateCipher } from '../src/conversation/encrypted-state';
import { createGatewayActivitySearch } from '../src/search/gateway-search';
import { createBotServer } from '../src/server';
import { ACTIVITIES } from './support/activities';
import { openChat, type BotFrame } from './support/chat-client';
import { startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { captureLogs } from './support/log-capture';

/**
 * A restart with Redis keeps conversations: one bot instance holds a search, is closed, and a
 * new instance with the same Redis and key carries it on for the page that comes back with its
 * resume token. Needs a real Redis (TEST_REDIS_URL; CI sets it).
 */
describe.skipIf(!process.env.TEST_REDIS_URL)('restarting the bot with conversation state in Redis', () => {
  const keyPrefix = `sp-bot-restart-test-${randomUUID()}:`;
  const key = randomBytes(32);
  let redis: Redis;
  let gateway: FakeGateway;
  const texts = (frames: BotFrame[]) => frames.map((frame) => frame.text);

  beforeAll(async () => {
    redis = new Redis(process.env.TEST_REDIS_URL as string);
    gateway = await startFakeGateway({ activities: ACTIVITIES });
  });

  afterAll(async () => {
    await gateway?.close();
    if (redis) {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  /** A bot instance as index.ts builds one, with its own Redis connection and the shared key. */
  async function startInstance(stateKey: Uint8Array = key) {
    const logs = captureLogs();
    const connection = new Redis(process.env.TEST_REDIS_URL as string, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await new Promise((resolve) => connection.once('ready', resolve));
    const store = createRedisStore({ redis: connection, cipher: createStateCipher(stateKey), keyPrefix, ttlSeconds: 300, logger: logs.logger });
    const gatewaySearch = createGatewayActivitySearch({ url: gateway.url, logger: logs.logger, timeoutMs: 2_000 });
    const running = await createBotServer({ logger: logs.logger, ...gatewaySearch, store }).listen(0, '127.0.0.1');
    return {
      ...running,
      logs,
      async stop() {
        await running.close();
        await connection.quit();
      },
    };
  }

  it('carries a search over to a new instance: "more" shows the next results', async () => {
    const first = await startInstance();
    const page = await openChat(first.url);
    page.send({ type: 'hello' });
    await page.turn();
    const { resume } = await page.session();
    page.say("dance for Parkinson's in Glasgow");
    expect(texts(await page.turn())[0]).toBe('I found 6 activities that might suit you. Here are the first 3:');

    // The state is in Redis, encrypted: nothing the person asked for or was shown is readable.
    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys).toHaveLength(1);
    const stored = (await redis.get(keys[0]!))!;
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toMatch(/Parkinson|Scottish Ballet|Glasgow/);
    expect(keys[0]).not.toContain(resume);
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(290);

    await first.stop();
    expect((await page.closed).code).toBe(1001);
    // Closing the connection left the conversation for its page to come back to.
    expect(await redis.exists(keys[0]!)).toBe(1);

    const second = await startInstance();
    try {
      const back = await openChat(second.url);
      back.send({ type: 'welcome_back', resume });
      expect(await back.session()).toEqual({ type: 'session', resume, resumed: true });
      back.say('more');
      const more = await back.turn();
      expect(texts(more)[0]).toBe('Here are 3 more:');
      expect(more[1]?.text).toMatch(/^Time to Dance\n/);

      // Someone else who tries the same token while it is in use gets a conversation of their own.
      const other = await openChat(second.url);
      other.send({ type: 'welcome_back', resume });
      expect((await other.session()).resumed).toBe(false);
      expect(texts(await other.turn())[0]).toMatch(/^You're connected again\. I've started a new conversation/);
      other.say('more');
      expect(texts(await other.turn())[0]).toMatch(/^Tell me what you're looking for first/);
      await other.close();
      await back.close();
    } finally {
      await second.stop();
    }
  });

  it('starts afresh when the new instance has a different key (the old state does not decrypt)', async () => {
    const first = await startInstance();
    const page = await openChat(first.url);
    page.say("dance for Parkinson's in Glasgow");
    await page.turn();
    const { resume } = await page.session();
    await first.stop();

    const rekeyed = await startInstance(randomBytes(32));
    try {
      const back = await openChat(rekeyed.url);
      back.send({ type: 'welcome_back', resume });
      expect((await back.session()).resumed).toBe(false);
      expect(texts(await back.turn())[0]).toMatch(/^You're connected again\. I've started a new conversation/);
      expect(rekeyed.logs.text()).toContain('conversation state did not decrypt; starting afresh');
      await back.close();
    } finally {
      await rekeyed.stop();
    }
  });

  it('runs as `npm start` does with REDIS_URL: makes a private development key and reports Redis in /ready', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sp-bot-index-'));
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const child = spawn(process.execPath, ['--import', tsx, fileURLToPath(new URL('../src/index.ts', import.meta.url))], {
      env: {
        ...process.env,
        BOT_PORT: '0',
        REDIS_URL: process.env.TEST_REDIS_URL,
        DATA_DIR: dataDir,
        GATEWAY_URL: gateway.url,
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 15_000);
        const look = () => {
          const match = /"url":"(http:[^"]+)"/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          } else setTimeout(look, 50);
        };
        look();
      });
      const ready = await fetch(new URL('/ready', url));
      expect(await ready.json()).toMatchObject({ ready: true, checks: { gateway: { ok: true }, conversationState: { ok: true } } });
      expect((await stat(path.join(dataDir, 'bot-state-key'))).mode & 0o777).toBe(0o600);
      expect(output).toContain('"store":"redis"');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
