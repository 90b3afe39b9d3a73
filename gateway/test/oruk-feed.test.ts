import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@sp/runtime/logger';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { composeSupergraph, DEFAULT_SUBGRAPH_URLS } from '../src/supergraph';
import { startTestSubgraph, testSubgraphSchemas, unusedUrl, type TestSubgraph } from './support/test-subgraphs';

// The ORUK feed through the gateway: /oruk/* is passed to the provider's /oruk/* and streamed
// back, open to every origin, with coded JSON errors when the provider is down or too slow.

const logger = createLogger({ name: 'gateway-oruk-test', level: 'silent' });
const supergraphSdl = composeSupergraph(testSubgraphSchemas(DEFAULT_SUBGRAPH_URLS));

/** What the stand-in provider saw of each feed request. */
interface Seen {
  path: string;
  requestId: string | undefined;
  authorization: string | undefined;
}

function createFeed(seen: Seen[]) {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const routes = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    if (!url.pathname.startsWith('/oruk')) return false;
    seen.push({ path: `${url.pathname}${url.search}`, requestId: request.headers['x-request-id'] as string | undefined, authorization: request.headers.authorization });
    // The provider's own CORS header; the gateway sets its own.
    response.setHeader('access-control-allow-origin', 'https://provider.example');
    response.setHeader('content-type', 'application/json; charset=utf-8');
    if (url.pathname === '/oruk/services') {
      response.end(
        JSON.stringify({
          total_items: 1, total_pages: 1, page_number: Number(url.searchParams.get('page') ?? 1), size: 1,
          first_page: true, last_page: true, empty: false,
          contents: [{ id: '6f1c2a1e-1d2b-4c3d-8e4f-5a6b7c8d9e0f', name: 'Walking group', status: 'active' }],
        }),
      );
    } else if (url.pathname === '/oruk/slow') {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      response.end('{}');
    } else if (url.pathname === '/oruk/stream') {
      // The first part, then the rest only once the test has received the first part: a
      // gateway that buffered whole responses would never deliver it.
      response.write('{"contents":[');
      await Promise.race([released, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      response.end('{"id":"x"}]}');
    } else {
      response.statusCode = 404;
      response.end(JSON.stringify({ error: { status: 404, code: 'NOT_FOUND', message: 'No such thing.' } }));
    }
    return true;
  };
  return { routes, release: () => release() };
}

async function startGateway(providerUrl: string, feedTimeoutMs?: number) {
  const gateway = createGatewayServer({ supergraphSdl, subgraphUrls: { provider: providerUrl }, logger, feedTimeoutMs });
  const { url } = await gateway.listen(0, '127.0.0.1');
  return { gateway, origin: new URL(url).origin };
}

describe('the ORUK feed through the gateway', () => {
  const seen: Seen[] = [];
  const feed = createFeed(seen);
  let provider: TestSubgraph;
  let gateway: GatewayServer;
  let origin: string;

  beforeAll(async () => {
    provider = await startTestSubgraph('provider', { routes: feed.routes });
    ({ gateway, origin } = await startGateway(provider.url));
  });

  afterAll(async () => {
    feed.release();
    await gateway?.close();
    await provider?.stop();
  });

  it("returns the provider's answer to /oruk/services, open to every origin", async () => {
    const direct = await fetch(`${new URL(provider.url).origin}/oruk/services?page=2&per_page=5`);
    const response = await fetch(`${origin}/oruk/services?page=2&per_page=5`, {
      headers: { origin: 'https://council.example', 'x-request-id': 'feed-request-1', authorization: 'Bearer not-for-the-feed' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-request-id')).toBe('feed-request-1');
    expect(await response.json()).toEqual(await direct.json());
    expect(seen.at(-1)).toEqual({ path: '/oruk/services?page=2&per_page=5', requestId: 'feed-request-1', authorization: undefined });
  });

  it("passes the provider's own errors through", async () => {
    const response = await fetch(`${origin}/oruk/services/missing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ error: { status: 404, code: 'NOT_FOUND', message: 'No such thing.' } });
  });

  it('streams the answer rather than waiting for all of it', async () => {
    const response = await fetch(`${origin}/oruk/stream`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"contents":[');
    feed.release();
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += new TextDecoder().decode(part.value);
    expect(rest).toBe('{"id":"x"}]}');
  });

  it('answers HEAD, answers CORS preflight itself, and refuses writes', async () => {
    const before = seen.length;
    const preflight = await fetch(`${origin}/oruk/services`, {
      method: 'OPTIONS',
      headers: { origin: 'https://council.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    const head = await fetch(`${origin}/oruk/services`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('access-control-allow-origin')).toBe('*');
    expect(await head.text()).toBe('');
    const post = await fetch(`${origin}/oruk/services`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    // Only the HEAD went to the provider.
    expect(seen.length).toBe(before + 1);
  });

  it('keeps CORS to the feed, and a path cannot climb out of /oruk/', async () => {
    const health = await fetch(`${origin}/health`);
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
    const before = seen.length;
    const climbed = await new Promise<{ status: number; cors: unknown; body: string }>((resolve, reject) => {
      const request = httpRequest(`${origin}/oruk/%2e%2e/health`, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, cors: response.headers['access-control-allow-origin'], body }));
      });
      request.on('error', reject);
      request.end();
    });
    // Resolved to the gateway's own /health, never sent to the provider.
    expect(climbed).toEqual({ status: 200, cors: undefined, body: '{"status":"ok"}' });
    expect(seen.length).toBe(before);
  });

  it('gives a coded 504 when the provider is too slow', async () => {
    const slow = await startGateway(provider.url, 100);
    try {
      const response = await fetch(`${slow.origin}/oruk/slow`);
      expect(response.status).toBe(504);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toEqual({ error: { status: 504, code: 'FEED_TIMEOUT', message: expect.stringMatching(/did not answer within 0\.1 s/) } });
    } finally {
      await slow.gateway.close();
    }
  });

  describe('with the provider stopped', () => {
    beforeAll(async () => {
      await provider.stop();
    });

    it('gives a coded 502 JSON error, without internal addresses', async () => {
      const response = await fetch(`${origin}/oruk/services`);
      expect(response.status).toBe(502);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const body = (await response.json()) as { error: { status: number; code: string; message: string } };
      expect(body.error).toMatchObject({ status: 502, code: 'FEED_UNAVAILABLE' });
      expect(body.error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    });
  });

  it('gives the same 502 when the provider was never there', async () => {
    const nowhere = await startGateway(await unusedUrl());
    try {
      const response = await fetch(`${nowhere.origin}/oruk/`);
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FEED_UNAVAILABLE');
    } finally {
      await nowhere.gateway.close();
    }
  });
});
