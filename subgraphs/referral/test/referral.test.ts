import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReferralDatabase } from '@sp/prisma/referral';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { printSubgraphSdl } from '@sp/runtime/subgraph';
import { createTestLogger, graphqlRequest } from '@sp/runtime/testing';
import { referralSchema } from '../src/schema/index';
import { createReferralServer } from '../src/server';

const CREATE = `mutation Create($input: CreateReferralInput!) {
  createReferral(input: $input) { id status createdAt activity { id } }
}`;

const ACTIVITY_A = '5d0c9c3e-4b7a-5b1e-9f0e-111111111111';
const ACTIVITY_B = '5d0c9c3e-4b7a-5b1e-9f0e-222222222222';

describe('the committed schema', () => {
  it('matches the schema the code prints (run `npm run print-schema` after changing types)', async () => {
    const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSubgraphSdl(referralSchema)).toBe(committed);
  });
});

describe.each(testDatabaseKinds())('referral subgraph on %s', (kind) => {
  let place: TestDatabaseLocation;
  let database: Awaited<ReturnType<typeof openReferralDatabase>>;
  let service: { url: string; close(): Promise<void> };

  async function start() {
    database = await openReferralDatabase(place.location);
    service = await createReferralServer({ db: database.client, logger: createTestLogger() }).listen(0, '127.0.0.1');
  }
  async function stop() {
    await service?.close();
    await database?.close();
  }

  beforeAll(async () => {
    place = await createTestDatabaseLocation('referral', kind);
    await start();
  });
  afterAll(async () => {
    await stop();
    await place?.destroy();
  });

  it('creates a referral as SENT and reads it back by id', async () => {
    const created = await graphqlRequest(service.url, CREATE, { input: { activityId: ACTIVITY_A } });
    expect(created.errors).toBeUndefined();
    const referral = created.data!.createReferral;
    expect(referral).toMatchObject({ status: 'SENT', activity: { id: ACTIVITY_A } });
    expect(Date.parse(referral.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const read = await graphqlRequest(service.url, 'query($id: ID!) { referral(id: $id) { id status activity { id } } }', {
      id: referral.id,
    });
    expect(read.data!.referral).toEqual({ id: referral.id, status: 'SENT', activity: { id: ACTIVITY_A } });
  });

  it('returns the same referral when a request is retried with its idempotency key', async () => {
    const input = { activityId: ACTIVITY_B, idempotencyKey: 'retry-key-0001' };
    const first = await graphqlRequest(service.url, CREATE, { input });
    const second = await graphqlRequest(service.url, CREATE, { input });
    expect(second.data!.createReferral.id).toBe(first.data!.createReferral.id);
    expect(await database.client.referral.count({ where: { idempotencyKey: 'retry-key-0001' } })).toBe(1);
  });

  it('stores one referral when the same key arrives many times at once', async () => {
    const input = { activityId: ACTIVITY_B, idempotencyKey: 'concurrent-key-0001' };
    const results = await Promise.all(Array.from({ length: 12 }, () => graphqlRequest(service.url, CREATE, { input })));
    for (const result of results) expect(result.errors).toBeUndefined();
    const ids = new Set(results.map((result) => result.data!.createReferral.id));
    expect(ids.size).toBe(1);
    expect(await database.client.referral.count({ where: { idempotencyKey: 'concurrent-key-0001' } })).toBe(1);
  });

  it('refuses to reuse a key for a different activity with CONFLICT, changing nothing', async () => {
    const before = await database.client.referral.count();
    const result = await graphqlRequest(service.url, CREATE, {
      input: { activityId: ACTIVITY_A, idempotencyKey: 'retry-key-0001' },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await database.client.referral.count()).toBe(before);
  });

  it('refuses bad input with BAD_USER_INPUT and stores nothing', async () => {
    const before = await database.client.referral.count();
    const empty = await graphqlRequest(service.url, CREATE, { input: { activityId: '   ' } });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'activityId' });
    const badKey = await graphqlRequest(service.url, CREATE, { input: { activityId: ACTIVITY_A, idempotencyKey: 'x' } });
    expect(badKey.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    const missing = await graphqlRequest(service.url, CREATE, { input: {} });
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await database.client.referral.count()).toBe(before);
  });

  it('counts referrals per activity for the gateway, in one batch', async () => {
    const result = await graphqlRequest(
      service.url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Activity { id referralCount } } }`,
      {
        representations: [
          { __typename: 'Activity', id: ACTIVITY_A },
          { __typename: 'Activity', id: ACTIVITY_B },
          { __typename: 'Activity', id: 'no-referrals-yet' },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([
      { id: ACTIVITY_A, referralCount: 1 },
      { id: ACTIVITY_B, referralCount: 2 },
      { id: 'no-referrals-yet', referralCount: 0 },
    ]);
  });

  it('keeps every referral across a restart', async () => {
    const before = await database.client.referral.findMany({ orderBy: { id: 'asc' } });
    await stop();
    await start();
    const after = await database.client.referral.findMany({ orderBy: { id: 'asc' } });
    expect(after).toEqual(before);
    expect(after.length).toBe(3);
  });
});
