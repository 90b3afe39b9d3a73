import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActivityDirectory } from '../src/search/activity-directory';
import { createGatewayClient, GatewayError } from '../src/search/gateway-client';
import { ACTIVITIES } from './support/activities';
import { startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { captureLogs } from './support/log-capture';

let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startFakeGateway({ activities: ACTIVITIES, slowMs: 1_000 });
});
afterAll(() => gateway.close());
afterEach(() => {
  gateway.behave('normal');
  gateway.requests.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('the gateway client', () => {
  it('fetches a page of activities with the fields the bot shows', async () => {
    const client = createGatewayClient({ url: gateway.url, timeoutMs: 2_000 });
    const page = await client.activitiesPage(5, null);
    expect(page.activities).toEqual(ACTIVITIES.slice(0, 5));
    expect(page).toMatchObject({ hasNextPage: true, skipped: 0 });
    expect(gateway.requests[0]?.variables).toEqual({ first: 5, after: null });
  });

  it('names the kind of failure in a clear error', async () => {
    const client = createGatewayClient({ url: gateway.url, timeoutMs: 200 });

    gateway.behave('graphql-errors');
    const errors = await failure(client.activitiesPage(5, null));
    expect(errors.kind).toBe('GRAPHQL_ERRORS');
    expect(errors.message).toBe(`The gateway at ${gateway.url} returned errors: Cannot query field "activities"`);

    gateway.behave('http-500');
    expect((await failure(client.activitiesPage(5, null))).kind).toBe('GRAPHQL_ERRORS');

    gateway.behave('slow');
    const slow = await failure(client.activitiesPage(5, null));
    expect(slow.kind).toBe('TIMEOUT');
    expect(slow.message).toBe(`The gateway at ${gateway.url} did not answer within 200 ms`);
  });

  it('reports an unreachable gateway and a non-JSON answer', async () => {
    const closed = await startFakeGateway({ activities: [] });
    await closed.close();
    const unreachable = createGatewayClient({ url: closed.url, timeoutMs: 1_000 });
    expect((await failure(unreachable.activitiesPage(5, null))).kind).toBe('UNREACHABLE');

    const html = createGatewayClient({
      url: 'http://gateway.test/graphql',
      timeoutMs: 1_000,
      fetch: async () => new Response('<h1>Bad gateway</h1>', { status: 502 }),
    });
    const error = await failure(html.activitiesPage(5, null));
    expect(error.kind).toBe('HTTP_STATUS');
    expect(error.message).toBe('The gateway at http://gateway.test/graphql answered HTTP 502 without JSON');
  });

  it('leaves out records in an unexpected shape instead of failing the page', async () => {
    const [good] = ACTIVITIES;
    const client = createGatewayClient({
      url: 'http://gateway.test/graphql',
      timeoutMs: 1_000,
      fetch: async () =>
        Response.json({
          data: {
            activities: {
              edges: [{ node: good }, { node: { id: 'broken', name: 'No other fields' } }],
              pageInfo: { hasNextPage: false, endCursor: 'x' },
            },
          },
        }),
    });
    const page = await client.activitiesPage(5, null);
    expect(page.activities).toEqual([good]);
    expect(page.skipped).toBe(1);
  });

  it('pings for readiness', async () => {
    const client = createGatewayClient({ url: gateway.url, timeoutMs: 1_000 });
    await expect(client.ping()).resolves.toBeUndefined();
    gateway.behave('http-500');
    await expect(client.ping()).rejects.toBeInstanceOf(GatewayError);
  });
});

describe('the cached directory', () => {
  function directoryWith(options: { pageSize?: number; maxActivities?: number; ttlMs?: number; retryAfterMs?: number }) {
    let time = 0;
    const logs = captureLogs();
    const directory = createActivityDirectory({
      gateway: createGatewayClient({ url: gateway.url, timeoutMs: 2_000 }),
      logger: logs.logger,
      now: () => time,
      ...options,
    });
    return { directory, logs, advance: (ms: number) => (time += ms) };
  }

  it('pages until the gateway says there is no more', async () => {
    const { directory } = directoryWith({ pageSize: 5 });
    expect(await directory.list()).toEqual(ACTIVITIES);
    expect(gateway.requests.map((request) => request.variables.first)).toEqual([5, 5, 5]);
  });

  it('stops at the cap and says so in the log', async () => {
    const { directory, logs } = directoryWith({ pageSize: 5, maxActivities: 7 });
    expect(await directory.list()).toHaveLength(7);
    expect(gateway.requests.map((request) => request.variables.first)).toEqual([5, 2]);
    expect(logs.text()).toContain('directory larger than the cap');
  });

  it('keeps the directory for a while, shares one fetch between callers, then fetches again', async () => {
    const { directory, advance } = directoryWith({ pageSize: 100, ttlMs: 60_000 });
    const [first, second] = await Promise.all([directory.list(), directory.list()]);
    expect(first).toBe(second);
    expect(gateway.requests).toHaveLength(1);
    advance(59_000);
    expect(await directory.list()).toBe(first);
    expect(gateway.requests).toHaveLength(1);
    advance(2_000);
    await directory.list();
    expect(gateway.requests).toHaveLength(2);
  });

  it('uses the old copy for a while when a refresh fails, and fails when it has none', async () => {
    const { directory, advance, logs } = directoryWith({ ttlMs: 1_000, retryAfterMs: 10_000 });
    const first = await directory.list();
    gateway.behave('http-500');
    advance(2_000);
    expect(await directory.list()).toBe(first);
    expect(logs.text()).toContain('directory refresh failed; using the previous copy');
    const asked = gateway.requests.length;
    advance(1_000);
    expect(await directory.list()).toBe(first);
    expect(gateway.requests).toHaveLength(asked);

    const empty = directoryWith({});
    await expect(empty.directory.list()).rejects.toBeInstanceOf(GatewayError);
  });
});
