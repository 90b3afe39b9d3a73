import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@sp/runtime/config';
import { botConfigSchema, REPOSITORY_DIR, stateStoreSettings } from '../src/config';
import { createStateCipher, loadOrCreateStateKeyFile, parseStateKey } from '../src/conversation/encrypted-state';
import { createRedisStore, openConversationStore, type OpenedConversationStore } from '../src/conversation/redis-store';
import type { ConversationState } from '../src/conversation/types';
import { withStoreReadiness } from '../src/readiness';
import { captureLogs } from './support/log-capture';

/**
 * Conversation state at rest: the cipher, the development key file, the configuration, and the
 * Redis store against a real Redis when TEST_REDIS_URL is set (CI sets it).
 */

/** A state that carries what a referral would: a token and personal details, and a marker to look for. */
const MARKER = 'MARKER-Morag-MacLeod-07911-123456';
const state = (extra: Record<string, unknown> = {}) =>
  ({ results: [], shown: 0, capped: false, bearerToken: 'eyJhbGciOiJFZERTQSJ9.secret', draft: { name: MARKER }, ...extra }) as unknown as ConversationState;

const temporaryDirs: string[] = [];
async function temporaryDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'sp-bot-state-'));
  temporaryDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the state cipher (AES-256-GCM)', () => {
  const cipher = createStateCipher(randomBytes(32));

  it('round-trips, with a fresh nonce each time, and hides the plaintext', () => {
    const first = cipher.seal(MARKER, 'key-1');
    const second = cipher.seal(MARKER, 'key-1');
    expect(first).not.toBe(second);
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(first).not.toContain('MARKER');
    expect(Buffer.from(first.slice(3), 'base64url').toString('latin1')).not.toContain('MARKER');
    expect(cipher.open(first, 'key-1')).toBe(MARKER);
  });

  it('refuses a changed value, another context, another key and nonsense', () => {
    const sealed = cipher.seal(MARKER, 'key-1');
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    for (const at of [0, 13, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at]! ^ 0x01;
      expect(cipher.open(`v1.${changed.toString('base64url')}`, 'key-1')).toBeUndefined();
    }
    expect(cipher.open(sealed, 'key-2')).toBeUndefined();
    expect(createStateCipher(randomBytes(32)).open(sealed, 'key-1')).toBeUndefined();
    for (const nonsense of ['', 'v1.', 'v1.AAAA', 'v2.' + sealed.slice(3), `${sealed}.x`, '{"results":[]}']) {
      expect(cipher.open(nonsense, 'key-1')).toBeUndefined();
    }
  });

  it('reads keys as hex or base64 and refuses anything but 32 bytes, without repeating the value', () => {
    const key = randomBytes(32);
    expect(parseStateKey(key.toString('hex'))).toEqual(key);
    expect(parseStateKey(key.toString('base64'))).toEqual(key);
    expect(parseStateKey(` ${key.toString('base64url')}\n`)).toEqual(key);
    for (const bad of ['', 'short', randomBytes(16).toString('base64'), randomBytes(33).toString('hex'), 'not base64 at all!']) {
      expect(() => parseStateKey(bad)).toThrow(/must be 32 random bytes/);
    }
    try {
      parseStateKey('secret-ish-but-wrong');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-ish');
    }
  });
});

describe('the development state key file', () => {
  it('is created with mode 0600 in a private folder, and read back the next time', async () => {
    const file = path.join(await temporaryDir(), 'data', 'bot-state-key');
    const key = await loadOrCreateStateKeyFile(file);
    expect(key).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await loadOrCreateStateKeyFile(file)).toEqual(key);
  });

  it('gives every process racing to create it the same key, and leaves no temporary files', async () => {
    const dir = await temporaryDir();
    const file = path.join(dir, 'bot-state-key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateStateKeyFile(file)));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(await readdir(dir)).toEqual(['bot-state-key']);
  });

  it('refuses a file others can read, and one that is not a key', async () => {
    const dir = await temporaryDir();
    const open = path.join(dir, 'open-key');
    await writeFile(open, `${randomBytes(32).toString('base64')}\n`, { mode: 0o644 });
    await expect(loadOrCreateStateKeyFile(open)).rejects.toThrow(/can be read by other users/);
    const wrong = path.join(dir, 'wrong-key');
    await writeFile(wrong, 'hello\n', { mode: 0o600 });
    await expect(loadOrCreateStateKeyFile(wrong)).rejects.toThrow(/is not a state key/);
  });
});

describe('configuration of conversation state', () => {
  it('keeps state in memory by default, for 30 minutes, with the key file under data/', () => {
    const config = loadConfig(botConfigSchema, {});
    expect(stateStoreSettings(config)).toEqual({
      stateKeyFile: path.join(REPOSITORY_DIR, 'data', 'bot-state-key'),
      createKeyFile: true,
      ttlSeconds: 1800,
    });
  });

  it('reads REDIS_URL, BOT_STATE_KEY, BOT_STATE_TTL_SECONDS and DATA_DIR', () => {
    const key = randomBytes(32).toString('base64');
    const config = loadConfig(botConfigSchema, {
      REDIS_URL: 'redis://127.0.0.1:6379',
      BOT_STATE_KEY: key,
      BOT_STATE_TTL_SECONDS: '600',
      DATA_DIR: '/tmp/sp-bot-data',
    });
    expect(stateStoreSettings(config)).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      stateKey: key,
      stateKeyFile: '/tmp/sp-bot-data/bot-state-key',
      createKeyFile: true,
      ttlSeconds: 600,
    });
  });

  it('names each wrong variable, never echoing a key', () => {
    const attempt = () =>
      loadConfig(botConfigSchema, { REDIS_URL: 'http://127.0.0.1:6379', BOT_STATE_KEY: 'too-short-secret', BOT_STATE_TTL_SECONDS: '5' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(attempt).toThrow(/BOT_STATE_KEY: must be 32 random bytes/);
    expect(attempt).toThrow(/BOT_STATE_TTL_SECONDS: must be at least 60 seconds/);
    expect(attempt).not.toThrow(/too-short-secret/);
  });

  it('requires BOT_STATE_KEY in production with Redis, and never creates a key file there', () => {
    expect(() => loadConfig(botConfigSchema, { NODE_ENV: 'production', REDIS_URL: 'redis://redis:6379' })).toThrow(
      /BOT_STATE_KEY: is required in production when REDIS_URL is set/,
    );
    expect(stateStoreSettings(loadConfig(botConfigSchema, { NODE_ENV: 'production' })).createKeyFile).toBe(false);
  });
});

/** A port nothing listens on, for a Redis that is down. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('readiness with a state store', () => {
  const gatewayReady = async () => ({ ready: true, checks: { gateway: { ok: true } } });

  it('adds Redis to /ready, and leaves the memory store out', async () => {
    expect(withStoreReadiness(gatewayReady, { kind: 'memory', check: async () => undefined })).toBe(gatewayReady);
    const up = withStoreReadiness(gatewayReady, { kind: 'redis', check: async () => undefined });
    expect(await up()).toEqual({ ready: true, checks: { gateway: { ok: true }, conversationState: { ok: true } } });
    const down = withStoreReadiness(gatewayReady, { kind: 'redis', check: async () => Promise.reject(new Error('Connection is closed.')) });
    expect(await down()).toEqual({
      ready: false,
      checks: { gateway: { ok: true }, conversationState: { ok: false, detail: 'Connection is closed.' } },
    });
  });
});

describe('a Redis that is down', () => {
  it('makes the store fail fast (to be answered with an apology), not hang or crash', async () => {
    const logs = captureLogs();
    const store = await openConversationStore(
      { redisUrl: `redis://127.0.0.1:${await closedPort()}`, stateKey: randomBytes(32).toString('hex'), stateKeyFile: '/nonexistent', createKeyFile: false, ttlSeconds: 60 },
      logs.logger,
    );
    try {
      const started = Date.now();
      await expect(store.get('c1')).rejects.toThrow();
      await expect(store.set('c1', state())).rejects.toThrow();
      await expect(store.check()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3_000);
      // Reported once, not once per reconnection attempt.
      expect(logs.lines().filter((line) => line.msg === 'conversation state: Redis unavailable').length).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses to start in production without a key rather than make one up', async () => {
    await expect(
      openConversationStore({ redisUrl: 'redis://127.0.0.1:1', stateKeyFile: '/nonexistent', createKeyFile: false, ttlSeconds: 60 }, captureLogs().logger),
    ).rejects.toThrow(/BOT_STATE_KEY is required/);
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('the Redis store, against a real Redis', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  /** A key prefix of this test's own, removed afterwards. */
  const uniquePrefix = () => {
    const prefix = `sp-bot-test-${randomUUID()}:`;
    prefixes.push(prefix);
    return prefix;
  };
  const cipher = createStateCipher(randomBytes(32));

  beforeAll(() => {
    redis = new Redis(process.env.TEST_REDIS_URL as string);
  });

  afterEach(async () => {
    for (const prefix of prefixes.splice(0)) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });

  afterAll(async () => {
    await redis?.quit();
  });

  it('round-trips a conversation and forgets it on delete', async () => {
    const store = createRedisStore({ redis, cipher, keyPrefix: uniquePrefix() });
    expect(await store.get('c1')).toBeUndefined();
    await store.set('c1', state({ shown: 3 }));
    expect(await store.get('c1')).toEqual(state({ shown: 3 }));
    expect(await store.get('c2')).toBeUndefined();
    await store.delete('c1');
    expect(await store.get('c1')).toBeUndefined();
  });

  it('sets the idle expiry under its prefix, and starts it again on every write', async () => {
    const prefix = uniquePrefix();
    const store = createRedisStore({ redis, cipher, keyPrefix: prefix, ttlSeconds: 1_800 });
    await store.set('c1', state());
    expect(await redis.keys(`${prefix}*`)).toEqual([`${prefix}c1`]);
    const ttl = await redis.ttl(`${prefix}c1`);
    expect(ttl).toBeGreaterThan(1_790);
    expect(ttl).toBeLessThanOrEqual(1_800);
    await redis.expire(`${prefix}c1`, 5);
    await store.set('c1', state({ shown: 1 }));
    expect(await redis.ttl(`${prefix}c1`)).toBeGreaterThan(1_790);
  });

  it('stores ciphertext: neither the marker, the token nor the JSON is visible in Redis', async () => {
    const prefix = uniquePrefix();
    const store = createRedisStore({ redis, cipher, keyPrefix: prefix });
    await store.set('c1', state());
    const raw = (await redis.getBuffer(`${prefix}c1`))!;
    const text = raw.toString('latin1');
    expect(text).toMatch(/^v1\./);
    for (const visible of [MARKER, 'Morag', 'eyJhbGciOiJFZERTQSJ9', 'bearerToken', '"results"']) expect(text).not.toContain(visible);
    expect(Buffer.from(text.slice(3), 'base64url').toString('latin1')).not.toContain('Morag');
  });

  it('treats tampered ciphertext, a value moved from another conversation and another key as missing', async () => {
    const prefix = uniquePrefix();
    const logs = captureLogs();
    const store = createRedisStore({ redis, cipher, keyPrefix: prefix, logger: logs.logger });
    await store.set('c1', state());
    const sealed = (await redis.get(`${prefix}c1`))!;
    const flipped = sealed.slice(0, 20) + (sealed[20] === 'A' ? 'B' : 'A') + sealed.slice(21);
    await redis.set(`${prefix}c1`, flipped);
    await expect(store.get('c1')).resolves.toBeUndefined();

    await store.set('c2', state());
    await redis.set(`${prefix}c3`, (await redis.get(`${prefix}c2`))!);
    await expect(store.get('c3')).resolves.toBeUndefined();

    const otherKey = createRedisStore({ redis, cipher: createStateCipher(randomBytes(32)), keyPrefix: prefix, logger: logs.logger });
    await expect(otherKey.get('c2')).resolves.toBeUndefined();
    await redis.set(`${prefix}c4`, 'not even ciphertext');
    await expect(store.get('c4')).resolves.toBeUndefined();

    expect(logs.lines().filter((line) => line.msg === 'conversation state did not decrypt; starting afresh')).toHaveLength(4);
    expect(logs.text()).not.toContain('Morag');
  });

  it('opens from settings with a development key file it creates, and reports itself ready', async () => {
    const dir = await temporaryDir();
    const prefix = uniquePrefix();
    let store: OpenedConversationStore | undefined;
    try {
      store = await openConversationStore(
        { redisUrl: process.env.TEST_REDIS_URL, stateKeyFile: path.join(dir, 'bot-state-key'), createKeyFile: true, ttlSeconds: 120, keyPrefix: prefix },
        captureLogs().logger,
      );
      expect(store.kind).toBe('redis');
      await store.check();
      await store.set('c1', state());
      expect(await store.get('c1')).toEqual(state());
      expect(await redis.ttl(`${prefix}c1`)).toBeGreaterThan(100);
      expect((await stat(path.join(dir, 'bot-state-key'))).mode & 0o777).toBe(0o600);
    } finally {
      await store?.close();
    }
  });

  it('rejects (for the channel to apologise) when Redis goes away mid-conversation', async () => {
    const client = new Redis(process.env.TEST_REDIS_URL as string, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await new Promise((resolve) => client.once('ready', resolve));
    const store = createRedisStore({ redis: client, cipher, keyPrefix: uniquePrefix() });
    await store.set('c1', state());
    client.disconnect();
    await expect(store.get('c1')).rejects.toThrow();
  });
});
