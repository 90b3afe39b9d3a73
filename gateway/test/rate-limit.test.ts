import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { parse } from 'graphql';
import { rootFieldNames } from '../src/rate-limit';
import { query, startStack, type Stack } from './support/gateway-harness';

const PROVIDER_ONLY = '{ activity(id: "a1") { id } }';
const SELF_REFERRAL = 'mutation { createSelfReferral(activityId: "a1") { id } }';
const GP = { subject: 'gp-1', role: 'professional', organizationId: 'practice-7', profession: 'GP' } as const;
const codeOf = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => body.errors?.[0]?.extensions?.code;

describe('rootFieldNames', () => {
  it('finds root fields of the chosen operation, through fragments', () => {
    const document = parse('query A { activities { id } } mutation B { ...F } fragment F on Mutation { createSelfReferral(activityId: "a") { id } }');
    expect(rootFieldNames(document, 'B')).toEqual(['createSelfReferral']);
    expect(rootFieldNames(document, 'A')).toEqual(['activities']);
    expect(rootFieldNames(document)).toEqual(['activities']);
  });
});

describe('rate limiting in memory', () => {
  let auth: TestAuth;
  let stack: Stack;

  beforeAll(async () => {
    auth = await createTestAuth();
    stack = await startStack({
      verifier: auth.verifier,
      rateLimit: { general: { points: 5, windowSeconds: 60 }, selfReferral: { points: 2, windowSeconds: 3600 } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await auth?.destroy();
  });

  it('limits the public per address with 429, Retry-After and RATE_LIMITED, before any subgraph is called', async () => {
    for (let index = 0; index < 5; index++) expect((await query(stack.url, PROVIDER_ONLY)).response.status).toBe(200);
    const before = stack.requestCount();
    const { response, body } = await query(stack.url, PROVIDER_ONLY);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(codeOf(body)).toBe('RATE_LIMITED');
    expect(stack.requestCount()).toBe(before);
  });

  it('counts a signed-in user by token subject, apart from their address', async () => {
    const headers = await auth.headersFor(GP);
    const { response } = await query(stack.url, PROVIDER_ONLY, headers);
    expect(response.status).toBe(200);
  });

  it('holds createSelfReferral to its own stricter limit', async () => {
    const headers = await auth.headersFor({ ...GP, subject: 'gp-self' });
    for (let index = 0; index < 2; index++) {
      const { response, body } = await query(stack.url, SELF_REFERRAL, headers);
      expect(response.status).toBe(200);
      expect(body.data).toEqual({ createSelfReferral: { id: 'r-new' } });
    }
    const { response, body } = await query(stack.url, SELF_REFERRAL, headers);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(codeOf(body)).toBe('RATE_LIMITED');
    // Other operations still go through for that user.
    expect((await query(stack.url, PROVIDER_ONLY, headers)).response.status).toBe(200);
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('rate limiting shared through Redis', () => {
  const keyPrefix = `sp-gateway-test-${randomUUID()}`;
  let redis: Redis;
  let stacks: Stack[];

  beforeAll(async () => {
    redis = new Redis(process.env.TEST_REDIS_URL as string);
    const rateLimit = { redis, keyPrefix, general: { points: 4, windowSeconds: 60 } };
    stacks = [await startStack({ rateLimit }), await startStack({ rateLimit })];
  });

  afterAll(async () => {
    await Promise.all((stacks ?? []).map((stack) => stack.stop()));
    if (redis) {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('shares the count between two gateway instances', async () => {
    const [first, second] = stacks as [Stack, Stack];
    expect((await query(first.url, PROVIDER_ONLY)).response.status).toBe(200);
    expect((await query(second.url, PROVIDER_ONLY)).response.status).toBe(200);
    expect((await query(first.url, PROVIDER_ONLY)).response.status).toBe(200);
    expect((await query(second.url, PROVIDER_ONLY)).response.status).toBe(200);
    const { response, body } = await query(first.url, PROVIDER_ONLY);
    expect(response.status).toBe(429);
    expect(codeOf(body)).toBe('RATE_LIMITED');
    expect((await query(second.url, PROVIDER_ONLY)).response.status).toBe(429);
    expect((await redis.keys(`${keyPrefix}*`)).length).toBeGreaterThan(0);
  });
});
