// The open ORUK 3.0 API, checked as the public ORUK validator checks a feed: every response
// against the published JSON Schemas, over first, middle and last pages and every id the lists
// return; plus what the validator cannot see: filters narrow to exactly the right listings,
// inactive listings never appear, no nulls, CORS, and clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies, TAXONOMY_IDS, termId } from '@sp/prisma/reference/vocabularies';
import { sampleActivityId, seedProviderSample } from '@sp/prisma/sample/provider';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { createTestLogger } from '@sp/runtime/testing';
import { feedTaxonomyId } from '../src/oruk/ids';
import { createOrukSchemaValidator, nullPaths, type OrukSchemaName } from '../src/oruk/testing';
import { createProviderServer } from '../src/server';

const validator = createOrukSchemaValidator();

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

interface PageBody {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Array<{ id: string; [key: string]: unknown }>;
}

const INACTIVE = sampleActivityId('museum-of-oxford-volunteering');
const CLOSED = sampleActivityId('sb-dance-for-parkinsons-orkney');

/** Distance in metres on a sphere, to judge the proximity filter independently of its SQL. */
function haversine(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 +
    Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

describe.each(testDatabaseKinds())('ORUK 3.0 API on %s', (kind) => {
  let place: TestDatabaseLocation;
  let auth: TestAuth;
  let database: Awaited<ReturnType<typeof openProviderDatabase>>;
  let service: { port: number; close(): Promise<void> };
  let base: string;

  async function get(path: string, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** Fetches a page and checks it against the envelope and the item schema. */
  async function validPage(path: string, itemSchema: OrukSchemaName): Promise<PageBody> {
    const answer = await get(path);
    expect(answer.status, path).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(validator.pageProblems(itemSchema, answer.body), path).toEqual([]);
    expect(nullPaths(answer.body), path).toEqual([]);
    return answer.body as PageBody;
  }

  async function validDocument(path: string, schema: OrukSchemaName) {
    const answer = await get(path);
    expect(answer.status, path).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(validator.problems(schema, answer.body), path).toEqual([]);
    expect(nullPaths(answer.body), path).toEqual([]);
    return answer.body;
  }

  /** Every id a filtered list returns, over all its pages. */
  async function allIds(path: string, query: Record<string, string> = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let pageNumber = 1; pageNumber < 100; pageNumber += 1) {
      const search = new URLSearchParams({ ...query, page: String(pageNumber), per_page: '7' });
      const page = await validPage(`${path}?${search}`, path === '/services' ? 'service_list' : 'service_at_location_list');
      ids.push(...page.contents.map((item) => item.id));
      if (page.last_page) break;
    }
    return ids;
  }

  /** Active listings with what the filters look at, straight from the database. */
  async function activeListings() {
    return database.client.activity.findMany({
      where: { status: 'ACTIVE' },
      include: {
        terms: { include: { term: true } },
        schedules: true,
        serviceAtLocations: { include: { schedules: true, location: { include: { accessibility: true } } } },
      },
    });
  }

  beforeAll(async () => {
    place = await createTestDatabaseLocation('provider', kind);
    database = await openProviderDatabase(place.location);
    await ensureVocabularies(database.client);
    await seedProviderSample(database.client);
    await database.client.activity.update({ where: { id: INACTIVE }, data: { status: 'INACTIVE' } });
    await database.client.activity.update({ where: { id: CLOSED }, data: { status: 'TEMPORARILY_CLOSED' } });
    auth = await createTestAuth();
    service = await createProviderServer({ db: database.client, logger: createTestLogger(), verifier: auth.verifier }).listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${service.port}/oruk`;
  });

  afterAll(async () => {
    await service?.close();
    await database?.close();
    await auth?.destroy();
    await place?.destroy();
  });

  it('answers GET / with the standard it follows', async () => {
    for (const path of ['', '/']) {
      const answer = await get(path);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.body).toMatchObject({ version: 'HSDS-UK-3.0' });
      expect(URL.canParse(answer.body.profile)).toBe(true);
      expect(URL.canParse(answer.body.openapi_url)).toBe(true);
    }
  });

  it('pages through every active service once; first, middle and last pages and every service are valid', async () => {
    const active = await database.client.activity.count({ where: { status: 'ACTIVE' } });
    const perPage = 5;
    const first = await validPage(`/services?page=1&per_page=${perPage}`, 'service_list');
    expect(first.total_pages).toBeGreaterThanOrEqual(3);
    expect(first).toMatchObject({ total_items: active, total_pages: Math.ceil(active / perPage), page_number: 1, size: perPage, first_page: true, last_page: false, empty: false });

    const middleNumber = Math.ceil(first.total_pages / 2);
    const middle = await validPage(`/services?page=${middleNumber}&per_page=${perPage}`, 'service_list');
    expect(middle).toMatchObject({ page_number: middleNumber, first_page: false, last_page: false, size: perPage });

    const last = await validPage(`/services?page=${first.total_pages}&per_page=${perPage}`, 'service_list');
    expect(last).toMatchObject({ page_number: first.total_pages, first_page: false, last_page: true, size: active - perPage * (first.total_pages - 1) });

    const beyond = await validPage(`/services?page=${first.total_pages + 1}&per_page=${perPage}`, 'service_list');
    expect(beyond).toMatchObject({ empty: true, size: 0, last_page: true, contents: [] });

    const ids = await allIds('/services');
    expect(ids).toHaveLength(active);
    expect(new Set(ids).size).toBe(active);
    expect(ids).not.toContain(INACTIVE);
    expect(ids).not.toContain(CLOSED);

    for (const id of ids) {
      const full = await validDocument(`/services/${id}`, 'service');
      expect(full).toMatchObject({ id, status: 'active' });
      expect(full.organization.id).toBe(full.organization_id);
    }
  });

  it('publishes a full service with its locations, schedules, costs, attributes and capacity', async () => {
    const id = sampleActivityId('sb-dance-for-parkinsons-dundee');
    const full = await validDocument(`/services/${id}`, 'service');
    expect(full.service_at_locations).toHaveLength(1);
    const [at] = full.service_at_locations;
    expect(at.location).toMatchObject({ location_type: 'physical', latitude: 56.462, longitude: -2.9707 });
    expect(at.location.attributes.map((attribute: any) => attribute.taxonomy_term.code)).toContain('step-free-access');
    expect(full.schedules).toEqual([
      expect.objectContaining({ service_id: id, service_at_location_id: at.id, freq: 'WEEKLY', interval: 2, byday: 'WE', opens_at: '14:00', closes_at: '15:15' }),
    ]);
    expect(full.cost_options[0]).toMatchObject({ amount: 0, currency: 'GBP' });
    const parkinsons = full.attributes.find((attribute: any) => attribute.taxonomy_term_id === termId(TAXONOMY_IDS.condition, 'parkinsons'));
    expect(parkinsons).toMatchObject({ link_type: 'service', link_id: id, taxonomy_term: { name: "Parkinson's", taxonomy_id: feedTaxonomyId(TAXONOMY_IDS.condition) } });
    expect(full.capacities).toEqual([expect.objectContaining({ service_id: id, available: 4, maximum: 20, unit: expect.objectContaining({ name: 'Place' }) })]);
    // Social-prescribing extras are not ORUK 3.0 fields and are not published.
    expect(full).not.toHaveProperty('delivery_mode');
    expect(JSON.stringify(full)).not.toMatch(/Demand/);
  });

  it('pages through services at locations; first, middle and last pages and every one of them are valid', async () => {
    const expected = await database.client.serviceAtLocation.count({ where: { activity: { status: 'ACTIVE' } } });
    const perPage = 5;
    const first = await validPage(`/service_at_locations?per_page=${perPage}`, 'service_at_location_list');
    expect(first.total_items).toBe(expected);
    expect(first.total_pages).toBeGreaterThanOrEqual(3);
    const middleNumber = Math.ceil(first.total_pages / 2);
    await validPage(`/service_at_locations?page=${middleNumber}&per_page=${perPage}`, 'service_at_location_list');
    const last = await validPage(`/service_at_locations?page=${first.total_pages}&per_page=${perPage}`, 'service_at_location_list');
    expect(last.last_page).toBe(true);

    const ids = await allIds('/service_at_locations');
    expect(new Set(ids).size).toBe(expected);
    const ofInactive = await database.client.serviceAtLocation.findMany({ where: { activityId: { in: [INACTIVE, CLOSED] } } });
    expect(ofInactive.length).toBeGreaterThan(0);
    for (const row of ofInactive) {
      expect(ids).not.toContain(row.id);
      expect((await get(`/service_at_locations/${row.id}`)).status).toBe(404);
    }
    for (const id of ids) {
      const full = await validDocument(`/service_at_locations/${id}`, 'service_at_location');
      expect(full.id).toBe(id);
      expect(full.service.status).toBe('active');
      for (const schedule of full.service.schedules ?? []) {
        expect([undefined, id]).toContain(schedule.service_at_location_id);
      }
    }
  });

  it('lists taxonomies and taxonomy terms, each valid, found by its feed id and ours', async () => {
    const taxonomies = await validPage('/taxonomies?per_page=2', 'taxonomy');
    expect(taxonomies.total_items).toBe(Object.keys(TAXONOMY_IDS).length);
    expect(taxonomies.total_pages).toBeGreaterThanOrEqual(3);
    await validPage(`/taxonomies?per_page=2&page=${Math.ceil(taxonomies.total_pages / 2)}`, 'taxonomy');
    await validPage(`/taxonomies?per_page=2&page=${taxonomies.total_pages}`, 'taxonomy');
    for (const ours of Object.values(TAXONOMY_IDS)) {
      const byFeedId = await validDocument(`/taxonomies/${feedTaxonomyId(ours)}`, 'taxonomy');
      expect(byFeedId.taxonomy_terms.length).toBeGreaterThan(0);
      expect(await validDocument(`/taxonomies/${ours}`, 'taxonomy')).toEqual(byFeedId);
    }

    const terms = await validPage('/taxonomy_terms?per_page=20', 'taxonomy_term');
    const total = await database.client.taxonomyTerm.count();
    expect(terms.total_items).toBe(total);
    expect(terms.total_pages).toBeGreaterThanOrEqual(3);
    const middle = await validPage(`/taxonomy_terms?per_page=20&page=${Math.ceil(terms.total_pages / 2)}`, 'taxonomy_term');
    const last = await validPage(`/taxonomy_terms?per_page=20&page=${terms.total_pages}`, 'taxonomy_term');
    for (const term of [...terms.contents, ...middle.contents, ...last.contents]) {
      expect(await validDocument(`/taxonomy_terms/${term.id}`, 'taxonomy_term')).toEqual(term);
    }
    const conditions = await validPage(`/taxonomy_terms?per_page=100&taxonomy_id=${feedTaxonomyId(TAXONOMY_IDS.condition)}`, 'taxonomy_term');
    expect(conditions.total_items).toBe(await database.client.taxonomyTerm.count({ where: { taxonomyId: TAXONOMY_IDS.condition } }));
    expect(conditions.contents.every((term) => term.taxonomy_id === feedTaxonomyId(TAXONOMY_IDS.condition))).toBe(true);
  });

  describe('filters narrow to exactly the listings that match', () => {
    const sorted = (ids: string[]) => [...ids].sort();

    it('taxonomy_term_id: a condition on the service, or an accessibility feature of one of its venues', async () => {
      const listings = await activeListings();
      const parkinsons = termId(TAXONOMY_IDS.condition, 'parkinsons');
      const expected = listings.filter((listing) => listing.terms.some((link) => link.termId === parkinsons)).map((listing) => listing.id);
      expect(expected.length).toBeGreaterThan(1);
      expect(sorted(await allIds('/services', { taxonomy_term_id: parkinsons }))).toEqual(sorted(expected));

      const stepFree = termId(TAXONOMY_IDS.accessibility, 'step-free-access');
      const atStepFree = listings
        .filter((listing) => listing.serviceAtLocations.some((at) => at.location.accessibility.some((feature) => feature.termId === stepFree)))
        .map((listing) => listing.id);
      expect(atStepFree.length).toBeGreaterThan(1);
      expect(sorted(await allIds('/services', { taxonomy_term_id: stepFree }))).toEqual(sorted(atStepFree));

      expect(await allIds('/services', { taxonomy_term_id: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
    });

    it('taxonomy_id, by its feed UUID or our id', async () => {
      const listings = await activeListings();
      const expected = listings
        .filter((listing) => listing.terms.some((link) => link.term.taxonomyId === TAXONOMY_IDS.group))
        .map((listing) => listing.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(listings.length);
      expect(sorted(await allIds('/services', { taxonomy_id: feedTaxonomyId(TAXONOMY_IDS.group) }))).toEqual(sorted(expected));
      expect(sorted(await allIds('/services', { taxonomy_id: TAXONOMY_IDS.group }))).toEqual(sorted(expected));
      expect(await allIds('/services', { taxonomy_id: 'no-such-taxonomy' })).toEqual([]);
    });

    it('minimum_age and maximum_age', async () => {
      const listings = await activeListings();
      const sixtyPlus = listings.filter((listing) => listing.minimumAge !== null && listing.minimumAge >= 60).map((listing) => listing.id);
      expect(sixtyPlus.length).toBeGreaterThan(0);
      expect(sorted(await allIds('/services', { minimum_age: '60' }))).toEqual(sorted(sixtyPlus));
      const young = listings.filter((listing) => listing.maximumAge !== null && listing.maximumAge <= 25).map((listing) => listing.id);
      expect(sorted(await allIds('/services', { maximum_age: '25' }))).toEqual(sorted(young));
    });

    it('day, start_time and end_time, on the service or at one of its venues', async () => {
      const listings = await activeListings();
      const schedulesOf = (listing: (typeof listings)[number]) => [...listing.schedules, ...listing.serviceAtLocations.flatMap((at) => at.schedules)];
      const onTuesday = listings.filter((listing) => schedulesOf(listing).some((schedule) => schedule.byday?.includes('TU'))).map((listing) => listing.id);
      expect(onTuesday.length).toBeGreaterThan(0);
      expect(onTuesday.length).toBeLessThan(listings.length);
      expect(sorted(await allIds('/services', { day: 'TU' }))).toEqual(sorted(onTuesday));
      expect(sorted(await allIds('/services', { day: 'tuesday' }))).toEqual(sorted(onTuesday));

      const afternoons = listings
        .filter((listing) =>
          schedulesOf(listing).some((schedule) => schedule.byday?.includes('TU') && (schedule.opensAt ?? '') >= '13:00' && (schedule.closesAt ?? '99') <= '16:00'),
        )
        .map((listing) => listing.id);
      expect(sorted(await allIds('/services', { day: 'TU', start_time: '13:00', end_time: '16:00' }))).toEqual(sorted(afternoons));
    });

    it('search matches name or description, whatever the case', async () => {
      const listings = await activeListings();
      const expected = listings
        .filter((listing) => `${listing.name}\n${listing.description}`.toLowerCase().includes('dance'))
        .map((listing) => listing.id);
      expect(expected.length).toBeGreaterThan(1);
      expect(sorted(await allIds('/services', { search: 'dance' }))).toEqual(sorted(expected));
      expect(sorted(await allIds('/services', { search: 'DaNcE' }))).toEqual(sorted(expected));
      // LIKE wildcards in the search are matched literally.
      expect(await allIds('/services', { search: '%_%' })).toEqual([]);
    });

    it('postcode with proximity, measured from the district of a venue we list; postcode alone is its district', async () => {
      const listings = await activeListings();
      const dundee = { latitude: 56.462, longitude: -2.9707 };
      const near = listings
        .filter((listing) =>
          listing.serviceAtLocations.some(
            (at) => at.location.latitude !== null && at.location.longitude !== null && haversine(dundee, { latitude: at.location.latitude, longitude: at.location.longitude! }) <= 40_000,
          ),
        )
        .map((listing) => listing.id);
      expect(near.length).toBeGreaterThan(0);
      expect(sorted(await allIds('/services', { postcode: 'DD1 4HN', proximity: '40000' }))).toEqual(sorted(near));

      const inDistrict = listings.filter((listing) => listing.serviceAtLocations.some((at) => at.location.postalCode === 'DD1')).map((listing) => listing.id);
      expect(inDistrict.length).toBeGreaterThan(0);
      expect(sorted(await allIds('/services', { postcode: 'dd14hn' }))).toEqual(sorted(inDistrict));

      const sal = await allIds('/service_at_locations', { postcode: 'DD1', proximity: '40000' });
      expect(sal.length).toBeGreaterThan(0);

      const unknown = await get('/services?postcode=ZE2%209XX&proximity=1000');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toMatchObject({ code: 'POSTCODE_NOT_LOCATED', parameter: 'postcode' });
    });
  });

  it('answers 404 with a clear JSON error for unknown and inactive ids and paths', async () => {
    for (const path of [
      `/services/${INACTIVE}`,
      `/services/${CLOSED}`,
      '/services/00000000-0000-4000-8000-000000000000',
      '/service_at_locations/not-an-id',
      '/taxonomies/nothing',
      '/taxonomy_terms/00000000-0000-4000-8000-000000000000',
      '/organizations',
      '/services/a/b',
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.body.error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(answer.body.error.message).toMatch(/\w/);
    }
  });

  it('answers 400 naming the parameter for bad values', async () => {
    const cases: Array<[string, string]> = [
      ['/services?page=0', 'page'],
      ['/services?page=two', 'page'],
      ['/services?per_page=101', 'per_page'],
      ['/service_at_locations?per_page=-1', 'per_page'],
      ['/services?minimum_age=abc', 'minimum_age'],
      ['/services?maximum_age=12.5', 'maximum_age'],
      ['/services?day=someday', 'day'],
      ['/services?start_time=25:00', 'start_time'],
      ['/services?postcode=not%20a%20postcode', 'postcode'],
      ['/services?proximity=1000', 'proximity'],
      ['/services?postcode=DD1&proximity=-5', 'proximity'],
      [`/services?search=${'x'.repeat(201)}`, 'search'],
      ['/taxonomy_terms?per_page=1000', 'per_page'],
    ];
    for (const [path, parameter] of cases) {
      const answer = await get(path);
      expect(answer.status, path).toBe(400);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.body.error, path).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', parameter });
      expect(answer.body.error.message).toContain(parameter);
    }
  });

  it('is read-only, answers CORS preflight, and leaves GraphQL and health alone', async () => {
    const post = await get('/services', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(post.body.error.code).toBe('METHOD_NOT_ALLOWED');

    const preflight = await fetch(`${base}/services`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');

    const health = await fetch(`http://127.0.0.1:${service.port}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
    const elsewhere = await fetch(`http://127.0.0.1:${service.port}/orukish`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});
