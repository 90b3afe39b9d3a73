// `import:oruk`: ORUK services in, checked through the feed and the database. Round trips of
// the standard's own examples and of our feed, idempotence, per-record rejection, all-or-nothing
// records, taxonomy mapping, derived fields, sample flags, and the command itself.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { toPrismaUrl } from '@sp/prisma/database';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies, TAXONOMY_IDS, termId } from '@sp/prisma/reference/vocabularies';
import { seedProviderSample } from '@sp/prisma/sample/provider';
import { REPOSITORY_DIR } from '@sp/prisma/targets';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { createTestLogger, graphqlRequest } from '@sp/runtime/testing';
import { importOrukServices, servicesInDocument, type ImportReport } from '../src/oruk/import';
import { createOrukSchemaValidator, nullPaths, ORUK_STANDARD_DIR } from '../src/oruk/testing';
import { createProviderServer } from '../src/server';

const validator = createOrukSchemaValidator();
const run = promisify(execFile);

async function example(file: string): Promise<any> {
  return JSON.parse(await readFile(path.join(ORUK_STANDARD_DIR, 'examples', file), 'utf8'));
}

const pick = (value: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]));

const SERVICE_FIELDS = ['id', 'name', 'description', 'url', 'email', 'status', 'fees', 'minimum_age', 'maximum_age', 'assured_date', 'assurer_email'];
const ORGANIZATION_FIELDS = ['id', 'name', 'description', 'email', 'website'];
const SCHEDULE_FIELDS = ['id', 'valid_from', 'valid_to', 'dtstart', 'freq', 'interval', 'byday', 'bymonthday', 'description', 'attending_type', 'notes'];

interface Harness {
  place: TestDatabaseLocation;
  database: Awaited<ReturnType<typeof openProviderDatabase>>;
  service: { port: number; url: string; close(): Promise<void> };
  base: string;
  get(path: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

async function startHarness(kind: 'sqlite' | 'postgresql', auth: TestAuth, seed: boolean): Promise<Harness> {
  const place = await createTestDatabaseLocation('provider', kind);
  const database = await openProviderDatabase(place.location);
  await ensureVocabularies(database.client);
  if (seed) await seedProviderSample(database.client);
  const service = await createProviderServer({ db: database.client, logger: createTestLogger(), verifier: auth.verifier }).listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${service.port}/oruk`;
  return {
    place,
    database,
    service,
    base,
    async get(pathname) {
      const response = await fetch(`${base}${pathname}`);
      return { status: response.status, body: await response.json() };
    },
    async close() {
      await service.close();
      await database.close();
      await place.destroy();
    },
  };
}

const only = (report: ImportReport) => {
  expect(report.outcomes).toHaveLength(1);
  return report.outcomes[0]!;
};

describe.each(testDatabaseKinds())('importing ORUK services on %s', (kind) => {
  let auth: TestAuth;
  let harness: Harness;
  const db = () => harness.database.client;
  const changeCount = () => db().changeRecord.count();

  beforeAll(async () => {
    auth = await createTestAuth();
    harness = await startHarness(kind, auth, false);
  });

  afterAll(async () => {
    await harness?.close();
    await auth?.destroy();
  });

  it('round-trips the full service example into an empty directory: the feed gives back the fields we keep', async () => {
    const given = await example('service_full.json');
    const outcome = only(await importOrukServices(db(), servicesInDocument(given)));
    expect(outcome).toMatchObject({ outcome: 'created', id: given.id });
    // Its one attribute uses a term of no taxonomy we know; its language has no name; its
    // coordinates (100, 101) are off the globe. The service is imported all the same.
    expect(outcome.unknownTerms).toEqual(['"name" (taxonomy taxonomy)']);
    expect(outcome.warnings.join('\n')).toMatch(/languages\.0 has neither a name nor a code/);
    expect(outcome.warnings.join('\n')).toMatch(/not on the globe/);

    const { status, body } = await harness.get(`/services/${given.id}`);
    expect(status).toBe(200);
    expect(validator.problems('service', body)).toEqual([]);
    expect(nullPaths(body)).toEqual([]);

    expect(pick(body, SERVICE_FIELDS)).toEqual(pick(given, SERVICE_FIELDS));
    expect(pick(body.organization, ORGANIZATION_FIELDS)).toEqual(pick(given.organization, ORGANIZATION_FIELDS));
    expect(body.organization.organization_identifiers.map((row: any) => pick(row, ['id', 'identifier_scheme', 'identifier_type', 'identifier']))).toEqual(
      given.organization.organization_identifiers,
    );
    expect(body.schedules.map((row: any) => pick(row, SCHEDULE_FIELDS))).toEqual(given.schedules.map((row: any) => pick(row, SCHEDULE_FIELDS)));
    expect(body.schedules[0]).toMatchObject({ opens_at: '10:00', closes_at: '18:00' });
    expect(body.service_areas.map((row: any) => pick(row, ['id', 'name', 'extent', 'extent_type']))).toEqual(
      given.service_areas.map((row: any) => pick(row, ['id', 'name', 'extent', 'extent_type'])),
    );
    expect(body.cost_options.map((row: any) => pick(row, ['id', 'valid_from', 'valid_to', 'option', 'amount', 'amount_description']))).toEqual(given.cost_options);
    expect(body.contacts.map((row: any) => pick(row, ['id', 'name', 'title']))).toEqual(given.contacts);
    expect(body.languages).toEqual([]);
    expect(body.attributes).toEqual([]);

    const [place] = body.service_at_locations;
    const [givenPlace] = given.service_at_locations;
    expect(place.id).toBe(givenPlace.id);
    expect(pick(place.location, ['id', 'location_type', 'name', 'description'])).toEqual(pick(givenPlace.location, ['id', 'location_type', 'name', 'description']));
    expect(place.location).not.toHaveProperty('latitude');
    const addressFields = ['address_1', 'city', 'region', 'state_province', 'postal_code', 'country'];
    expect(pick(place.location.addresses[0], addressFields)).toEqual(pick(givenPlace.location.addresses[0], addressFields));
    expect(place.location.accessibility[0].description).toContain(givenPlace.location.accessibility[0].description);
    expect(place.location.accessibility[0].description).toContain(givenPlace.location.accessibility[0].details);

    const stored = await db().activity.findUniqueOrThrow({ where: { id: given.id } });
    expect(stored).toMatchObject({ isSample: false, isFree: false, deliveryMode: 'IN_PERSON', status: 'ACTIVE' });
    const records = await db().changeRecord.findMany({ where: { activityId: given.id, resourceType: 'service' } });
    expect(records.length).toBeGreaterThan(5);
    expect(records.every((record) => record.lastActionType === 'create' && record.updatedBy === 'import:oruk')).toBe(true);
    expect(records.find((record) => record.fieldName === 'name')).toMatchObject({ previousValue: null, replacementValue: given.name });
  });

  it('is idempotent: importing again changes nothing and records nothing', async () => {
    const given = await example('service_full.json');
    const before = await changeCount();
    const stamp = (await db().activity.findUniqueOrThrow({ where: { id: given.id } })).updatedAt;
    expect(only(await importOrukServices(db(), [given]))).toMatchObject({ outcome: 'unchanged', changedFields: [] });
    // A list page of the same service carries its one-to-one fields only: nothing to change.
    const page = await example('service_list.json');
    expect(only(await importOrukServices(db(), servicesInDocument(page))).outcome).toBe('unchanged');
    expect(await changeCount()).toBe(before);
    expect((await db().activity.findUniqueOrThrow({ where: { id: given.id } })).updatedAt).toEqual(stamp);
  });

  it('round-trips the list example into an empty directory', async () => {
    const other = await startHarness(kind, auth, false);
    try {
      const page = await example('service_list.json');
      expect(only(await importOrukServices(other.database.client, servicesInDocument(page))).outcome).toBe('created');
      const listed = await other.get('/services');
      expect(validator.pageProblems('service_list', listed.body)).toEqual([]);
      expect(listed.body.total_items).toBe(1);
      const [item] = listed.body.contents;
      expect(pick(item, SERVICE_FIELDS)).toEqual(pick(page.contents[0], SERVICE_FIELDS));
      expect(pick(item.organization, ORGANIZATION_FIELDS)).toEqual(pick(page.contents[0].organization, ORGANIZATION_FIELDS));
    } finally {
      await other.close();
    }
  });

  it('updates a changed field, with a change record of what it was and what it became', async () => {
    const given = await example('service_full.json');
    const before = await changeCount();
    const outcome = only(await importOrukServices(db(), [{ ...given, name: 'Community Counselling (renamed)', minimum_age: 16 }]));
    expect(outcome).toMatchObject({ outcome: 'updated' });
    expect(outcome.changedFields.sort()).toEqual(['minimumAge', 'name']);
    const records = await db().changeRecord.findMany({ where: { activityId: given.id, lastActionType: 'update' } });
    expect(records.map((record) => [record.fieldName, record.previousValue, record.replacementValue]).sort()).toEqual([
      ['minimumAge', '12', '16'],
      ['name', 'Community Counselling', 'Community Counselling (renamed)'],
    ]);
    expect(await changeCount()).toBe(before + 2);
    expect((await harness.get(`/services/${given.id}`)).body.name).toBe('Community Counselling (renamed)');
  });

  it('imports the good records of a page and reports each bad one with its reason', async () => {
    const given = await example('service_full.json');
    const organization = { id: randomUUID(), name: 'Page test organisation', description: 'For a test.' };
    const good = (name: string) => ({ id: randomUUID(), name, status: 'active', organization });
    const first = good('First good service');
    const second = good('Second good service');
    const noName = { ...good(''), name: undefined };
    const badStatus = { ...good('Bad status service'), status: 'open' };
    const badId = { ...good('Bad id service'), id: 'service-1' };
    const badTime = { ...good('Bad time service'), schedules: [{ id: randomUUID(), opens_at: 'ten o’clock' }] };
    const report = await importOrukServices(db(), servicesInDocument({ contents: [first, noName, badStatus, 'not a service', second, badId, badTime, { ...first }] }));

    expect(report).toMatchObject({ total: 8, created: 2, rejected: 6 });
    const byIndex = (index: number) => report.outcomes[index]!;
    expect(byIndex(0).outcome).toBe('created');
    expect(byIndex(4).outcome).toBe('created');
    expect(byIndex(1)).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/^name: is required/) });
    expect(byIndex(2)).toMatchObject({ outcome: 'rejected', name: 'Bad status service', reason: expect.stringMatching(/status: must be one of "active".*got "open"/) });
    expect(byIndex(3)).toMatchObject({ outcome: 'rejected', reason: 'is not a service object' });
    expect(byIndex(5)).toMatchObject({ outcome: 'rejected', reason: 'id: must be a UUID' });
    expect(byIndex(6)).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/schedules\.0\.opens_at: must be a time of day/) });
    expect(byIndex(7)).toMatchObject({ outcome: 'rejected', reason: 'the same id appears earlier in this input' });
    expect(await db().activity.count({ where: { id: { in: [noName.id!, badStatus.id, badTime.id] } } })).toBe(0);
    expect(await db().activity.count({ where: { id: { in: [first.id, second.id] } } })).toBe(2);
    // The example is untouched by any of this.
    expect(await db().activity.count({ where: { id: given.id } })).toBe(1);
  });

  it('never leaves part of a record behind: a failure midway undoes all of it', async () => {
    const given = await example('service_full.json');
    const takenScheduleId = given.schedules[0].id;
    const broken = {
      id: randomUUID(),
      name: 'Fails at its schedules',
      status: 'active',
      organization: { id: randomUUID(), name: 'Half-made organisation', description: 'Must not survive.' },
      service_at_locations: [{ id: randomUUID(), location: { id: randomUUID(), location_type: 'physical', name: 'Half-made hall' } }],
      cost_options: [{ id: randomUUID(), amount: 2 }],
      // The id of another service's schedule: the database refuses it after the organisation,
      // location and service were written in the same transaction.
      schedules: [{ id: takenScheduleId, freq: 'WEEKLY', byday: 'MO' }],
    };
    const fine = { id: randomUUID(), name: 'After the broken one', status: 'active', organization_id: broken.organization.id };
    const alsoFine = { id: randomUUID(), name: 'Also after it', status: 'active', organization_id: given.organization.id };
    const before = await changeCount();
    const report = await importOrukServices(db(), [broken, fine, alsoFine]);

    expect(report.outcomes[0]).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/already used by another record/) });
    // Its organisation never existed, so a service naming it cannot be imported either.
    expect(report.outcomes[1]).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/organization .* is not in the directory/) });
    expect(report.outcomes[2]).toMatchObject({ outcome: 'created' });
    expect(await db().activity.findUnique({ where: { id: broken.id } })).toBeNull();
    expect(await db().organization.findUnique({ where: { id: broken.organization.id } })).toBeNull();
    expect(await db().location.findUnique({ where: { id: broken.service_at_locations[0]!.location.id } })).toBeNull();
    expect(await db().costOption.count({ where: { activityId: broken.id } })).toBe(0);
    expect(await db().changeRecord.count({ where: { activityId: broken.id } })).toBe(0);
    expect(await changeCount()).toBeGreaterThan(before);
    expect(await db().schedule.findUniqueOrThrow({ where: { id: takenScheduleId } })).toMatchObject({ activityId: given.id });
  });

  it('maps taxonomy terms by our id, code, name or synonym; derives delivery mode and cost; and is found straight away', async () => {
    const id = randomUUID();
    const hall = randomUUID();
    const hallPlace = randomUUID();
    const service = {
      id,
      name: 'Seated dance for people with PD',
      description: 'Chair-based dance in the hall and on video.',
      status: 'active',
      fees: 'Donations welcome',
      organization: { id: randomUUID(), name: 'Mapping test organisation', description: 'For a test.', website: 'not a web address' },
      attributes: [
        { taxonomy_term: { name: 'PD' } },
        { taxonomy_term: { code: 'dance', taxonomy: 'sp-activity-type' } },
        { taxonomy_term_id: termId(TAXONOMY_IDS.group, 'carers') },
        { taxonomy_term: { name: 'OLDER PEOPLE' } },
        { taxonomy_term: { name: 'Underwater basket weaving', taxonomy: 'Hobbies' } },
      ],
      service_at_locations: [
        {
          id: hallPlace,
          location: {
            id: hall,
            location_type: 'physical',
            name: 'Mapping test hall',
            latitude: 56.4625,
            longitude: -2.971,
            addresses: [{ address_1: '1 High Street', city: 'Dundee', state_province: 'Dundee City', postal_code: 'DD1 1AA', country: 'GB' }],
            attributes: [{ taxonomy_term: { name: 'Wheelchair accessible' } }, { taxonomy_term: { name: 'Parkinson’s' } }],
            accessibility: [{ description: 'Hearing loop', details: 'In the main hall' }, { description: 'Ramp at the side door' }],
          },
        },
        { id: randomUUID(), location: { id: randomUUID(), location_type: 'virtual', name: 'On video' } },
      ],
      cost_options: [{ id: randomUUID(), option: 'Per session', amount: 0 }],
      schedules: [{ id: randomUUID(), service_at_location_id: hallPlace, freq: 'WEEKLY', byday: 'TH', opens_at: '10:00:00', closes_at: '11:00' }],
    };
    const outcome = only(await importOrukServices(db(), [service]));
    expect(outcome.outcome).toBe('created');
    expect(outcome.unknownTerms.sort()).toEqual(['"Parkinson’s" on a location', '"Underwater basket weaving" (taxonomy Hobbies)']);
    expect(outcome.warnings).toEqual(['organization.website "not a web address" is not valid, so it was left out']);

    const stored = await db().activity.findUniqueOrThrow({ where: { id }, include: { terms: true } });
    expect(stored).toMatchObject({ deliveryMode: 'HYBRID', isFree: true, isSample: false });
    expect(stored.terms.map((link) => link.termId).sort()).toEqual(
      [
        termId(TAXONOMY_IDS.condition, 'parkinsons'),
        termId(TAXONOMY_IDS.activityType, 'dance'),
        termId(TAXONOMY_IDS.group, 'carers'),
        termId(TAXONOMY_IDS.group, 'older-people'),
      ].sort(),
    );
    const location = await db().location.findUniqueOrThrow({ where: { id: hall }, include: { accessibility: true } });
    expect(location).toMatchObject({ accessibilityNote: 'Ramp at the side door', localAuthority: 'Dundee City', postalCode: 'DD1 1AA' });
    expect(location.accessibility.map(({ termId: id2, details }) => [id2, details]).sort()).toEqual(
      [
        [termId(TAXONOMY_IDS.accessibility, 'step-free-access'), null],
        [termId(TAXONOMY_IDS.accessibility, 'hearing-loop'), 'In the main hall'],
      ].sort(),
    );

    // The running server finds it at once, with no restart: through the feed's filters and GraphQL.
    const byTerm = await harness.get(`/services?taxonomy_term_id=${termId(TAXONOMY_IDS.condition, 'parkinsons')}`);
    expect(byTerm.body.contents.map((item: any) => item.id)).toContain(id);
    const bySearch = await harness.get('/services?search=seated%20dance%20for%20people');
    expect(bySearch.body.contents.map((item: any) => item.id)).toEqual([id]);
    const near = await harness.get('/services?postcode=DD1%201AA&proximity=1000&day=TH');
    expect(near.body.contents.map((item: any) => item.id)).toEqual([id]);
    const graphql = await graphqlRequest(harness.service.url, 'query One($id: ID!) { activity(id: $id) { id name } }', { id });
    expect(graphql.data?.activity).toEqual({ id, name: service.name });

    const full = await harness.get(`/services/${id}`);
    expect(validator.problems('service', full.body)).toEqual([]);
  });

  it('derives online delivery and free from fees when there are no cost options', async () => {
    const online = {
      id: randomUUID(),
      name: 'Online only',
      status: 'active',
      fees: 'Free',
      organization: { id: randomUUID(), name: 'Online organisation', description: '' },
      service_at_locations: [{ location: { id: randomUUID(), location_type: 'virtual' } }],
    };
    const paid = { ...online, id: randomUUID(), name: 'Paid, no options', fees: '£3 a session', service_at_locations: [] };
    const report = await importOrukServices(db(), [online, paid]);
    expect(report.created).toBe(2);
    expect(await db().activity.findUniqueOrThrow({ where: { id: online.id } })).toMatchObject({ deliveryMode: 'ONLINE', isFree: true });
    expect(await db().activity.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ deliveryMode: 'IN_PERSON', isFree: false });
  });

  describe('over the sample directory', () => {
    let sample: Harness;

    beforeAll(async () => {
      sample = await startHarness(kind, auth, true);
    });

    afterAll(async () => {
      await sample?.close();
    });

    it('re-imports our own feed losslessly, touching only the sample flags of the records it upserts', async () => {
      const client = sample.database.client;
      const ids: string[] = [];
      for (let page = 1; ; page += 1) {
        const listed = await sample.get(`/services?per_page=100&page=${page}`);
        ids.push(...listed.body.contents.map((item: any) => item.id));
        if (listed.body.last_page) break;
      }
      const half = ids.slice(0, Math.ceil(ids.length / 2));
      const exported = [];
      for (const id of half) exported.push((await sample.get(`/services/${id}`)).body);
      const sampleBefore = await client.activity.count({ where: { isSample: true } });

      const first = await importOrukServices(client, exported);
      expect(first.rejected).toBe(0);
      for (const outcome of first.outcomes) {
        expect(outcome.outcome, outcome.name).toBe('updated');
        // Nothing but the sample flags differs between what we publish and what we hold.
        expect(outcome.changedFields.filter((field) => field !== 'isSample' && field !== 'organization.isSample'), outcome.name).toEqual([]);
        expect(outcome.unknownTerms).toEqual([]);
      }
      expect(await client.activity.count({ where: { isSample: true } })).toBe(sampleBefore - half.length);
      expect(await client.activity.count({ where: { id: { in: half }, isSample: true } })).toBe(0);
      const untouched = ids.filter((id) => !half.includes(id));
      expect(await client.activity.count({ where: { id: { in: untouched }, isSample: true } })).toBe(untouched.length);
      const importedOrganizations = new Set(exported.map((service: any) => service.organization.id));
      const organizations = await client.organization.findMany();
      for (const organization of organizations) {
        expect(organization.isSample, organization.name).toBe(!importedOrganizations.has(organization.id));
      }

      // The other half too, then everything again: nothing left to change.
      const rest = [];
      for (const id of untouched) rest.push((await sample.get(`/services/${id}`)).body);
      const second = await importOrukServices(client, rest);
      for (const outcome of second.outcomes) {
        expect(outcome.outcome, outcome.name).toBe('updated');
        expect(outcome.changedFields.filter((field) => field !== 'isSample' && field !== 'organization.isSample'), outcome.name).toEqual([]);
      }
      const again = await importOrukServices(client, [...exported, ...rest]);
      expect(again.unchanged).toBe(ids.length);
    });
  });

  describe('the command', () => {
    let dir: string;
    const tsx = path.join(REPOSITORY_DIR, 'node_modules', '.bin', 'tsx');
    const packageDir = path.resolve(import.meta.dirname, '..');

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'sp-oruk-import-'));
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function command(source: string) {
      const env = { ...process.env, PROVIDER_DATABASE_URL: toPrismaUrl(harness.place.location), LOG_LEVEL: 'silent', INIT_CWD: dir };
      try {
        const { stdout, stderr } = await run(tsx, ['src/import-oruk.ts', source], { cwd: packageDir, env });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    }

    it('imports a file named relative to where it was run from, and prints the report', async () => {
      const id = randomUUID();
      const page = {
        contents: [
          {
            id,
            name: 'Ukulele orchestra for beginners',
            description: 'Imported by the command.',
            status: 'active',
            organization: { id: randomUUID(), name: 'Command organisation', description: '' },
          },
          { id: randomUUID(), status: 'active' },
        ],
      };
      await writeFile(path.join(dir, 'page.json'), JSON.stringify(page));
      const result = await command('page.json');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/2 record\(s\): 1 imported \(new\), 0 updated, 0 unchanged, 1 rejected/);
      expect(result.stdout).toMatch(/REJECTED\s+#2 .*: name: is required/);
      expect(await db().activity.findUnique({ where: { id } })).not.toBeNull();

      // Written by another process; the running server's search finds it without a restart.
      const search = () =>
        graphqlRequest<{ searchActivities: Array<{ activity: { id: string } }> }>(
          harness.service.url,
          '{ searchActivities(query: "ukulele orchestra") { activity { id } } }',
        );
      let found: string[] = [];
      for (const started = Date.now(); Date.now() - started < 15_000; await new Promise((resolve) => setTimeout(resolve, 200))) {
        const answer = await search();
        expect(answer.errors).toBeUndefined();
        found = answer.data!.searchActivities.map((hit) => hit.activity.id);
        if (found.includes(id)) break;
      }
      expect(found).toContain(id);

      const again = await command('page.json');
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/0 imported \(new\), 0 updated, 1 unchanged, 1 rejected/);
    });

    it('exits 1 when the input cannot be read or nothing in it could be imported', async () => {
      const missing = await command('no-such-file.json');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/Cannot read .*no-such-file\.json: there is no such file/);

      await writeFile(path.join(dir, 'bad.json'), JSON.stringify([{ name: 'No id', status: 'active' }]));
      const bad = await command('bad.json');
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/REJECTED\s+#1 "No id": id: is required/);
      expect(bad.stderr).toMatch(/Nothing could be imported/);

      await writeFile(path.join(dir, 'broken.json'), '{ "contents": [');
      const broken = await command('broken.json');
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/is not valid JSON/);
    });
  });
});
