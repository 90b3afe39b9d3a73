// The activity check against the provider subgraph: an unknown activity is refused before
// anything is stored; a slow or absent directory never loses a referral (it is kept PENDING and
// checked again in the background).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { createTestLogger } from '@sp/runtime/testing';
import { createHttpActivityDirectory } from '../src/domain/directory';
import { ACTIVITY_A, codeOf, CREATE, ORG_A, READ, referralInput, startHarness, type Harness } from './support';

type Mode = 'up' | 'slow' | 'error';

/** Answers `_entities` for Activity as the provider subgraph does, from a table; can be slow or broken. */
async function startFakeProvider(organizations: Record<string, string>) {
  const state = { mode: 'up' as Mode, requests: 0 };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      state.requests += 1;
      const answer = () => {
        if (state.mode === 'error') {
          response.statusCode = 500;
          return response.end('{}');
        }
        const { variables } = JSON.parse(body) as { variables: { representations: Array<{ id: string }> } };
        const entities = variables.representations.map(({ id }) => (organizations[id] ? { id, organization: { id: organizations[id] } } : null));
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ data: { _entities: entities } }));
      };
      if (state.mode === 'slow') setTimeout(answer, 400);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    state,
    organizations,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('the directory client', () => {
  let provider: Awaited<ReturnType<typeof startFakeProvider>>;
  beforeAll(async () => {
    provider = await startFakeProvider({ 'activity-1': 'org-1' });
  });
  afterAll(async () => {
    await provider?.close();
  });
  const directory = (options: { notFoundTtlMs?: number } = {}) =>
    createHttpActivityDirectory({ url: provider.url, logger: createTestLogger(), timeoutMs: 150, ...options });

  it('finds the organisation of an activity, and remembers it', async () => {
    provider.state.mode = 'up';
    const client = directory();
    const before = provider.state.requests;
    expect(await client.lookup('activity-1')).toEqual({ kind: 'found', organizationId: 'org-1' });
    expect(await client.lookup('activity-1')).toEqual({ kind: 'found', organizationId: 'org-1' });
    expect(provider.state.requests - before).toBe(1);
  });

  it('asks once for many lookups of the same activity at the same time', async () => {
    const client = directory();
    const before = provider.state.requests;
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.lookup('activity-1')));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(provider.state.requests - before).toBe(1);
  });

  it('says not-found for an activity the directory does not know, and asks again after a short while', async () => {
    const client = directory({ notFoundTtlMs: 50 });
    expect(await client.lookup('activity-new')).toEqual({ kind: 'not-found' });
    provider.organizations['activity-new'] = 'org-2';
    expect(await client.lookup('activity-new')).toEqual({ kind: 'not-found' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await client.lookup('activity-new')).toEqual({ kind: 'found', organizationId: 'org-2' });
  });

  it('says unavailable, and remembers nothing, when the directory is slow, broken or down', async () => {
    const client = directory();
    provider.state.mode = 'slow';
    expect(await client.lookup('activity-x')).toEqual({ kind: 'unavailable', reason: 'timeout' });
    provider.state.mode = 'error';
    expect(await client.lookup('activity-x')).toEqual({ kind: 'unavailable', reason: 'status 500' });
    const nowhere = createHttpActivityDirectory({ url: 'http://127.0.0.1:9/graphql', logger: createTestLogger(), timeoutMs: 150 });
    expect(await nowhere.lookup('activity-1')).toMatchObject({ kind: 'unavailable' });
    provider.state.mode = 'up';
    provider.organizations['activity-x'] = 'org-3';
    expect(await client.lookup('activity-x')).toEqual({ kind: 'found', organizationId: 'org-3' });
  });
});

describe.each(testDatabaseKinds())('referrals while the directory is slow, on %s', (kind) => {
  let provider: Awaited<ReturnType<typeof startFakeProvider>>;
  let h: Harness;
  beforeAll(async () => {
    provider = await startFakeProvider({ [ACTIVITY_A]: ORG_A });
    h = await startHarness(kind, { directory: createHttpActivityDirectory({ url: provider.url, logger: createTestLogger(), timeoutMs: 150 }) });
  });
  afterAll(async () => {
    await h?.close();
    await provider?.close();
  });

  it('refuses an activity the directory does not know with UNKNOWN_ACTIVITY, storing nothing', async () => {
    provider.state.mode = 'up';
    const result = await h.call('gp', CREATE, { input: referralInput({ activityId: 'made-up-activity' }) });
    expect(codeOf(result)).toBe('UNKNOWN_ACTIVITY');
    expect(await h.db.referral.count()).toBe(0);
  });

  it('keeps the referral when the directory does not answer in time, flags it PENDING, and confirms it later', async () => {
    provider.state.mode = 'slow';
    const created = await h.call('gp', CREATE, { input: referralInput({ activityId: ACTIVITY_A }) });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createReferral.id;
    expect(created.data!.createReferral).toMatchObject({ status: 'SENT', activityCheck: 'PENDING' });
    // Until the directory confirms whose activity it is, no provider can see it; the referrer can.
    expect((await h.call('provider', READ, { id })).data!.referral).toBeNull();
    expect((await h.call('gp', READ, { id })).data!.referral.activityCheck).toBe('PENDING');

    expect(await h.server.jobs.recheckActivities()).toEqual({ confirmed: 0, notFound: 0, stillPending: 1 });
    provider.state.mode = 'up';
    expect(await h.server.jobs.recheckActivities()).toEqual({ confirmed: 1, notFound: 0, stillPending: 0 });
    const seen = (await h.call('provider', READ, { id })).data!.referral;
    expect(seen).toMatchObject({ activityCheck: 'CONFIRMED', status: 'RECEIVED' });
    expect(seen.history.map((event: { kind: string; reason: string | null }) => [event.kind, event.reason])).toEqual([
      ['CREATED', null],
      ['ACTIVITY_CHECKED', 'CONFIRMED'],
      ['STATUS_CHANGED', null],
    ]);
  });

  it('flags a kept referral NOT_FOUND when the directory later says there is no such activity, and keeps it', async () => {
    provider.state.mode = 'error';
    const created = await h.call('gp', CREATE, { input: referralInput({ activityId: 'withdrawn-listing' }) });
    expect(created.data!.createReferral.activityCheck).toBe('PENDING');
    provider.state.mode = 'up';
    expect(await h.server.jobs.recheckActivities()).toEqual({ confirmed: 0, notFound: 1, stillPending: 0 });
    const stored = await h.db.referral.findUniqueOrThrow({ where: { id: created.data!.createReferral.id } });
    expect(stored).toMatchObject({ activityCheck: 'NOT_FOUND', activityOrganizationId: null, status: 'SENT' });
  });
});
