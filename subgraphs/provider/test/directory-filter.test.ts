// Each filter is checked against the whole directory: the activities it returns must be
// exactly those that satisfy it, judged from their own published fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies } from '@sp/prisma/reference/vocabularies';
import { seedProviderSample } from '@sp/prisma/sample/provider';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { createTestLogger, graphqlRequest, type GraphQLResponse } from '@sp/runtime/testing';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { createProviderServer } from '../src/server';

interface Listed {
  id: string;
  name: string;
  deliveryMode: string;
  isFree: boolean;
  minimumAge: number | null;
  maximumAge: number | null;
  hasPlaces: boolean | null;
  serviceAreas: string[];
  conditions: Array<{ code: string }>;
  groups: Array<{ code: string }>;
  activityTypes: Array<{ code: string }>;
  analysis: { mobilityDemand: string; cognitiveDemand: string };
  schedules: Array<{ days: string[] }>;
  venues: Array<{
    capacity: { placesRemaining: number | null } | null;
    schedules: Array<{ days: string[] }>;
    location: { locationType: string; city: string | null; healthBoard: string | null; localAuthority: string | null; accessibility: Array<{ code: string }> };
  }>;
}

const FIELDS = `id name deliveryMode isFree minimumAge maximumAge hasPlaces serviceAreas
  conditions { code } groups { code } activityTypes { code }
  analysis { mobilityDemand cognitiveDemand }
  schedules { days }
  venues { capacity { placesRemaining } schedules { days } location { locationType city healthBoard localAuthority accessibility { code } } }`;

const LEVEL = { NONE: 0, LOW: 1, MODERATE: 2, HIGH: 3 } as const;

describe.each(testDatabaseKinds())('filtering the directory on %s', (kind) => {
  let place: TestDatabaseLocation;
  let auth: TestAuth;
  let database: Awaited<ReturnType<typeof openProviderDatabase>>;
  let service: { url: string; close(): Promise<void> };
  let everything: Listed[] = [];

  async function list(filter?: Record<string, unknown>): Promise<Listed[]> {
    const found: Listed[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const result: GraphQLResponse = await graphqlRequest(
        service.url,
        `query($filter: ActivityFilter, $after: String) {
          activities(first: 100, after: $after, filter: $filter) { edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } }
        }`,
        { filter, after },
      );
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      const connection: { edges: Array<{ node: Listed }>; pageInfo: { hasNextPage: boolean; endCursor: string } } = result.data!.activities;
      found.push(...connection.edges.map((edge: { node: Listed }) => edge.node));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    return found;
  }

  async function expectExactly(filter: Record<string, unknown>, holds: (activity: Listed) => boolean) {
    const returned = (await list(filter)).map((activity) => activity.name).sort();
    const expected = everything.filter(holds).map((activity) => activity.name).sort();
    expect(expected.length, 'the sample should exercise this filter').toBeGreaterThan(0);
    expect(expected.length, 'the filter should exclude something').toBeLessThan(everything.length);
    expect(returned).toEqual(expected);
  }

  const physical = (activity: Listed) => activity.venues.filter((venue) => venue.location.locationType === 'PHYSICAL');
  const days = (activity: Listed) => [...activity.schedules, ...activity.venues.flatMap((venue) => venue.schedules)].flatMap((s) => s.days);

  beforeAll(async () => {
    auth = await createTestAuth();
    place = await createTestDatabaseLocation('provider', kind);
    database = await openProviderDatabase(place.location);
    await ensureVocabularies(database.client);
    await seedProviderSample(database.client);
    service = await createProviderServer({ db: database.client, logger: createTestLogger(), verifier: auth.verifier }).listen(0, '127.0.0.1');
    everything = await list();
  });
  afterAll(async () => {
    await service?.close();
    await database?.close();
    await place?.destroy();
    await auth?.destroy();
  });

  it('by condition (any of those given)', () =>
    expectExactly({ conditions: ['parkinsons', 'multiple-sclerosis'] }, (a) =>
      a.conditions.some((c) => c.code === 'parkinsons' || c.code === 'multiple-sclerosis'),
    ));

  it('by group', () => expectExactly({ groups: ['carers'] }, (a) => a.groups.some((g) => g.code === 'carers')));

  it('by activity type', () => expectExactly({ activityTypes: ['dance'] }, (a) => a.activityTypes.some((t) => t.code === 'dance')));

  it('by town: venues there, and remote activities serving its areas', () =>
    expectExactly({ place: 'dundee' }, (a) =>
      physical(a).some((venue) => venue.location.city === 'Dundee') ||
      (['ONLINE', 'TELEPHONE', 'HOME_VISIT', 'HYBRID'].includes(a.deliveryMode) &&
        a.serviceAreas.some((area) => ['Dundee', 'Dundee City', 'NHS Tayside', 'Scotland'].includes(area))),
    ));

  it('by health board', () =>
    expectExactly({ place: 'NHS Orkney' }, (a) =>
      physical(a).some((venue) => venue.location.healthBoard === 'NHS Orkney') ||
      (a.deliveryMode !== 'IN_PERSON' && a.serviceAreas.some((area) => ['NHS Orkney', 'Scotland'].includes(area))),
    ));

  it('by delivery mode', () =>
    expectExactly({ deliveryModes: ['ONLINE', 'TELEPHONE'] }, (a) => ['ONLINE', 'TELEPHONE'].includes(a.deliveryMode)));

  it('free only', () => expectExactly({ freeOnly: true }, (a) => a.isFree));

  it('by accessibility: one venue must have every feature asked for', () =>
    expectExactly({ accessibility: ['step-free-access', 'hearing-loop'] }, (a) =>
      physical(a).some((venue) => ['step-free-access', 'hearing-loop'].every((code) => venue.location.accessibility.some((f) => f.code === code))),
    ));

  it('by maximum demand per analysis domain', () =>
    expectExactly({ maxDemand: { mobility: 'LOW', cognitive: 'LOW' } }, (a) =>
      LEVEL[a.analysis.mobilityDemand as keyof typeof LEVEL] <= 1 && LEVEL[a.analysis.cognitiveDemand as keyof typeof LEVEL] <= 1,
    ));

  it('by age', () =>
    expectExactly({ age: 65 }, (a) => (a.minimumAge === null || a.minimumAge <= 65) && (a.maximumAge === null || a.maximumAge >= 65)));

  it('by day of week', () => expectExactly({ days: ['SA', 'SU'] }, (a) => days(a).some((day) => day === 'SA' || day === 'SU')));

  it('with places left', () =>
    expectExactly({ hasPlaces: true }, (a) => a.venues.some((venue) => (venue.capacity?.placesRemaining ?? 0) > 0)));

  it('combines filters: free dance for Parkinson\'s in Glasgow', async () => {
    const found = await list({ conditions: ['parkinsons'], activityTypes: ['dance'], place: 'Glasgow', freeOnly: true });
    expect(found.map((a) => a.name)).toContain("Dance for Parkinson's Scotland – Glasgow");
    for (const activity of found) {
      expect(activity.isFree).toBe(true);
      expect(activity.conditions.map((c) => c.code)).toContain('parkinsons');
    }
  });

  it('refuses an unknown term or place with a specific code', async () => {
    const unknownTerm = await graphqlRequest(service.url, '{ activities(filter: { conditions: ["gout-and-sorrow"] }) { edges { node { id } } } }');
    expect(unknownTerm.errors?.[0]?.extensions).toMatchObject({ code: 'UNKNOWN_TAXONOMY_TERM', field: 'conditions' });
    const unknownPlace = await graphqlRequest(service.url, '{ activities(filter: { place: "Atlantis" }) { edges { node { id } } } }');
    expect(unknownPlace.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'place' });
    const badAge = await graphqlRequest(service.url, '{ activities(filter: { age: -4 }) { edges { node { id } } } }');
    expect(badAge.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'age' });
  });
});
