// Providers keep their own listings current; admins can edit any; nobody else can. Bad input is
// refused with a specific code and changes nothing; every change is recorded for admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies } from '@sp/prisma/reference/vocabularies';
import { sampleActivityId, sampleOrganizationId, seedProviderSample } from '@sp/prisma/sample/provider';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { createTestLogger, graphqlRequest } from '@sp/runtime/testing';
import { createProviderServer } from '../src/server';

const SCOTTISH_BALLET = sampleOrganizationId('scottish-ballet');
const AGE_UK = sampleOrganizationId('age-uk-oxfordshire');
const DUNDEE_DANCE = sampleActivityId('sb-dance-for-parkinsons-dundee');

const UPDATE = `mutation($id: ID!, $input: ActivityInput!) {
  updateActivity(id: $id, input: $input) { id name fees isFree minimumAge maximumAge conditions { code } analysis { mobilityDemand } }
}`;
const CREATE = `mutation($org: ID!, $input: ActivityInput!) {
  createActivity(organizationId: $org, input: $input) { id name deliveryMode isFree activityTypes { code } organization { id } }
}`;

describe.each(testDatabaseKinds())('changing listings on %s', (kind) => {
  let place: TestDatabaseLocation;
  let auth: TestAuth;
  let database: Awaited<ReturnType<typeof openProviderDatabase>>;
  let service: { url: string; close(): Promise<void> };
  const as: Record<string, Record<string, string>> = {};

  const call = (who: keyof typeof as | 'public', query: string, variables: Record<string, unknown>) =>
    graphqlRequest(service.url, query, variables, who === 'public' ? {} : as[who]);

  beforeAll(async () => {
    auth = await createTestAuth();
    place = await createTestDatabaseLocation('provider', kind);
    database = await openProviderDatabase(place.location);
    await ensureVocabularies(database.client);
    await seedProviderSample(database.client);
    service = await createProviderServer({ db: database.client, logger: createTestLogger(), verifier: auth.verifier }).listen(0, '127.0.0.1');
    as.ownProvider = await auth.headersFor({ subject: 'staff-1', role: 'provider', organizationId: SCOTTISH_BALLET });
    as.otherProvider = await auth.headersFor({ subject: 'staff-2', role: 'provider', organizationId: AGE_UK });
    as.professional = await auth.headersFor({ subject: 'gp-1', role: 'professional', organizationId: 'practice-1', profession: 'GP' });
    as.admin = await auth.headersFor({ subject: 'admin-1', role: 'admin' });
  });
  afterAll(async () => {
    await service?.close();
    await database?.close();
    await place?.destroy();
    await auth?.destroy();
  });

  it('lets a provider update their own listing and records each changed field', async () => {
    const result = await call('ownProvider', UPDATE, {
      id: DUNDEE_DANCE,
      input: { fees: 'Free; donations welcome', conditions: ['parkinsons', 'stroke'], analysis: { mobilityDemand: 'NONE' } },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateActivity.fees).toBe('Free; donations welcome');
    expect(result.data!.updateActivity.conditions.map((c: { code: string }) => c.code).sort()).toEqual(['parkinsons', 'stroke']);
    expect(result.data!.updateActivity.analysis.mobilityDemand).toBe('NONE');

    const history = await call('admin', `query($id: ID!) { directoryChanges(activityId: $id) { edges { node { fieldName previousValue replacementValue updatedBy action } } } }`, { id: DUNDEE_DANCE });
    const changes = history.data!.directoryChanges.edges.map((edge: { node: unknown }) => edge.node);
    expect(changes).toEqual(
      expect.arrayContaining([
        { fieldName: 'fees', previousValue: 'Free', replacementValue: 'Free; donations welcome', updatedBy: 'provider:staff-1', action: 'update' },
        { fieldName: 'conditions', previousValue: 'parkinsons', replacementValue: 'parkinsons\nstroke', updatedBy: 'provider:staff-1', action: 'update' },
        { fieldName: 'mobilityDemand', previousValue: '1', replacementValue: '0', updatedBy: 'provider:staff-1', action: 'update' },
      ]),
    );
    expect(changes).toHaveLength(3);
  });

  it('makes a change searchable at once, without waiting for the index to poll', async () => {
    await call('ownProvider', UPDATE, { id: DUNDEE_DANCE, input: { keywords: ['argentine tango'] } });
    const found = await call('public', '{ searchActivities(query: "argentine tango") { activity { id } } }', {});
    expect(found.data!.searchActivities.map((hit: { activity: { id: string } }) => hit.activity.id)).toContain(DUNDEE_DANCE);
  });

  it('refuses edits from another organisation, professionals and the public, changing nothing', async () => {
    const before = await database.client.activity.findUniqueOrThrow({ where: { id: DUNDEE_DANCE } });
    const input = { id: DUNDEE_DANCE, input: { name: 'Hijacked' } };
    expect((await call('otherProvider', UPDATE, input)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call('professional', UPDATE, input)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call('public', UPDATE, input)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const createForOther = await call('otherProvider', CREATE, {
      org: SCOTTISH_BALLET,
      input: { name: 'Not yours', description: 'x', deliveryMode: 'ONLINE' },
    });
    expect(createForOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await database.client.activity.findUniqueOrThrow({ where: { id: DUNDEE_DANCE } })).toEqual(before);
  });

  it('refuses a forged or expired token with UNAUTHENTICATED', async () => {
    const token = as.ownProvider!.authorization!;
    const [header, payload, signature] = token.replace('Bearer ', '').split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
    const result = await graphqlRequest(service.url, UPDATE, { id: DUNDEE_DANCE, input: { name: 'x' } }, { authorization: `Bearer ${forged}` });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets an admin edit any listing and create one for any organisation', async () => {
    const updated = await call('admin', UPDATE, { id: sampleActivityId('teabooks-oxford'), input: { minimumAge: 55 } });
    expect(updated.data!.updateActivity.minimumAge).toBe(55);
    const created = await call('admin', CREATE, {
      org: AGE_UK,
      input: {
        name: 'Digital skills drop-in',
        description: 'Help with phones, tablets and video calls.',
        deliveryMode: 'IN_PERSON',
        activityTypes: ['learning'],
        costOptions: [{ amount: 0 }],
      },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createActivity).toMatchObject({ name: 'Digital skills drop-in', isFree: true, organization: { id: AGE_UK } });
    const history = await call('admin', `query($id: ID!) { directoryChanges(activityId: $id) { edges { node { fieldName action } } } }`, {
      id: created.data!.createActivity.id,
    });
    expect(history.data!.directoryChanges.edges.map((e: { node: { fieldName: string } }) => e.node.fieldName)).toEqual(
      expect.arrayContaining(['name', 'description', 'deliveryMode', 'activityTypes', 'costOptions']),
    );
  });

  it('refuses invalid input with a specific code and writes nothing', async () => {
    const before = await database.client.changeRecord.count();
    const activities = await database.client.activity.count();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ conditions: ['gout'] }, 'UNKNOWN_TAXONOMY_TERM', 'conditions'],
      [{ url: 'javascript:alert(1)' }, 'BAD_USER_INPUT', 'url'],
      [{ email: 'not-an-email' }, 'BAD_USER_INPUT', 'email'],
      [{ minimumAge: 70, maximumAge: 60 }, 'BAD_USER_INPUT', 'maximumAge'],
      [{ schedules: [{ byday: 'TU', validFrom: '2026-05-01T00:00:00Z', validTo: '2026-04-01T00:00:00Z' }] }, 'BAD_USER_INPUT', 'schedules[0].validTo'],
      [{ schedules: [{ opensAt: '25:00' }] }, 'BAD_USER_INPUT', 'schedules[0].opensAt'],
      [{ costOptions: [{ amount: -2 }] }, 'BAD_USER_INPUT', 'costOptions[0].amount'],
      [{ name: '   ' }, 'BAD_USER_INPUT', 'name'],
    ];
    for (const [input, code, field] of cases) {
      const result = await call('ownProvider', UPDATE, { id: DUNDEE_DANCE, input: { description: 'A change that must not land', ...input } });
      expect(result.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code, field });
    }
    const negativeCapacity = await call('ownProvider', `mutation($id: ID!) { updateCapacity(serviceAtLocationId: $id, input: { placesRemaining: -1 }) { id } }`, {
      id: (await database.client.serviceAtLocation.findFirstOrThrow({ where: { activityId: DUNDEE_DANCE } })).id,
    });
    expect(negativeCapacity.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.placesRemaining' });
    expect(await database.client.changeRecord.count()).toBe(before);
    expect(await database.client.activity.count()).toBe(activities);
    expect((await database.client.activity.findUniqueOrThrow({ where: { id: DUNDEE_DANCE } })).description).not.toMatch(/must not land/);
  });

  it('updates capacity and accessibility, recording who did it', async () => {
    const venue = await database.client.serviceAtLocation.findFirstOrThrow({ where: { activityId: DUNDEE_DANCE }, include: { location: true } });
    const capacity = await call('ownProvider', `mutation($id: ID!) { updateCapacity(serviceAtLocationId: $id, input: { placesRemaining: 0, waitingListOpen: true }) { capacity { placesRemaining waitingListOpen updatedAt } } }`, {
      id: venue.id,
    });
    expect(capacity.data!.updateCapacity.capacity).toMatchObject({ placesRemaining: 0, waitingListOpen: true });
    const location = await call('admin', `mutation($id: ID!) { updateLocation(id: $id, input: { accessibility: ["step-free-access", "hearing-loop"] }) { accessibility { code } } }`, {
      id: venue.locationId,
    });
    expect(location.data!.updateLocation.accessibility.map((a: { code: string }) => a.code).sort()).toEqual(['hearing-loop', 'step-free-access']);
    const records = await database.client.changeRecord.findMany({ where: { resourceId: { in: [venue.id, venue.locationId] } } });
    expect(records.map((record) => `${record.fieldName}:${record.updatedBy}`).sort()).toEqual(
      expect.arrayContaining(['accessibility:admin:admin-1', 'placesRemaining:provider:staff-1', 'waitingListOpen:provider:staff-1']),
    );
  });

  it('shows the change history to admins only', async () => {
    const query = '{ directoryChanges(first: 5) { edges { node { id } } } }';
    expect((await call('ownProvider', query, {})).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call('public', query, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await call('admin', query, {})).data!.directoryChanges.edges.length).toBeGreaterThan(0);
  });

  it('lists listings not assured since a date, and assuring one takes it off the list', async () => {
    const since = new Date(Date.now() - 90 * 24 * 60 * 60 * 1000).toISOString();
    const query = `query($since: DateTime!) { staleActivities(notAssuredSince: $since, first: 200) { edges { node { id assuredDate organization { id } } } } }`;
    const stale = (await call('admin', query, { since })).data!.staleActivities.edges.map((e: { node: { id: string; assuredDate: string; organization: { id: string } } }) => e.node);
    expect(stale.length).toBeGreaterThan(0);
    for (const activity of stale) {
      if (activity.assuredDate !== null) expect(Date.parse(activity.assuredDate)).toBeLessThan(Date.parse(since));
    }
    const expected = await database.client.activity.count({ where: { status: 'ACTIVE', OR: [{ assuredDate: null }, { assuredDate: { lt: new Date(since) } }] } });
    expect(stale).toHaveLength(expected);

    const own = (await call('otherProvider', query, { since })).data!.staleActivities.edges.map((e: { node: { organization: { id: string } } }) => e.node);
    for (const activity of own) expect(activity.organization.id).toBe(AGE_UK);

    const target = stale[0]!.id;
    const organizationOfTarget = stale[0]!.organization.id;
    const assurer = organizationOfTarget === AGE_UK ? 'otherProvider' : 'admin';
    const assured = await call(assurer, 'mutation($id: ID!) { assureActivity(id: $id) { assuredDate } }', { id: target });
    expect(Date.now() - Date.parse(assured.data!.assureActivity.assuredDate)).toBeLessThan(60_000);
    const after = (await call('admin', query, { since })).data!.staleActivities.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(after).not.toContain(target);
    expect((await call('professional', query, { since })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
