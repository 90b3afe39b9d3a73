import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { query, startStack, type Stack } from './support/gateway-harness';

const GP = { subject: 'gp-1', role: 'professional', organizationId: 'practice-7', profession: 'GP' } as const;
const PROVIDER_ONLY = '{ activity(id: "a1") { id name } }';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('identity at the edge', () => {
  let auth: TestAuth;
  let stack: Stack;

  beforeAll(async () => {
    auth = await createTestAuth();
    stack = await startStack({ verifier: auth.verifier });
  });

  afterAll(async () => {
    await stack?.stop();
    await auth?.destroy();
  });

  async function expectRefused(authorization: string, reason: string) {
    const before = stack.requestCount();
    const { response, body } = await query(stack.url, PROVIDER_ONLY, { authorization });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED', reason } })]);
    expect(stack.requestCount()).toBe(before);
  }

  it('lets a request without a token through as the public', async () => {
    const { response, body } = await query(stack.url, PROVIDER_ONLY);
    expect(response.status).toBe(200);
    expect(body.data).toEqual({ activity: { id: 'a1', name: 'Walking group' } });
  });

  it('passes a valid token on to the subgraphs unchanged', async () => {
    const token = await auth.tokenFor(GP);
    const { response, body } = await query(stack.url, PROVIDER_ONLY, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('refuses a malformed authorization header before any subgraph is called', async () => {
    await expectRefused('Basic dXNlcjpwYXNz', 'MALFORMED_HEADER');
    await expectRefused('Bearer', 'MALFORMED_HEADER');
  });

  it('refuses a token that is not a JWT', async () => {
    await expectRefused('Bearer not-a-token', 'INVALID_TOKEN');
  });

  it('refuses a tampered token', async () => {
    const [header, payload, signature] = (await auth.tokenFor(GP)).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = base64url({ ...claims, role: 'admin' });
    await expectRefused(`Bearer ${header}.${tampered}.${signature}`, 'INVALID_TOKEN');
  });

  it('refuses an unsigned (alg: none) token', async () => {
    const [, payload] = (await auth.tokenFor(GP)).split('.') as [string, string];
    await expectRefused(`Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`, 'INVALID_TOKEN');
  });

  it('refuses an expired token', async () => {
    const token = await auth.tokenFor(GP); // valid for an hour
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000);
      await expectRefused(`Bearer ${token}`, 'TOKEN_EXPIRED');
    } finally {
      vi.useRealTimers();
    }
  });
});
