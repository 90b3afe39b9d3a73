import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies } from '@sp/prisma/reference/vocabularies';
import { SAMPLE_ACTIVITIES, seedProviderSample, sampleActivityId } from '@sp/prisma/sample/provider';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { printSubgraphSdl } from '@sp/runtime/subgraph';
import { createTestLogger, graphqlRequest, type GraphQLResponse } from '@sp/runtime/testing';
import { providerSchema } from '../src/schema/index';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { createProviderServer } from '../src/server';

describe('the committed schema', () => {
  it('matches the schema the code prints (run `npm run print-schema` after changing types)', async () => {
    const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSubgraphSdl(providerSchema)).toBe(committed);
  });
});

describe.each(testDatabaseKinds())('provider subgraph on %s', (kind) => {
  let place: TestDatabaseLocation;
  let auth: TestAuth;
  let database: Awaited<ReturnType<typeof openProviderDatabase>>;
  let service: { url: string; port: number; close(): Promise<void> };

  beforeAll(async () => {
    auth = await createTestAuth();
    place = await createTestDatabaseLocation('provider', kind);
    database = await openProviderDatabase(place.location);
    await ensureVocabularies(database.client);
    await seedProviderSample(database.client);
    service = await createProviderServer({ db: database.client, logger: createTestLogger(), verifier: auth.verifier }).listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await service?.close();
    await database?.close();
    await place?.destroy();
    await auth?.destroy();
  });

  it('loads the sample directory once, marked as sample data, and not again on a second start', async () => {
    expect(await database.client.activity.count()).toBe(SAMPLE_ACTIVITIES.length);
    expect(await seedProviderSample(database.client)).toBe(0);
    expect(await database.client.activity.count()).toBe(SAMPLE_ACTIVITIES.length);
    expect(await database.client.activity.count({ where: { isSample: false } })).toBe(0);
  });

  it('pages through every active activity exactly once, in name order', async () => {
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: GraphQLResponse = await graphqlRequest(
        service.url,
        `query Page($after: String) {
          activities(first: 7, after: $after) {
            edges { cursor node { id name } }
            pageInfo { hasNextPage endCursor }
          }
        }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      const connection = result.data!.activities;
      names.push(...connection.edges.map((edge: { node: { name: string } }) => edge.node.name));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 20);
    expect(names).toHaveLength(SAMPLE_ACTIVITIES.length);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(pages).toBe(Math.ceil(SAMPLE_ACTIVITIES.length / 7));
  });

  it('gives each activity the same town, area and schedule description whether they are asked for alone or together', async () => {
    const page = async (fields: string) => {
      const result = await graphqlRequest(service.url, `{ activities(first: 100) { edges { node { id ${fields} } } } }`);
      expect(result.errors).toBeUndefined();
      return result.data!.activities.edges.map((edge: { node: Record<string, unknown> }) => edge.node) as Array<Record<string, unknown>>;
    };
    const together = await page('town area scheduleDescription');
    const [towns, areas, schedules] = await Promise.all([page('town'), page('area'), page('scheduleDescription')]);
    expect(together.map(({ id, town }) => ({ id, town }))).toEqual(towns);
    expect(together.map(({ id, area }) => ({ id, area }))).toEqual(areas);
    expect(together.map(({ id, scheduleDescription }) => ({ id, scheduleDescription }))).toEqual(schedules);

    // And what the data says: the first in-person venue's town and area, else the first service area.
    const stored = await database.client.activity.findMany({
      where: { id: { in: together.map((node) => String(node.id)) } },
      select: {
        id: true,
        serviceAtLocations: { select: { location: true, schedules: { select: { description: true } } } },
        serviceAreas: { select: { name: true } },
        schedules: { select: { description: true } },
      },
    });
    const expected = new Map(
      stored.map((activity) => {
        const venue = activity.serviceAtLocations.find((at) => at.location.locationType === 'PHYSICAL')?.location;
        const description = [...activity.schedules, ...activity.serviceAtLocations.flatMap((at) => at.schedules)].find((schedule) => schedule.description)?.description ?? null;
        return [activity.id, { id: activity.id, town: venue?.city ?? null, area: venue?.healthBoard ?? venue?.localAuthority ?? activity.serviceAreas[0]?.name ?? null, scheduleDescription: description }];
      }),
    );
    expect(together).toEqual(together.map((node) => expected.get(String(node.id))));
    expect(together.some((node) => node.town !== null && node.area !== null && node.scheduleDescription !== null)).toBe(true);
  });

  it('returns one activity with its organisation, and null for an unknown id', async () => {
    const id = sampleActivityId('sb-dance-for-parkinsons-dundee');
    const result = await graphqlRequest(
      service.url,
      `query One($id: ID!, $missing: ID!) {
        activity(id: $id) { id name town area deliveryMode isFree suitableFor isSampleData organization { name } }
        missing: activity(id: $missing) { id }
      }`,
      { id, missing: '00000000-0000-4000-8000-000000000000' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.activity).toMatchObject({
      id,
      town: 'Dundee',
      area: 'NHS Tayside',
      deliveryMode: 'IN_PERSON',
      isFree: true,
      isSampleData: true,
      organization: { name: 'Scottish Ballet (SB Health)' },
    });
    expect(result.data!.activity.suitableFor).toContain("Parkinson's");
    expect(result.data!.missing).toBeNull();
  });

  it('resolves Activity entities for the gateway by id', async () => {
    const id = sampleActivityId('teabooks-oxford');
    const result = await graphqlRequest(
      service.url,
      `query Entities($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Activity { id name } }
      }`,
      { representations: [{ __typename: 'Activity', id }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([{ id, name: 'TeaBooks sociable book group' }]);
  });

  it('refuses a negative page size or a forged cursor with BAD_USER_INPUT', async () => {
    const negative = await graphqlRequest(service.url, '{ activities(first: -1) { edges { node { id } } } }');
    expect(negative.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(negative.errors?.[0]?.message).toMatch(/first/);
    const forged = await graphqlRequest(service.url, '{ activities(first: 2, after: "not-a-cursor") { edges { node { id } } } }');
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers /health without the database and /ready after checking it', async () => {
    const origin = new URL(service.url).origin;
    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { database: { ok: true } } });
  });
});
