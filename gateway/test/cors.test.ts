import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, startStack, type Stack } from './support/gateway-harness';

const ALLOWED = 'https://app.example.org';

describe('CORS and CSRF for /graphql', () => {
  let open: Stack;
  let closed: Stack;

  beforeAll(async () => {
    open = await startStack({ corsOrigins: [ALLOWED] });
    closed = await startStack();
  });

  afterAll(async () => {
    await open?.stop();
    await closed?.stop();
  });

  it('answers a preflight from an allowed origin with that origin', async () => {
    const response = await fetch(open.url, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('sets the allowed origin on answers, and none for another origin', async () => {
    const allowed = await query(open.url, '{ activities { id } }', { origin: ALLOWED });
    expect(allowed.response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.response.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const other = await query(open.url, '{ activities { id } }', { origin: 'https://evil.example' });
    expect(other.response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(open.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin by default', async () => {
    const { response } = await query(closed.url, '{ activities { id } }', { origin: ALLOWED });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const response = await fetch(`${open.url}?query=${encodeURIComponent('{ activities { id } }')}`, { headers: { origin: ALLOWED } });
    expect(response.status).toBe(403);
  });
});
