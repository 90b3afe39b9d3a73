// Checks that the sample directory is consistent with itself and with the vocabularies, covers
// the areas and kinds of offer the source documents describe, and loads into both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProviderDatabase } from '../src/provider';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '../src/testing';
import { ensureVocabularies, TAXONOMY_IDS, termCodes, VOCABULARIES } from '../reference/vocabularies';
import { SAMPLE_ACTIVITIES, SAMPLE_ORGANIZATIONS, SAMPLE_VENUES, seedProviderSample } from '../sample/provider';
import type { SampleActivity, SampleVenue } from '../sample/sample-types';

const venuesBySlug = new Map(SAMPLE_VENUES.map((venue) => [venue.slug, venue]));
const organizationSlugs = new Set(SAMPLE_ORGANIZATIONS.map((organization) => organization.slug));

/** Organisations the source documents name: the only ones not marked as invented. */
const DOCUMENTED_ORGANIZATIONS = new Set([
  'scottish-ballet',
  'age-uk-oxfordshire',
  'museum-of-oxford',
  'story-museum',
  'cutteslowe-garden-project',
  'mill-arts-centre',
  'oxfordshire-libraries',
  'oxford-dance-festival',
  'brampton-community-hub',
  'arts-on-prescription-gloucestershire',
]);
const INVENTED_SUFFIX = '(invented sample organisation)';

/**
 * The areas of the source documents, by the local authority, health board or country a venue
 * is in, or the service area an online, telephone or home-visit activity names.
 */
const AREAS: Record<string, string[]> = {
  Glasgow: ['Glasgow City', 'NHS Greater Glasgow and Clyde'],
  Tayside: ['NHS Tayside', 'Dundee City', 'Perth and Kinross', 'Angus'],
  Orkney: ['NHS Orkney', 'Orkney Islands'],
  Oxfordshire: ['Oxfordshire'],
  Wales: ['Wales'],
  Gloucestershire: ['Gloucestershire'],
};

function venuesOf(activity: SampleActivity): SampleVenue[] {
  return activity.venues.map((slug) => venuesBySlug.get(slug)).filter((venue) => venue !== undefined);
}

function areasOf(activity: SampleActivity): Set<string> {
  const places = [
    ...venuesOf(activity).flatMap((venue) => [venue.localAuthority, venue.healthBoard, venue.country]),
    ...(activity.serviceAreas ?? []),
  ];
  return new Set(
    Object.entries(AREAS)
      .filter(([, names]) => places.some((place) => place !== undefined && names.includes(place)))
      .map(([area]) => area),
  );
}

const isFull = (activity: SampleActivity) => activity.capacity?.placesRemaining === 0;
const isRemote = (activity: SampleActivity) => activity.deliveryMode === 'ONLINE' || activity.deliveryMode === 'TELEPHONE';
const hasVirtualLocation = (activity: SampleActivity) => activity.deliveryMode !== 'IN_PERSON';
const hasLocation = (activity: SampleActivity) => activity.venues.length > 0 || hasVirtualLocation(activity);

function duplicates(values: string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index);
}

function unknownCodes(codes: string[], taxonomy: (typeof TAXONOMY_IDS)[keyof typeof TAXONOMY_IDS]): string[] {
  const known = termCodes(taxonomy);
  return codes.filter((code) => !known.has(code));
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY = '(MO|TU|WE|TH|FR|SA|SU)';
const WEEKLY_DAY = new RegExp(`^${DAY}$`);
const MONTHLY_DAY = new RegExp(`^(-?[1-5])?${DAY}$`);

describe('the sample directory', () => {
  it('has at least 60 activities with unique slugs and names', () => {
    expect(SAMPLE_ACTIVITIES.length).toBeGreaterThanOrEqual(60);
    expect(duplicates(SAMPLE_ACTIVITIES.map((activity) => activity.slug))).toEqual([]);
    expect(duplicates(SAMPLE_ACTIVITIES.map((activity) => activity.name))).toEqual([]);
    expect(duplicates(SAMPLE_ORGANIZATIONS.map((organization) => organization.slug))).toEqual([]);
    expect(duplicates(SAMPLE_ORGANIZATIONS.map((organization) => organization.name))).toEqual([]);
    expect(duplicates(SAMPLE_VENUES.map((venue) => venue.slug))).toEqual([]);
  });

  it('refers only to organisations and venues that exist, and uses every one of them', () => {
    const missing = SAMPLE_ACTIVITIES.flatMap((activity) => [
      ...(organizationSlugs.has(activity.organization) ? [] : [`${activity.slug}: organisation ${activity.organization}`]),
      ...activity.venues.filter((slug) => !venuesBySlug.has(slug)).map((slug) => `${activity.slug}: venue ${slug}`),
    ]);
    const venueOwners = SAMPLE_VENUES.filter((venue) => venue.organization && !organizationSlugs.has(venue.organization));
    expect(missing).toEqual([]);
    expect(venueOwners.map((venue) => venue.slug)).toEqual([]);

    const usedOrganizations = new Set(SAMPLE_ACTIVITIES.map((activity) => activity.organization));
    const usedVenues = new Set(SAMPLE_ACTIVITIES.flatMap((activity) => activity.venues));
    expect(SAMPLE_ORGANIZATIONS.filter((organization) => !usedOrganizations.has(organization.slug)).map((o) => o.slug)).toEqual([]);
    expect(SAMPLE_VENUES.filter((venue) => !usedVenues.has(venue.slug)).map((venue) => venue.slug)).toEqual([]);
  });

  it('marks every organisation the documents do not name as invented, and every unowned venue as a sample', () => {
    const unmarked = SAMPLE_ORGANIZATIONS.filter(
      (organization) => !DOCUMENTED_ORGANIZATIONS.has(organization.slug) && !organization.name.endsWith(INVENTED_SUFFIX),
    );
    expect(unmarked.map((organization) => organization.name)).toEqual([]);
    expect(SAMPLE_ORGANIZATIONS.filter((organization) => DOCUMENTED_ORGANIZATIONS.has(organization.slug) && organization.name.includes('invented'))).toEqual([]);
    const unmarkedVenues = SAMPLE_VENUES.filter((venue) => !venue.organization && !venue.name.endsWith('(sample venue)'));
    expect(unmarkedVenues.map((venue) => venue.name)).toEqual([]);
  });

  it('contains no phone numbers', () => {
    const phone = /(\+44|\b0\d{2,4})[\s-]?\d{3,4}[\s-]?\d{3,4}\b/;
    const texts = [
      ...SAMPLE_ORGANIZATIONS.flatMap((organization) => [organization.name, organization.description]),
      ...SAMPLE_VENUES.map((venue) => venue.name),
      ...SAMPLE_ACTIVITIES.flatMap((activity) => [
        activity.name,
        activity.description,
        activity.eligibility ?? '',
        activity.costNote ?? '',
        activity.schedule.description,
        ...activity.resources,
      ]),
    ];
    expect(texts.filter((text) => phone.test(text))).toEqual([]);
  });

  it('uses only terms from the vocabularies', () => {
    const unknown = SAMPLE_ACTIVITIES.flatMap((activity) =>
      [
        ...unknownCodes(activity.activityTypes, TAXONOMY_IDS.activityType),
        ...unknownCodes(activity.conditions, TAXONOMY_IDS.condition),
        ...unknownCodes(activity.groups, TAXONOMY_IDS.group),
        ...unknownCodes(activity.benefits, TAXONOMY_IDS.benefit),
      ].map((code) => `${activity.slug}: ${code}`),
    );
    const unknownAccessibility = SAMPLE_VENUES.flatMap((venue) =>
      unknownCodes(venue.accessibility, TAXONOMY_IDS.accessibility).map((code) => `${venue.slug}: ${code}`),
    );
    expect(unknown).toEqual([]);
    expect(unknownAccessibility).toEqual([]);

    const repeated = SAMPLE_ACTIVITIES.filter((activity) =>
      [activity.activityTypes, activity.conditions, activity.groups, activity.benefits].some((codes) => duplicates(codes).length > 0),
    );
    expect(repeated.map((activity) => activity.slug)).toEqual([]);
    expect(SAMPLE_VENUES.filter((venue) => duplicates(venue.accessibility).length > 0).map((venue) => venue.slug)).toEqual([]);
  });

  it('gives every activity a type and a benefit, and uses every activity type at least once', () => {
    expect(SAMPLE_ACTIVITIES.filter((activity) => activity.activityTypes.length === 0).map((a) => a.slug)).toEqual([]);
    expect(SAMPLE_ACTIVITIES.filter((activity) => activity.benefits.length === 0).map((a) => a.slug)).toEqual([]);
    const used = new Set(SAMPLE_ACTIVITIES.flatMap((activity) => activity.activityTypes));
    const unused = [...termCodes(TAXONOMY_IDS.activityType)].filter((code) => !used.has(code));
    expect(unused).toEqual([]);
  });

  it('has sensible ages, demand levels, capacity, languages and assurance dates', () => {
    for (const activity of SAMPLE_ACTIVITIES) {
      const { minimumAge, maximumAge } = activity;
      if (minimumAge !== undefined) {
        expect(Number.isInteger(minimumAge) && minimumAge >= 0 && minimumAge <= 100, activity.slug).toBe(true);
      }
      if (maximumAge !== undefined) {
        expect(Number.isInteger(maximumAge) && maximumAge >= 0 && maximumAge <= 120, activity.slug).toBe(true);
        expect(maximumAge, activity.slug).toBeGreaterThanOrEqual(minimumAge ?? 0);
      }
      for (const level of Object.values(activity.demand)) {
        expect([0, 1, 2, 3], activity.slug).toContain(level);
      }
      if (activity.capacity) {
        const { places, placesRemaining } = activity.capacity;
        expect(Number.isInteger(places) && places > 0, activity.slug).toBe(true);
        expect(Number.isInteger(placesRemaining) && placesRemaining >= 0, activity.slug).toBe(true);
        expect(placesRemaining, activity.slug).toBeLessThanOrEqual(places);
      }
      for (const language of activity.languages ?? []) {
        expect(language.name.length, activity.slug).toBeGreaterThan(0);
        expect(language.code, activity.slug).toMatch(/^[a-z]{2,3}$/);
      }
      expect(duplicates((activity.languages ?? []).map((language) => language.code)), activity.slug).toEqual([]);
      expect(Number.isInteger(activity.assuredDaysAgo), activity.slug).toBe(true);
      expect(activity.assuredDaysAgo, activity.slug).toBeGreaterThanOrEqual(0);
      expect(activity.assuredDaysAgo, activity.slug).toBeLessThanOrEqual(365);
    }
  });

  it('has valid schedules', () => {
    for (const activity of SAMPLE_ACTIVITIES) {
      const { freq, interval, byday, opensAt, closesAt, description } = activity.schedule;
      expect(['WEEKLY', 'MONTHLY'], activity.slug).toContain(freq);
      if (interval !== undefined) expect(Number.isInteger(interval) && interval >= 1, activity.slug).toBe(true);
      expect(opensAt, activity.slug).toMatch(TIME);
      expect(closesAt, activity.slug).toMatch(TIME);
      expect(opensAt < closesAt, `${activity.slug}: ${opensAt} to ${closesAt}`).toBe(true);
      const days = byday.split(',');
      const pattern = freq === 'WEEKLY' ? WEEKLY_DAY : MONTHLY_DAY;
      expect(days.every((day) => pattern.test(day)), `${activity.slug}: ${byday}`).toBe(true);
      expect(duplicates(days), activity.slug).toEqual([]);
      expect(description.length, activity.slug).toBeGreaterThan(0);
    }
  });

  it('matches venues and service areas to the delivery mode', () => {
    for (const activity of SAMPLE_ACTIVITIES) {
      const venues = activity.venues.length;
      const areas = activity.serviceAreas?.length ?? 0;
      switch (activity.deliveryMode) {
        case 'ONLINE':
        case 'TELEPHONE':
        case 'HOME_VISIT':
          expect({ slug: activity.slug, venues, hasAreas: areas > 0 }).toEqual({ slug: activity.slug, venues: 0, hasAreas: true });
          break;
        case 'IN_PERSON':
          expect({ slug: activity.slug, hasVenue: venues > 0, areas }).toEqual({ slug: activity.slug, hasVenue: true, areas: 0 });
          break;
        case 'HYBRID':
          expect({ slug: activity.slug, hasVenue: venues > 0, hasAreas: areas > 0 }).toEqual({ slug: activity.slug, hasVenue: true, hasAreas: true });
          break;
      }
    }
  });

  it('describes venues by town and area, inside the UK, with a health board in Scotland and Wales', () => {
    for (const venue of SAMPLE_VENUES) {
      expect(venue.city.length, venue.slug).toBeGreaterThan(0);
      expect(venue.localAuthority.length, venue.slug).toBeGreaterThan(0);
      if (venue.postcodeDistrict !== undefined) expect(venue.postcodeDistrict, venue.slug).toMatch(/^[A-Z]{1,2}\d{1,2}[A-Z]?$/);
      expect(venue.latitude, venue.slug).toBeGreaterThan(49.8);
      expect(venue.latitude, venue.slug).toBeLessThan(60.9);
      expect(venue.longitude, venue.slug).toBeGreaterThan(-8.7);
      expect(venue.longitude, venue.slug).toBeLessThan(1.8);
      expect(Boolean(venue.healthBoard), venue.slug).toBe(venue.country !== 'England');
    }
  });

  it('covers each area of the source documents with at least five activities', () => {
    const counts = Object.fromEntries(Object.keys(AREAS).map((area) => [area, 0]));
    for (const activity of SAMPLE_ACTIVITIES) {
      for (const area of areasOf(activity)) counts[area] = (counts[area] ?? 0) + 1;
    }
    for (const [area, count] of Object.entries(counts)) expect(count, area).toBeGreaterThanOrEqual(5);

    const taysideTowns = new Set(SAMPLE_ACTIVITIES.flatMap((activity) => venuesOf(activity).map((venue) => venue.city)));
    for (const town of ['Dundee', 'Perth', 'Arbroath']) expect(taysideTowns.has(town), town).toBe(true);
  });

  it('mixes online and telephone offers, paid and free, and full and open ones', () => {
    expect(SAMPLE_ACTIVITIES.filter(isRemote).length).toBeGreaterThanOrEqual(8);
    for (const mode of ['IN_PERSON', 'ONLINE', 'HYBRID', 'TELEPHONE', 'HOME_VISIT'] as const) {
      expect(SAMPLE_ACTIVITIES.some((activity) => activity.deliveryMode === mode), mode).toBe(true);
    }

    const paid = SAMPLE_ACTIVITIES.filter((activity) => activity.cost > 0);
    expect(paid.length).toBeGreaterThanOrEqual(8);
    expect(SAMPLE_ACTIVITIES.some((activity) => activity.cost === 0)).toBe(true);
    for (const activity of paid) {
      expect(activity.cost, activity.slug).toBeGreaterThanOrEqual(2);
      expect(activity.cost, activity.slug).toBeLessThanOrEqual(8);
      expect(activity.costNote, activity.slug).toMatch(/£/);
    }
    expect(SAMPLE_ACTIVITIES.every((activity) => activity.cost >= 0)).toBe(true);

    const full = SAMPLE_ACTIVITIES.filter(isFull);
    expect(full.length).toBeGreaterThanOrEqual(6);
    expect(full.some((activity) => activity.capacity?.waitingListOpen === true)).toBe(true);
    expect(full.some((activity) => !activity.capacity?.waitingListOpen)).toBe(true);
  });

  it('has recently checked listings and stale ones', () => {
    expect(SAMPLE_ACTIVITIES.filter((activity) => activity.assuredDaysAgo <= 30).length).toBeGreaterThanOrEqual(5);
    expect(SAMPLE_ACTIVITIES.filter((activity) => activity.assuredDaysAgo > 90).length).toBeGreaterThanOrEqual(5);
  });
});

describe.each(testDatabaseKinds())('seeding the sample directory on %s', (kind) => {
  let place: TestDatabaseLocation;
  let database: Awaited<ReturnType<typeof openProviderDatabase>>;

  const expectedServiceAtLocations = SAMPLE_ACTIVITIES.reduce(
    (sum, activity) => sum + activity.venues.length + (hasVirtualLocation(activity) ? 1 : 0),
    0,
  );
  const expectedLocations = SAMPLE_VENUES.length + SAMPLE_ACTIVITIES.filter(hasVirtualLocation).length;
  const expectedActivityTerms = SAMPLE_ACTIVITIES.reduce(
    (sum, activity) =>
      sum + activity.activityTypes.length + activity.conditions.length + activity.groups.length + activity.benefits.length,
    0,
  );
  const expectedAccessibility = SAMPLE_VENUES.reduce((sum, venue) => sum + venue.accessibility.length, 0);
  const expectedVocabularyTerms = VOCABULARIES.reduce((sum, vocabulary) => sum + vocabulary.terms.length, 0);
  const expectedSchedules = expectedServiceAtLocations + SAMPLE_ACTIVITIES.filter((activity) => !hasLocation(activity)).length;
  const expectedServiceAreas = SAMPLE_ACTIVITIES.reduce((sum, activity) => sum + (activity.serviceAreas?.length ?? 0), 0);

  async function counts() {
    const client = database.client;
    return {
      organizations: await client.organization.count(),
      locations: await client.location.count(),
      activities: await client.activity.count(),
      serviceAtLocations: await client.serviceAtLocation.count(),
      activityTerms: await client.activityTerm.count(),
      locationAccessibility: await client.locationAccessibility.count(),
      vocabularyTerms: await client.taxonomyTerm.count(),
      schedules: await client.schedule.count(),
      serviceAreas: await client.serviceArea.count(),
    };
  }

  beforeAll(async () => {
    place = await createTestDatabaseLocation('provider', kind);
    database = await openProviderDatabase(place.location);
    await ensureVocabularies(database.client);
  });

  afterAll(async () => {
    await database?.close();
    await place?.destroy();
  });

  it('loads every organisation, venue, activity and term, and adds nothing on a second run', async () => {
    expect(await seedProviderSample(database.client)).toBe(SAMPLE_ACTIVITIES.length);
    const expected = {
      organizations: SAMPLE_ORGANIZATIONS.length,
      locations: expectedLocations,
      activities: SAMPLE_ACTIVITIES.length,
      serviceAtLocations: expectedServiceAtLocations,
      activityTerms: expectedActivityTerms,
      locationAccessibility: expectedAccessibility,
      vocabularyTerms: expectedVocabularyTerms,
      schedules: expectedSchedules,
      serviceAreas: expectedServiceAreas,
    };
    expect(await counts()).toEqual(expected);

    expect(await seedProviderSample(database.client)).toBe(0);
    expect(await counts()).toEqual(expected);
  });

  it('marks everything as sample data and stores capacity, cost and assurance', async () => {
    const client = database.client;
    expect(await client.activity.count({ where: { isSample: false } })).toBe(0);
    expect(await client.organization.count({ where: { isSample: false } })).toBe(0);
    expect(await client.activity.count({ where: { isFree: false } })).toBe(
      SAMPLE_ACTIVITIES.filter((activity) => activity.cost > 0).length,
    );
    // Capacity is kept on the main venue, or on the virtual location of a remote activity
    // (online, telephone or home visit), so every full activity keeps it.
    const full = SAMPLE_ACTIVITIES.filter(isFull);
    expect(full.length).toBeGreaterThanOrEqual(6);
    expect(await client.serviceAtLocation.count({ where: { placesRemaining: 0 } })).toBe(full.length);
    expect(await client.serviceAtLocation.count({ where: { placesRemaining: 0, waitingListOpen: true } })).toBe(
      full.filter((activity) => activity.capacity?.waitingListOpen).length,
    );
    expect(await client.activity.count({ where: { serviceAtLocations: { none: {} } } })).toBe(0);
    const staleBefore = new Date(Date.now() - 90 * 24 * 60 * 60 * 1000);
    expect(await client.activity.count({ where: { assuredDate: { lt: staleBefore } } })).toBe(
      // The seed ran a moment before this count, so a listing checked exactly 90 days ago is stale too.
      SAMPLE_ACTIVITIES.filter((activity) => activity.assuredDaysAgo >= 90).length,
    );
  });
});
