import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@sp/runtime/config';
import { createRedisConversationLocks } from '../src/channels/conversation-locks';
import { botConfigSchema, conversationLockMs } from '../src/config';
import { createGatewayActivitySearch } from '../src/search/gateway-search';
import { createBotServer } from '../src/server';
import { ACTIVITIES } from './support/activities';
import { openChat, searchForDance, texts, type ChatClient } from './support/chat-client';
import { startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { captureLogs } from './support/log-capture';
import { startRedisBotInstance } from './support/redis-bot-instance';

/**
 * A conversation is held by at most one open connection across every bot instance that shares
 * a Redis: a short-lived lock per conversation, renewed while the connection is open, released
 * on close by its owner only, and left to expire when an instance dies. Keys are under a prefix
 * unique to this run and deleted afterwards.
 */

const WELCOME_BACK_FRESH = /^You're connected again\. I've started a new conversation/;

let gateway: FakeGateway;
const chats: ChatClient[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

async function chat(url: string) {
  const client = await openChat(url);
  chats.push(client);
  return client;
}

/** A page that greets, searches and sees 3 of 6; returns it with its resume token. */
async function searchedForDance(url: string) {
  const client = await chat(url);
  return { client, resume: await searchForDance(client) };
}

/** A page that comes back with a token; a refused one gets a new token and the fresh welcome. */
async function comesBack(url: string, resume: string) {
  const client = await chat(url);
  client.send({ type: 'welcome_back', resume });
  const session = await client.session();
  if (session.resumed) {
    expect(session.resume).toBe(resume);
    // No new greeting: the page keeps its transcript.
    expect(await client.quiet(100)).toEqual([]);
  } else {
    expect(session.resume).not.toBe(resume);
    expect(texts(await client.turn())[0]).toMatch(WELCOME_BACK_FRESH);
  }
  return { client, resumed: session.resumed };
}

/** "more" after the first three: the conversation carried on. */
async function seesTheNextThree(client: ChatClient) {
  client.say('more');
  expect(texts(await client.turn())[0]).toBe('Here are 3 more:');
}

beforeAll(async () => {
  gateway = await startFakeGateway({ activities: ACTIVITIES });
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  await Promise.all(chats.splice(0).map((client) => client.close()));
  expect(unhandled).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await gateway?.close();
});

/** A port nothing listens on, for a Redis that is down. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the conversation lock setting', () => {
  it('lasts 30 seconds unless BOT_CONVERSATION_LOCK_SECONDS says otherwise, between 10 and 300', () => {
    expect(conversationLockMs(loadConfig(botConfigSchema, {}))).toBe(30_000);
    expect(conversationLockMs(loadConfig(botConfigSchema, { BOT_CONVERSATION_LOCK_SECONDS: '45' }))).toBe(45_000);
    for (const value of ['5', '301', '12.5', 'soon']) {
      expect(() => loadConfig(botConfigSchema, { BOT_CONVERSATION_LOCK_SECONDS: value })).toThrow(ConfigError);
    }
    expect(() => loadConfig(botConfigSchema, { BOT_CONVERSATION_LOCK_SECONDS: '5' })).toThrow(/BOT_CONVERSATION_LOCK_SECONDS: must be at least 10 seconds/);
  });
});

describe('conversation locks when Redis cannot answer', () => {
  it('refuses the resume (a new conversation, as for a store that cannot answer), logs no token and carries on', async () => {
    const logs = captureLogs();
    const redis = new Redis(`redis://127.0.0.1:${await closedPort()}`, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    redis.on('error', () => undefined);
    const locks = createRedisConversationLocks({ redis, logger: logs.logger, ttlMs: 3_000 });
    const gatewaySearch = createGatewayActivitySearch({ url: gateway.url, logger: logs.logger, timeoutMs: 1_000 });
    // State in memory, so only the lock fails: the conversation exists and could otherwise resume.
    const bot = await createBotServer({ logger: logs.logger, ...gatewaySearch, web: { locks } }).listen(0, '127.0.0.1');
    try {
      // A new conversation still starts: its lock is taken by the renewals once Redis is back.
      const { client, resume } = await searchedForDance(bot.url);
      await client.close();

      expect((await comesBack(bot.url, resume)).resumed).toBe(false);
      expect(logs.text()).toContain('could not lock a conversation to resume; a new one starts');
      expect(logs.text()).not.toContain(resume);
      expect((await fetch(new URL('/health', bot.url))).status).toBe(200);
    } finally {
      await bot.close();
      redis.disconnect();
    }
  });

  it('will not renew more often than it expires', () => {
    const redis = new Redis({ lazyConnect: true });
    expect(() => createRedisConversationLocks({ redis, logger: captureLogs().logger, ttlMs: 1_000, renewMs: 1_000 })).toThrow(
      /renewed well inside its expiry/,
    );
    redis.disconnect();
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('resuming across bot instances that share Redis', () => {
  const redisUrl = process.env.TEST_REDIS_URL as string;
  const keyPrefix = `sp-bot-lock-test-${randomUUID()}:`;
  const lockPrefix = `${keyPrefix}lock:`;
  /** Short, so the expiry tests are quick; renewed every third of it. */
  const LOCK_MS = 2_000;
  const stateKey = randomBytes(32);
  let redis: Redis;
  const instances: Array<{ stop(): Promise<void> }> = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = new Redis(redisUrl);
  });

  afterEach(async () => {
    await Promise.all(chats.splice(0).map((client) => client.close()));
    await Promise.all(instances.splice(0).map((instance) => instance.stop()));
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  async function startInstance() {
    const logs = captureLogs();
    const instance = await startRedisBotInstance({ redisUrl, keyPrefix, stateKey, gatewayUrl: gateway.url, lockMs: LOCK_MS, logger: logs.logger });
    let stopped: Promise<void> | undefined;
    // Stopped by the test or, at the latest, after it.
    const started = { ...instance, logs, stop: () => (stopped ??= instance.stop()) };
    instances.push(started);
    return started;
  }

  const lockKeys = () => redis.keys(`${lockPrefix}*`);

  it('refuses a token held on another instance, keeps the hold while the page stays, and hands it over on close', async () => {
    const a = await startInstance();
    const b = await startInstance();

    // The page searches on A, drops and resumes there.
    const { client: first, resume } = await searchedForDance(a.url);
    await first.close();
    const { client: onA, resumed } = await comesBack(a.url, resume);
    expect(resumed).toBe(true);

    // One lock, for the resumed conversation (the fresh one was released on close), holding a
    // random owner, not the token.
    await expect.poll(lockKeys).toHaveLength(1);
    const [lockKey] = await lockKeys();
    const owner = await redis.get(lockKey!);
    expect(owner).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(owner).not.toBe(resume);
    expect(lockKey).not.toContain(resume);
    expect(await redis.pttl(lockKey!)).toBeLessThanOrEqual(LOCK_MS);

    // A second page with the same token on B is refused, as on one instance.
    const refused = await comesBack(b.url, resume);
    expect(refused.resumed).toBe(false);
    expect(b.logs.text()).toContain('"reason":"in use"');
    refused.client.say('more');
    expect(texts(await refused.client.turn())[0]).toMatch(/^Tell me what you're looking for first/);

    // Renewed while A's page stays: well past the expiry, B still refuses, and A carries on.
    await new Promise((resolve) => setTimeout(resolve, LOCK_MS * 2 + 500));
    expect(await redis.get(lockKey!)).toBe(owner);
    expect((await comesBack(b.url, resume)).resumed).toBe(false);
    await seesTheNextThree(onA);

    // A's page closes: its lock goes at once (not at expiry), and B accepts the token.
    await onA.close();
    await expect.poll(() => redis.exists(lockKey!), { timeout: LOCK_MS / 2 }).toBe(0);
    const onB = await comesBack(b.url, resume);
    expect(onB.resumed).toBe(true);
    onB.client.say('start again');
    expect((await onB.client.turn()).length).toBeGreaterThan(0);
    // Now B holds it: A refuses it in turn.
    expect((await comesBack(a.url, resume)).resumed).toBe(false);

    for (const instance of [a, b]) expect(instance.logs.text()).not.toContain(resume);
  });

  it('lets one of two pages that race for the same token on two instances have it', async () => {
    const a = await startInstance();
    const b = await startInstance();
    const { client, resume } = await searchedForDance(a.url);
    await client.close();
    await expect.poll(lockKeys).toHaveLength(0);

    const outcomes = await Promise.all([comesBack(a.url, resume), comesBack(b.url, resume), comesBack(a.url, resume), comesBack(b.url, resume)]);
    expect(outcomes.filter((outcome) => outcome.resumed)).toHaveLength(1);
    await seesTheNextThree(outcomes.find((outcome) => outcome.resumed)!.client);
  });

  it('releases its locks when an instance shuts down, so the pages resume on another at once', async () => {
    const a = await startInstance();
    const b = await startInstance();
    const { client, resume } = await searchedForDance(a.url);
    await expect.poll(lockKeys).toHaveLength(1);

    await a.stop();
    expect((await client.closed).code).toBe(1001);
    expect(await lockKeys()).toHaveLength(0);
    const back = await comesBack(b.url, resume);
    expect(back.resumed).toBe(true);
    await seesTheNextThree(back.client);
  });

  it('after an instance is killed, refuses its pages until the lock expires, then resumes them', async () => {
    const child = spawnInstance();
    const { client, resume } = await searchedForDance(await child.url);
    await expect.poll(lockKeys).toHaveLength(1);
    const [lockKey] = await lockKeys();

    // Killed: no close frame, no lock released.
    child.process.kill('SIGKILL');
    await child.exited;
    expect((await client.closed).code).toBe(1006);
    expect(await redis.exists(lockKey!)).toBe(1);

    const b = await startInstance();
    expect((await comesBack(b.url, resume)).resumed).toBe(false);
    expect(await redis.get(lockKey!)).not.toBeNull();

    // Nobody renews it now: it expires, and the conversation can be resumed.
    await expect.poll(() => redis.exists(lockKey!), { timeout: LOCK_MS * 2, interval: 100 }).toBe(0);
    const back = await comesBack(b.url, resume);
    expect(back.resumed).toBe(true);
    await seesTheNextThree(back.client);
    expect(child.output()).not.toContain(resume);
    expect(b.logs.text()).not.toContain(resume);
  });

  it('closes a connection whose lock another connection took (it lapsed while this one could not renew)', async () => {
    const a = await startInstance();
    const { client } = await searchedForDance(a.url);
    await expect.poll(lockKeys).toHaveLength(1);
    const [lockKey] = await lockKeys();
    // As if the lock had lapsed and a page on another instance had taken it.
    await redis.set(lockKey!, 'another-owner', 'PX', LOCK_MS * 5);

    expect(await client.closed).toMatchObject({ code: 1008 });
    expect(a.logs.text()).toContain('conversation lock taken by another connection; closing this one');
    // Closing did not delete the other owner's lock.
    expect(await redis.get(lockKey!)).toBe('another-owner');
    await redis.del(lockKey!);
  });

  /** An instance in a child process, so it can be killed with no chance to clean up. */
  function spawnInstance() {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const settings = { redisUrl, keyPrefix, stateKeyHex: stateKey.toString('hex'), gatewayUrl: gateway.url, lockMs: LOCK_MS };
    const child = spawn(process.execPath, ['--import', tsx, fileURLToPath(new URL('./support/redis-bot-child.ts', import.meta.url))], {
      env: { ...process.env, REDIS_BOT_INSTANCE: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const url = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bot instance did not start:\n${output}`)), 15_000);
      const look = () => {
        const match = /^\{"url":"(http:[^"]+)"\}$/m.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        } else setTimeout(look, 50);
      };
      look();
    });
    return { process: child, url, exited, output: () => output };
  }
});
