// searchActivities: query understanding and ranking on a small hand-made directory (no
// database), then the evaluation set, input checks, filter semantics and freshness through
// GraphQL on a real server with the seeded sample directory, on SQLite and PostgreSQL.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies, TAXONOMY_IDS, termId } from '@sp/prisma/reference/vocabularies';
import { SAMPLE_ACTIVITIES, sampleActivityId, seedProviderSample } from '@sp/prisma/sample/provider';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { createTestLogger, graphqlRequest } from '@sp/runtime/testing';
import { buildActivityWhere, resolvePlace, type ActivityFilter } from '../src/directory/filter';
import { ActivitySearchIndex, SearchEngine } from '../src/search/index';
import { StringPool, toIndexedActivity, toIndexedLocation, type ActivityRow, type LocationRow } from '../src/search/records';
import { createProviderServer } from '../src/server';

// ---------------------------------------------------------------------------------------------
// A small directory built by hand, searched without a database.

const pool = new StringPool();
const access = (...codes: string[]) => codes.map((code) => ({ termId: termId(TAXONOMY_IDS.accessibility, code) }));
const LOCATIONS: LocationRow[] = [
  { id: 'dundee-hall', locationType: 'PHYSICAL', city: 'Dundee', localAuthority: 'Dundee City', healthBoard: 'NHS Tayside', country: 'Scotland', latitude: 56.462, longitude: -2.9707, accessibility: access('step-free-access', 'hearing-loop') },
  { id: 'perth-centre', locationType: 'PHYSICAL', city: 'Perth', localAuthority: 'Perth and Kinross', healthBoard: 'NHS Tayside', country: 'Scotland', latitude: 56.395, longitude: -3.4308, accessibility: access('step-free-access') },
  { id: 'glasgow-hall', locationType: 'PHYSICAL', city: 'Glasgow', localAuthority: 'Glasgow City', healthBoard: 'NHS Greater Glasgow and Clyde', country: 'Scotland', latitude: 55.8383, longitude: -4.2686, accessibility: access('seated-option') },
];

interface Sketch {
  id: string;
  name: string;
  mode?: ActivityRow['deliveryMode'];
  at?: string;
  areas?: string[];
  byday: string;
  opensAt: string;
  cost?: number;
  minimumAge?: number;
  places?: number;
  waitingList?: boolean;
  terms: Array<[keyof typeof TAXONOMY_IDS, string]>;
  keywords?: string[];
}

function activityRow(sketch: Sketch): ActivityRow {
  const schedule = { freq: 'WEEKLY', interval: 1, byday: sketch.byday, opensAt: sketch.opensAt, description: null };
  return {
    id: sketch.id,
    name: sketch.name,
    description: `${sketch.name}. A friendly group.`,
    keywords: (sketch.keywords ?? []).join('\n'),
    organization: { name: 'Test organisation' },
    updatedAt: new Date(0),
    deliveryMode: sketch.mode ?? 'IN_PERSON',
    isFree: (sketch.cost ?? 0) === 0,
    fees: (sketch.cost ?? 0) === 0 ? 'Free' : `£${sketch.cost} a session`,
    minimumAge: sketch.minimumAge ?? null,
    maximumAge: null,
    cognitiveDemand: 1,
    sensoryDemand: 1,
    mobilityDemand: 1,
    communicationDemand: 1,
    terms: sketch.terms.map(([taxonomy, code]) => ({ termId: termId(TAXONOMY_IDS[taxonomy], code) })),
    serviceAreas: (sketch.areas ?? []).map((name) => ({ name })),
    schedules: sketch.at ? [] : [schedule],
    serviceAtLocations: sketch.at
      ? [{ locationId: sketch.at, placesRemaining: sketch.places ?? null, waitingListOpen: sketch.waitingList ?? false, schedules: [schedule] }]
      : [],
  };
}

const SKETCHES: Sketch[] = [
  { id: 'pd-dance-dundee', name: "Dance for Parkinson's – Dundee", at: 'dundee-hall', byday: 'TU', opensAt: '14:00', places: 5, terms: [['activityType', 'dance'], ['condition', 'parkinsons'], ['group', 'older-people']] },
  { id: 'pd-movement-dundee', name: "Parkinson's movement and dance – Dundee", at: 'dundee-hall', byday: 'TU', opensAt: '14:00', places: 0, waitingList: true, terms: [['activityType', 'dance'], ['condition', 'parkinsons']] },
  { id: 'pd-dance-glasgow', name: "Dance for Parkinson's – Glasgow", at: 'glasgow-hall', byday: 'WE', opensAt: '10:30', places: 8, terms: [['activityType', 'dance'], ['condition', 'parkinsons']], keywords: ['chair-based dance'] },
  { id: 'phone-befriending', name: 'Telephone befriending', mode: 'TELEPHONE', areas: ['Scotland'], byday: 'MO,TU,WE,TH,FR', opensAt: '10:00', terms: [['activityType', 'befriending'], ['condition', 'loneliness'], ['group', 'older-people']] },
  { id: 'memory-singing', name: 'Singing for memory', at: 'glasgow-hall', byday: 'TH', opensAt: '14:00', cost: 2, places: 10, terms: [['activityType', 'singing'], ['condition', 'dementia']] },
  { id: 'perth-book-club', name: 'Book club for over 60s', at: 'perth-centre', byday: 'FR', opensAt: '11:00', minimumAge: 60, places: 4, terms: [['activityType', 'reading-writing'], ['group', 'older-people']] },
  { id: 'ms-online', name: 'Seated exercise for MS, online', mode: 'ONLINE', areas: ['Scotland'], byday: 'SA', opensAt: '10:00', places: 20, terms: [['activityType', 'physical-activity'], ['condition', 'multiple-sclerosis']] },
];

function handMadeEngine(): SearchEngine {
  const engine = new SearchEngine();
  for (const location of LOCATIONS) engine.setLocation(toIndexedLocation(location, pool));
  for (const sketch of SKETCHES) {
    const { activity, words } = toIndexedActivity(activityRow(sketch), engine.locations, pool);
    engine.upsert(activity, words);
  }
  return engine;
}

describe('understanding what people type', () => {
  const engine = handMadeEngine();
  const terms = (text: string) => engine.understand(text).units.flatMap((unit) => unit.terms.map((term) => term.code));

  const places = (text: string) => engine.placeNames(engine.understand(text).places);

  it('pulls places out of the sentence, in any case and with typos', () => {
    expect(places('dance in dundee')).toEqual(['Dundee']);
    expect(places('Dance in DUNDEE')).toEqual(['Dundee']);
    expect(places('dance near dundeee')).toEqual(['Dundee']);
    expect(places('befriending in tayside')).toEqual(['NHS Tayside']);
    expect(places('something in perth and kinross')).toEqual(['Perth and Kinross']);
    expect(engine.understand('befriending in edinburgh').unknownPlaces).toEqual(['edinburgh']);
  });

  it('reads cost, delivery and access words', () => {
    expect(engine.understand('free singing').free).toBe(true);
    expect(engine.understand('step free singing').free).toBe(false);
    expect(terms('step free singing')).toContain('step-free-access');
    expect(terms('wheelchair accessible dance')).toContain('step-free-access');
    expect(terms('chair based exercise')).toContain('seated-option');
    expect(terms('somewhere with a hearing loop')).toContain('hearing-loop');
    expect(engine.understand('befriending by phone').mode?.modes).toEqual(['TELEPHONE']);
    expect(engine.understand('online exercise').mode?.modes).toContain('ONLINE');
    expect(engine.understand('something she can do at home').mode?.label).toBe('from home');
  });

  it('reads ages and age groups', () => {
    expect(engine.understand('singing for a man aged 70').age).toBe(70);
    expect(engine.understand('my 4 year old').age).toBe(4);
    expect(engine.understand('a lady in her 80s').age).toBe(85);
    expect(engine.understand("she's 82 and lonely").age).toBe(82);
    expect(terms('free befriending for a lonely older man')).toEqual(expect.arrayContaining(['befriending', 'loneliness', 'older-people']));
    expect(terms('book club for over 60s')).toContain('older-people');
    expect(engine.understand('book club for over 60s').age).toBeNull();
  });

  it('reads days and times', () => {
    expect(engine.understand('dance on tuesdays').days).toEqual(['TU']);
    expect(engine.understand('something at the weekend').days).toEqual(['SA', 'SU']);
    expect(engine.understand('anything on weds').days).toEqual(['WE']);
    expect(engine.understand('sat in a chair').days).toEqual([]);
    expect(engine.understand('singing in the evening').timeOfDay).toBe('evening');
  });

  it('knows synonyms', () => {
    expect(terms('PD')).toEqual(['parkinsons']);
    expect(terms('something for MS')).toEqual(['multiple-sclerosis']);
    expect(terms('memory problems')).toEqual(['dementia']);
    expect(terms("can't get out much")).toEqual(['loneliness']);
    expect(terms('choir')).toEqual(['singing']);
  });

  it('corrects typos against the vocabulary', () => {
    expect(terms('parkinsns')).toEqual(['parkinsons']);
    expect(terms('dementa')).toEqual(['dementia']);
    expect(terms('befriendng')).toEqual(['befriending']);
    expect(engine.understand('parkinsns').corrections).toEqual([{ from: 'parkinsns', to: 'parkinsons' }]);
    // A real word that is not in the vocabulary is left alone.
    expect(engine.understand('my husband').corrections).toEqual([]);
  });

  it('ignores chatty filler', () => {
    const understood = engine.understand('I am looking for something for my patient please');
    expect(understood.units).toEqual([]);
  });
});

describe('ranking and reasons', () => {
  const engine = handMadeEngine();
  const ids = (text: string, first = 10) => engine.search(text, { first }).hits.map((hit) => hit.id);

  it('explains a hit in plain words', () => {
    const [hit] = engine.search('free step free dance for PD on tuesdays in dundee', { first: 3 }).hits;
    expect(hit?.id).toBe('pd-dance-dundee');
    expect(hit?.reasons).toEqual(expect.arrayContaining(['Free', 'Step-free access', "For people with Parkinson's", 'Tuesdays 2pm in Dundee']));
    expect(hit?.score).toBe(1);
    expect(hit?.score).toBeLessThanOrEqual(1);
  });

  it('ranks a full activity below a comparable one with places, and says so', () => {
    const hits = engine.search('dance for parkinsons in dundee', { first: 5 }).hits;
    const available = hits.findIndex((hit) => hit.id === 'pd-dance-dundee');
    const full = hits.findIndex((hit) => hit.id === 'pd-movement-dundee');
    expect(available).toBe(0);
    expect(full).toBeGreaterThan(available);
    expect(hits[full]?.reasons).toContain('No places at the moment – waiting list open');
  });

  it('keeps to the place typed, with remote activities that serve it', () => {
    expect(ids('dance for parkinsons in glasgow')).toEqual(['pd-dance-glasgow']);
    expect(ids('befriending in dundee')).toEqual(['phone-befriending']);
    const [phone] = engine.search('befriending in dundee', { first: 1 }).hits;
    expect(phone?.reasons).toContain('Weekdays 10am, by phone for people in Scotland');
  });

  it('widens to nearby places when nothing there matches, and says how far', () => {
    const outcome = engine.search('book club in dundee', { first: 3 });
    expect(outcome.hits[0]?.id).toBe('perth-book-club');
    expect(outcome.relaxed).toContain('place');
    expect(outcome.hits[0]?.reasons.some((reason) => /^Fridays 11am in Perth, about \d+ km from Dundee$/.test(reason))).toBe(true);
  });

  it('treats "free", mode and age as filters while something meets them, then relaxes them and says so', () => {
    expect(ids('free dance for parkinsons')).not.toContain('memory-singing');
    const singing = engine.search('free singing for dementia', { first: 3 });
    expect(singing.relaxed).toEqual(['free']);
    expect(singing.hits[0]?.reasons).toContain('Not free: £2 a session');
    expect(ids('book club aged 70')[0]).toBe('perth-book-club');
    const tooYoung = engine.search('book club aged 40', { first: 3 });
    expect(tooYoung.relaxed).toEqual(['age']);
    expect(tooYoung.hits[0]?.reasons).toContain('For ages 60 and over, so not for someone aged 40');
    expect(ids('exercise for MS online')).toEqual(['ms-online']);
  });

  it('answers a query made only of filters', () => {
    const hits = engine.search('free in dundee', { first: 10 }).hits;
    expect(hits.map((hit) => hit.id)).toEqual(expect.arrayContaining(['pd-dance-dundee', 'phone-befriending']));
    expect(hits.map((hit) => hit.id)).not.toContain('pd-dance-glasgow');
  });

  it('matches the words of names and keywords, and phrases', () => {
    expect(ids('chair based dance')[0]).toBe('pd-dance-glasgow');
    expect(ids('telephone')[0]).toBe('phone-befriending');
  });

  it('applies the explicit filter strictly', () => {
    const hits = engine.search('dance', { first: 10, filter: { hasPlaces: true, place: { name: 'Dundee', areaNames: ['Dundee', 'Dundee City', 'NHS Tayside', 'Scotland'] } } }).hits;
    expect(hits.map((hit) => hit.id)).toEqual(['pd-dance-dundee']);
  });

  it('returns nothing rather than noise when nothing matches', () => {
    expect(ids('underwater basket weaving')).toEqual([]);
  });

  it('finds the same after listings are replaced many times and the index is compacted', async () => {
    const busy = handMadeEngine();
    const before = busy.search('free dance for parkinsons in dundee', { first: 5 }).hits;
    for (let round = 0; round < 3; round++) {
      for (const sketch of SKETCHES) {
        const { activity, words } = toIndexedActivity(activityRow(sketch), busy.locations, pool);
        busy.upsert(activity, words);
      }
    }
    busy.remove('perth-book-club');
    expect(busy.deadSlots).toBe(SKETCHES.length * 3 + 1);
    await busy.compact(() => Promise.resolve());
    expect(busy.deadSlots).toBe(0);
    expect(busy.size).toBe(SKETCHES.length - 1);
    expect(busy.search('free dance for parkinsons in dundee', { first: 5 }).hits).toEqual(before);
    expect(busy.search('book club', { first: 5 }).hits).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Through GraphQL, on a real server with the sample directory.

interface Evaluation {
  queries: Array<{ query: string; expected: string[] }>;
}

const SEARCH = `query($query: String!, $filter: ActivityFilter, $first: Int) {
  searchActivities(query: $query, filter: $filter, first: $first) { score reasons activity { id name town hasPlaces conditions { code } } }
}`;

const slugById = new Map(SAMPLE_ACTIVITIES.map((activity) => [sampleActivityId(activity.slug), activity.slug]));

describe.each(testDatabaseKinds())('searchActivities on %s', (kind) => {
  let place: TestDatabaseLocation;
  let auth: TestAuth;
  let database: Awaited<ReturnType<typeof openProviderDatabase>>;
  let service: { url: string; close(): Promise<void> };

  async function search(query: string, variables: Record<string, unknown> = {}) {
    const result = await graphqlRequest(service.url, SEARCH, { query, ...variables });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.searchActivities as Array<{ score: number; reasons: string[]; activity: { id: string; name: string; town: string | null; hasPlaces: boolean | null } }>;
  }

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

  it('ranks the expected activity in the top 3 for at least 90% of the evaluation set', async () => {
    const evaluation = JSON.parse(await readFile(new URL('./search-evaluation.json', import.meta.url), 'utf8')) as Evaluation;
    expect(evaluation.queries.length).toBeGreaterThanOrEqual(40);
    let top3 = 0;
    let top1 = 0;
    const misses: string[] = [];
    for (const { query, expected } of evaluation.queries) {
      for (const slug of expected) expect(slugById.has(sampleActivityId(slug)), `${slug} is a sample activity`).toBe(true);
      const slugs = (await search(query, { first: 3 })).map((hit) => slugById.get(hit.activity.id));
      if (slugs.some((slug) => slug && expected.includes(slug))) top3++;
      else misses.push(`${query} → ${slugs.join(', ')}`);
      if (slugs[0] && expected.includes(slugs[0])) top1++;
    }
    const rate = top3 / evaluation.queries.length;
    console.log(
      `search evaluation on ${kind}: top-3 hit rate ${(rate * 100).toFixed(1)}% (${top3}/${evaluation.queries.length}), top-1 ${top1}/${evaluation.queries.length}` +
        (misses.length ? `\n  misses:\n  ${misses.join('\n  ')}` : ''),
    );
    expect(rate).toBeGreaterThanOrEqual(0.9);
  });

  it('returns each hit with its activity, a score and reasons, best first', async () => {
    const hits = await search('dance class for my patient with parkinsons in dundee', { first: 5 });
    expect(hits[0]?.activity.name).toBe("Dance for Parkinson's – Dundee");
    expect(hits[0]?.activity.town).toBe('Dundee');
    expect(hits[0]?.reasons).toEqual(expect.arrayContaining(["For people with Parkinson's", 'Dance', 'Every other Wednesday 2pm in Dundee']));
    const scores = hits.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(hits.length).toBeLessThanOrEqual(5);
  });

  it('ranks activities with no places below comparable ones with places, and says so', async () => {
    const hits = await search('befriending');
    const phone = hits.findIndex((hit) => slugById.get(hit.activity.id) === 'riverside-telephone-befriending');
    const home = hits.findIndex((hit) => slugById.get(hit.activity.id) === 'riverside-home-befriending');
    expect(phone).toBeGreaterThanOrEqual(0);
    expect(home).toBeGreaterThan(phone);
    expect(hits[home]?.activity.hasPlaces).toBe(false);
    expect(hits[home]?.reasons).toContain('No places at the moment – waiting list open');
  });

  it('accepts a query made only of filters', async () => {
    const hits = await search('free in dundee');
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.reasons).toContain('Free');
    expect(hits[0]?.activity.town).toBe('Dundee');
  });

  it('refuses bad input with a plain message and a code', async () => {
    const codeOf = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await graphqlRequest(service.url, SEARCH, { query, ...variables });
      expect(result.errors?.[0]?.message).toBeTruthy();
      return result.errors?.[0]?.extensions;
    };
    expect(await codeOf('   ')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    expect(await codeOf('dance '.repeat(100))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    expect(await codeOf('dance', { first: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(await codeOf('dance', { first: 51 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(await codeOf('dance', { filter: { conditions: ['gout-and-sorrow'] } })).toMatchObject({ code: 'UNKNOWN_TAXONOMY_TERM', field: 'conditions' });
    expect(await codeOf('dance', { filter: { place: 'Atlantis' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'place' });
  });

  it('applies the filter argument exactly as the activities query does', async () => {
    const index = new ActivitySearchIndex(database.client);
    try {
      await index.start();
      const filters: ActivityFilter[] = [
        { conditions: ['parkinsons', 'dementia'] },
        { groups: ['carers'], freeOnly: true },
        { place: 'dundee' },
        { place: 'NHS Orkney', deliveryModes: ['ONLINE', 'TELEPHONE', 'HYBRID'] },
        { accessibility: ['step-free-access', 'hearing-loop'] },
        { maxDemand: { mobility: 1, cognitive: 1 }, age: 65 },
        { days: ['SA', 'SU'] },
        { hasPlaces: true, activityTypes: ['dance', 'singing'] },
      ];
      for (const filter of filters) {
        const expected = (await database.client.activity.findMany({ where: await buildActivityWhere(database.client, filter), select: { id: true } })).map((row) => row.id).sort();
        const resolved = { ...filter, place: filter.place ? await resolvePlace(database.client, filter.place) : null };
        // A query of nothing but filler has no topic, so every activity the filter allows is a hit.
        const found = index.search('anything please', { first: 1000, filter: resolved }).hits.map((hit) => hit.id).sort();
        expect(found, JSON.stringify(filter)).toEqual(expected);
        expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      }
    } finally {
      await index.close();
    }
  });

  async function within(ms: number, found: () => Promise<boolean>): Promise<number> {
    const began = Date.now();
    while (Date.now() - began < ms + 2000) {
      if (await found()) return Date.now() - began;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return Infinity;
  }

  it('finds a listing changed by another process within a second', async () => {
    const other = await openProviderDatabase(place.location, { migrate: false });
    try {
      const target = sampleActivityId('library-scrabble-club');
      expect((await search('quizzically')).map((hit) => hit.activity.id)).not.toContain(target);
      const changedAt = Date.now();
      await other.client.activity.update({ where: { id: target }, data: { keywords: 'board games\nword games\nquizzically' } });
      let found = false;
      while (!found && Date.now() - changedAt < 3000) {
        found = (await search('quizzically')).some((hit) => hit.activity.id === target);
        if (!found) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const elapsed = Date.now() - changedAt;
      console.log(`search freshness on ${kind}: a change by another client was searchable after ${elapsed} ms`);
      expect(found).toBe(true);
      expect(elapsed).toBeLessThan(1000);

      // Closing a listing takes it out of the results just as quickly.
      await other.client.activity.update({ where: { id: target }, data: { status: 'INACTIVE' } });
      const closedAt = Date.now();
      let gone = false;
      while (!gone && Date.now() - closedAt < 3000) {
        gone = !(await search('quizzically')).some((hit) => hit.activity.id === target);
        if (!gone) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(gone).toBe(true);
      expect(Date.now() - closedAt).toBeLessThan(1000);
      await other.client.activity.update({ where: { id: target }, data: { status: 'ACTIVE' } });
      expect(await within(1000, async () => (await search('quizzically')).some((hit) => hit.activity.id === target))).toBeLessThan(1000);
    } finally {
      await other.close();
    }
  });

  it('finds rows added under a listing without touching it, and this process’s own writes, within a second', async () => {
    const other = await openProviderDatabase(place.location, { migrate: false });
    const target = sampleActivityId('gloucester-walk-and-talk');
    const onSunday = async () => (await search('walk and talk on sundays in gloucester', { first: 3 }))[0]?.reasons.some((reason) => reason.startsWith('Sundays')) ?? false;
    try {
      expect(await onSunday()).toBe(false);
      // Another client adds a Sunday session by writing only a schedule row: nothing says which
      // listing changed, so the index reloads them all (quick for the sample directory).
      const venue = await other.client.serviceAtLocation.findFirstOrThrow({ where: { activityId: target }, select: { id: true } });
      const added = await other.client.schedule.create({ data: { serviceAtLocationId: venue.id, freq: 'WEEKLY', byday: 'SU', opensAt: '10:30' } });
      expect(await within(1000, onSunday)).toBeLessThan(1000);
      // This process's own client (the server's) removes it without calling refresh: seen all the same.
      await database.client.schedule.delete({ where: { id: added.id } });
      expect(await within(1000, async () => !(await onSunday()))).toBeLessThan(1000);
    } finally {
      await other.close();
    }
  });

  it('sees this process’s own writes as soon as refresh(ids) resolves', async () => {
    const index = new ActivitySearchIndex(database.client, { pollIntervalMs: 60_000 });
    try {
      await index.start();
      const target = sampleActivityId('stromness-knitting-circle');
      await database.client.serviceAtLocation.updateMany({ where: { activityId: target }, data: { placesRemaining: 0, waitingListOpen: true } });
      await index.refresh([target]);
      const hit = index.search('knitting in orkney', { first: 3 }).hits.find((candidate) => candidate.id === target);
      expect(hit?.reasons).toContain('No places at the moment – waiting list open');
      await database.client.serviceAtLocation.updateMany({ where: { activityId: target, placesRemaining: 0 }, data: { placesRemaining: 6, waitingListOpen: false } });
      await index.refresh([target]);
    } finally {
      await index.close();
    }
  });
});
