import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayServer, type GatewayServer } from '../src/server';
// The supergraph is composed with the default URLs (as the committed one is); every test overrides them.
import { query, silentLogger, startGateway, testSupergraphSdl } from './support/gateway-harness';
import { startTestSubgraph, unusedUrl, type TestSubgraph } from './support/test-subgraphs';

const ACROSS_ALL = '{ activities { id name referralCount evidence { summary } } }';
const PROVIDER_ONLY = '{ activity(id: "a1") { id name } }';
const NEEDS_REFERRAL = '{ activity(id: "a1") { id name referralCount } }';

describe('gateway with all subgraphs up, then referral stopped', () => {
  const subgraphs: Partial<Record<string, TestSubgraph>> = {};
  let gateway: GatewayServer;
  let url: string;
  let origin: string;

  beforeAll(async () => {
    for (const name of ['provider', 'referral', 'evidence'] as const) subgraphs[name] = await startTestSubgraph(name);
    ({ gateway, url, origin } = await startGateway(
      Object.fromEntries(Object.values(subgraphs).map((subgraph) => [subgraph!.name, subgraph!.url])),
    ));
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph!.stop()));
  });

  it('resolves a query across all three subgraphs', async () => {
    const { response, body } = await query(url, ACROSS_ALL);
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      activities: [
        { id: 'a1', name: 'Walking group', referralCount: 3, evidence: [{ summary: 'Evidence for a1' }] },
        { id: 'a2', name: 'Community garden', referralCount: 0, evidence: [{ summary: 'Evidence for a2' }] },
      ],
    });
  });

  it('echoes a well-formed x-request-id and forwards it to the subgraphs', async () => {
    const { response } = await query(url, ACROSS_ALL, { 'x-request-id': 'test-request-42' });
    expect(response.headers.get('x-request-id')).toBe('test-request-42');
    expect(subgraphs.provider!.requestIds).toContain('test-request-42');
    expect(subgraphs.referral!.requestIds).toContain('test-request-42');
    expect(subgraphs.evidence!.requestIds).toContain('test-request-42');
  });

  it("tells subgraphs the client's address, last, whatever the client claimed", async () => {
    await query(url, PROVIDER_ONLY);
    expect(subgraphs.provider!.forwardedFor.at(-1)).toBe('127.0.0.1');
    await query(url, PROVIDER_ONLY, { 'x-forwarded-for': '203.0.113.9' });
    expect(subgraphs.provider!.forwardedFor.at(-1)).toBe('203.0.113.9, 127.0.0.1');
  });

  it('replaces a malformed x-request-id with a generated one, and generates one when absent', async () => {
    const malformed = await query(url, PROVIDER_ONLY, { 'x-request-id': 'not ok; <script>' });
    const generated = malformed.response.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(subgraphs.provider!.requestIds.at(-1)).toBe(generated);

    const absent = await query(url, PROVIDER_ONLY);
    expect(absent.response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(absent.response.headers.get('x-request-id')).not.toBe(generated);
  });

  it("passes a subgraph's own error through with its code and the subgraph's name", async () => {
    const { body } = await query(url, '{ activity(id: "missing") { id } }');
    expect(body.data).toEqual({ activity: null });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'There is no activity with that id.',
        path: ['activity'],
        extensions: expect.objectContaining({ code: 'NOT_FOUND', serviceName: 'provider' }),
      }),
    ]);
  });

  it('reports ready when every subgraph is up', async () => {
    const response = await fetch(`${origin}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      ready: true,
      checks: { provider: { ok: true }, referral: { ok: true }, evidence: { ok: true } },
    });
  });

  it('answers 404 elsewhere', async () => {
    const response = await fetch(`${origin}/nowhere`);
    expect(response.status).toBe(404);
  });

  describe('with the referral subgraph stopped', () => {
    beforeAll(async () => {
      await subgraphs.referral!.stop();
    });

    it('still answers a query that does not need referral', async () => {
      const { response, body } = await query(url, PROVIDER_ONLY);
      expect(response.status).toBe(200);
      expect(body).toEqual({ data: { activity: { id: 'a1', name: 'Walking group' } } });
    });

    it('returns partial data and an error for a query that needs referral', async () => {
      const { body } = await query(url, NEEDS_REFERRAL);
      expect(body.data).toEqual({ activity: { id: 'a1', name: 'Walking group', referralCount: null } });
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'referral' });
      // Masked: no internal address or socket error reaches the client.
      expect(body.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    });

    it('still resolves the fields of the subgraphs that are up in a query across all three', async () => {
      const { body } = await query(url, ACROSS_ALL);
      expect(body.data).toEqual({
        activities: [
          { id: 'a1', name: 'Walking group', referralCount: null, evidence: [{ summary: 'Evidence for a1' }] },
          { id: 'a2', name: 'Community garden', referralCount: null, evidence: [{ summary: 'Evidence for a2' }] },
        ],
      });
      expect(body.errors?.length).toBeGreaterThan(0);
    });

    it('reports not ready, naming referral', async () => {
      const response = await fetch(`${origin}/ready`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(body.status).toBe('not ready');
      expect(body.checks.provider).toEqual({ ok: true });
      expect(body.checks.evidence).toEqual({ ok: true });
      expect(body.checks.referral).toEqual({ ok: false, detail: 'unreachable (ECONNREFUSED)' });
    });

    it('still reports healthy', async () => {
      const response = await fetch(`${origin}/health`);
      expect(response.status).toBe(200);
    });
  });
});

describe('gateway started while subgraphs are down', () => {
  it('starts with one subgraph down and answers queries that do not need it', async () => {
    const provider = await startTestSubgraph('provider');
    const referral = await startTestSubgraph('referral');
    const { gateway, url, origin } = await startGateway({
      provider: provider.url,
      referral: referral.url,
      evidence: await unusedUrl(),
    });
    try {
      const { body } = await query(url, NEEDS_REFERRAL);
      expect(body).toEqual({ data: { activity: { id: 'a1', name: 'Walking group', referralCount: 3 } } });

      const ready = await fetch(`${origin}/ready`);
      expect(ready.status).toBe(503);
      const report = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
      expect(Object.entries(report.checks).filter(([, state]) => !state.ok).map(([name]) => name)).toEqual(['evidence']);
    } finally {
      await gateway.close();
      await Promise.all([provider.stop(), referral.stop()]);
    }
  });

  it('answers a referral with the provider down: its activity null with an error, the rest as usual (the bot relies on this)', async () => {
    const referral = await startTestSubgraph('referral');
    const { gateway, url } = await startGateway({ provider: await unusedUrl(), referral: referral.url, evidence: await unusedUrl() });
    try {
      const { body } = await query(url, 'mutation { createSelfReferral(activityId: "a1") { id activity { id name } } }');
      expect(body.data).toEqual({ createSelfReferral: { id: 'r-new', activity: null } });
      expect(body.errors).toEqual([
        expect.objectContaining({ path: ['createSelfReferral', 'activity'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'provider' } }),
      ]);
    } finally {
      await gateway.close();
      await referral.stop();
    }
  });

  it('answers /health with no subgraph running at all, and echoes the request id', async () => {
    const { gateway, origin } = await startGateway({
      provider: await unusedUrl(),
      referral: await unusedUrl(),
      evidence: await unusedUrl(),
    });
    try {
      const health = await fetch(`${origin}/health`, { headers: { 'x-request-id': 'health-1' } });
      expect(health.status).toBe(200);
      expect(health.headers.get('x-request-id')).toBe('health-1');
      expect(await health.json()).toEqual({ status: 'ok' });

      const ready = await fetch(`${origin}/ready`);
      expect(ready.status).toBe(503);
    } finally {
      await gateway.close();
    }
  });
});

describe('in-flight deduplication of subgraph requests', () => {
  async function subgraphRequestsFor(deduplicateInflightRequests: boolean | undefined) {
    const provider = await startTestSubgraph('provider', { delayMs: 150 });
    const { gateway, url } = await startGateway({ provider: provider.url }, { deduplicateInflightRequests });
    try {
      const results = await Promise.all([query(url, PROVIDER_ONLY), query(url, PROVIDER_ONLY)]);
      for (const { body } of results) expect(body.data).toEqual({ activity: { id: 'a1', name: 'Walking group' } });
      return provider.requestIds.length;
    } finally {
      await gateway.close();
      await provider.stop();
    }
  }

  it('is off by default: identical concurrent queries each reach the subgraph', async () => {
    expect(await subgraphRequestsFor(undefined)).toBe(2);
  });

  it('can be turned on, sharing one subgraph request', async () => {
    expect(await subgraphRequestsFor(true)).toBe(1);
  });
});

describe('createGatewayServer', () => {
  it('treats a subgraph slower than the upstream timeout as unavailable', async () => {
    const provider = await startTestSubgraph('provider', { delayMs: 1_000 });
    const { gateway, url } = await startGateway({ provider: provider.url }, { upstreamTimeoutMs: 100 });
    try {
      const { body } = await query(url, PROVIDER_ONLY);
      expect(body.data?.activity ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'provider' });
    } finally {
      await gateway.close();
      await provider.stop();
    }
  });

  it('abandons (closes) the request to a subgraph slower than the upstream timeout', async () => {
    // A subgraph that reads the request and never answers; it notes when the gateway hangs up.
    let hungUp: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (hungUp = resolve));
    const silent = createServer((request) => {
      request.resume();
      request.socket.once('close', () => hungUp());
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const { gateway, url } = await startGateway({ provider: `http://127.0.0.1:${port}/graphql` }, { upstreamTimeoutMs: 100 });
    try {
      const { body } = await query(url, PROVIDER_ONLY);
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'provider' });
      await expect(Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 2_000, 'still open'))])).resolves.toBe('closed');
    } finally {
      await gateway.close();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rejects a URL override for a subgraph the supergraph does not federate', () => {
    expect(() =>
      createGatewayServer({ supergraphSdl: testSupergraphSdl, logger: silentLogger, subgraphUrls: { refferal: 'http://127.0.0.1:1/graphql' } }),
    ).toThrow(
      /refferal/,
    );
  });

  it('turns introspection off unless asked', async () => {
    const { gateway, url } = await startGateway({});
    try {
      const { body } = await query(url, '{ __schema { queryType { name } } }');
      expect(body.data ?? undefined).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/introspection/i);
    } finally {
      await gateway.close();
    }
  });

  it('close() stops the server and can be called twice', async () => {
    const { gateway } = await startGateway({});
    await gateway.close();
    await gateway.close();
    expect(gateway.server.listening).toBe(false);
  });
});
