// The compact form in which the index keeps each active activity: only what searching, filtering,
// ranking and explaining need. Venues (locations) are shared between the activities that use them.
import type { DeliveryMode, Prisma, ProviderClient } from '@sp/prisma/provider';
import { termId, VOCABULARIES } from '@sp/prisma/reference/vocabularies';
import { phraseKey, TERM_KIND_BY_TAXONOMY } from './lexicon';
import type { TermKind } from './concepts';
import { stem, tokenise, isStopWord } from './text';

export interface IndexedSchedule {
  freq: string | null;
  interval: number | null;
  byday: string | null;
  opensAt: string | null;
  description: string | null;
}

export interface IndexedLocation {
  id: string;
  physical: boolean;
  city: string | null;
  localAuthority: string | null;
  healthBoard: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Accessibility codes. */
  accessibility: string[];
  /** Place keys (see `phraseKey`) of the town, council area, health board and country. */
  placeKeys: string[];
}

export interface IndexedVenue {
  location: IndexedLocation;
  placesRemaining: number | null;
  waitingListOpen: boolean;
  schedules: IndexedSchedule[];
}

export type Availability = 'available' | 'full' | 'unknown';

/**
 * The words an activity is found by. They go into the index's postings and are not kept on the
 * record: a search checks a hit's words against the postings.
 */
export interface ActivityWords {
  /** Stemmed words, without stop words. */
  name: string[];
  keywords: string[];
  /** Words of the organisation's name ("Scottish Ballet", "Age UK"). */
  organisation: string[];
  description: string[];
  /** Stemmed neighbouring word pairs of the name and of each keyword line, for phrases such as "chair based". */
  pairs: string[];
  /** Raw normalised words of the name, keywords and organisation, for the typo corrector. */
  vocabulary: string[];
}

export interface IndexedEntry {
  activity: IndexedActivity;
  words: ActivityWords;
}

export interface IndexedActivity {
  id: string;
  name: string;
  /** Milliseconds; used to notice changes made by other processes. */
  updatedAt: number;
  deliveryMode: DeliveryMode;
  isFree: boolean;
  fees: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  cognitiveDemand: number;
  sensoryDemand: number;
  mobilityDemand: number;
  communicationDemand: number;
  conditions: string[];
  groups: string[];
  activityTypes: string[];
  benefits: string[];
  serviceAreas: string[];
  serviceAreaKeys: string[];
  /** Times that apply whatever the venue (online and telephone activities). */
  schedules: IndexedSchedule[];
  venues: IndexedVenue[];
  availability: Availability;
  waitingListOpen: boolean;
}

/**
 * What the index reads for each activity. The rows under it are read table by table (see
 * `readActivityRows`) rather than as one nested query: each read is small, and the event loop
 * gets a turn between them.
 */
export const ACTIVITY_COLUMNS = {
  id: true,
  organizationId: true,
  name: true,
  description: true,
  keywords: true,
  status: true,
  updatedAt: true,
  deliveryMode: true,
  isFree: true,
  fees: true,
  minimumAge: true,
  maximumAge: true,
  cognitiveDemand: true,
  sensoryDemand: true,
  mobilityDemand: true,
  communicationDemand: true,
} as const;

const SCHEDULE_COLUMNS = { freq: true, interval: true, byday: true, opensAt: true, description: true } as const;

/** Reads activities and everything under them that search needs, in flat queries; rows come back in id order. */
export async function readActivityRows(
  db: ProviderClient,
  where: Prisma.ActivityWhereInput,
  take: number | undefined,
  organisationNames: Map<string, string>,
  /** Awaited between the queries. On SQLite a query runs on the main thread and resolves without the event loop turning, so the caller passes a real yield (setImmediate). */
  between: () => Promise<void> = () => Promise.resolve(),
): Promise<Array<ActivityRow & { status: string }>> {
  const activities = await db.activity.findMany({ where, orderBy: { id: 'asc' }, ...(take ? { take } : {}), select: ACTIVITY_COLUMNS });
  if (activities.length === 0) return [];
  const ids = activities.map((activity) => activity.id);
  await between();
  const terms = await db.activityTerm.findMany({ where: { activityId: { in: ids } }, select: { activityId: true, termId: true } });
  await between();
  const areas = await db.serviceArea.findMany({ where: { activityId: { in: ids } }, select: { activityId: true, name: true } });
  await between();
  const ownSchedules = await db.schedule.findMany({ where: { activityId: { in: ids }, serviceAtLocationId: null }, select: { activityId: true, ...SCHEDULE_COLUMNS } });
  await between();
  const venues = await db.serviceAtLocation.findMany({
    where: { activityId: { in: ids } },
    select: { id: true, activityId: true, locationId: true, placesRemaining: true, waitingListOpen: true },
  });
  await between();
  const venueSchedules = venues.length === 0
    ? []
    : await db.schedule.findMany({ where: { serviceAtLocationId: { in: venues.map((venue) => venue.id) } }, select: { serviceAtLocationId: true, ...SCHEDULE_COLUMNS } });
  const missing = [...new Set(activities.map((activity) => activity.organizationId))].filter((id) => !organisationNames.has(id));
  if (missing.length > 0) {
    await between();
    for (const organisation of await db.organization.findMany({ where: { id: { in: missing } }, select: { id: true, name: true } })) {
      organisationNames.set(organisation.id, organisation.name);
    }
  }
  await between();

  const group = <T, K>(rows: T[], key: (row: T) => K) => {
    const map = new Map<K, T[]>();
    for (const row of rows) {
      const list = map.get(key(row));
      if (list) list.push(row);
      else map.set(key(row), [row]);
    }
    return map;
  };
  const termsBy = group(terms, (row) => row.activityId);
  const areasBy = group(areas, (row) => row.activityId);
  const schedulesBy = group(ownSchedules, (row) => row.activityId);
  const venuesBy = group(venues, (row) => row.activityId);
  const venueSchedulesBy = group(venueSchedules, (row) => row.serviceAtLocationId);
  return activities.map((activity) => ({
    ...activity,
    organization: { name: organisationNames.get(activity.organizationId) ?? '' },
    terms: termsBy.get(activity.id) ?? [],
    serviceAreas: areasBy.get(activity.id) ?? [],
    schedules: schedulesBy.get(activity.id) ?? [],
    serviceAtLocations: (venuesBy.get(activity.id) ?? []).map((venue) => ({
      locationId: venue.locationId,
      placesRemaining: venue.placesRemaining,
      waitingListOpen: venue.waitingListOpen,
      schedules: venueSchedulesBy.get(venue.id) ?? [],
    })),
  }));
}

export const LOCATION_SELECT = {
  id: true,
  locationType: true,
  city: true,
  localAuthority: true,
  healthBoard: true,
  country: true,
  latitude: true,
  longitude: true,
  updatedAt: true,
  accessibility: { select: { termId: true } },
} as const;

export interface ActivityRow {
  id: string;
  name: string;
  description: string;
  keywords: string;
  organization: { name: string };
  updatedAt: Date;
  deliveryMode: DeliveryMode;
  isFree: boolean;
  fees: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  cognitiveDemand: number;
  sensoryDemand: number;
  mobilityDemand: number;
  communicationDemand: number;
  terms: Array<{ termId: string }>;
  serviceAreas: Array<{ name: string }>;
  schedules: IndexedSchedule[];
  serviceAtLocations: Array<{ placesRemaining: number | null; waitingListOpen: boolean; locationId: string; schedules: IndexedSchedule[] }>;
}

export interface LocationRow {
  id: string;
  locationType: string;
  city: string | null;
  localAuthority: string | null;
  healthBoard: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  accessibility: Array<{ termId: string }>;
}

/** Term ids are derived from taxonomy and code, so the codes can be found without a join. */
const TERM_BY_ID = new Map<string, { kind: TermKind; code: string }>();
for (const vocabulary of VOCABULARIES) {
  const kind = TERM_KIND_BY_TAXONOMY[vocabulary.id];
  if (!kind) continue;
  for (const item of vocabulary.terms) TERM_BY_ID.set(termId(vocabulary.id, item.code), { kind, code: item.code });
}

/** Keeps one copy of strings repeated across thousands of records (town names, codes, words). */
export class StringPool {
  private readonly pool = new Map<string, string>();
  get size() {
    return this.pool.size;
  }
  intern(value: string): string;
  intern(value: string | null): string | null;
  intern(value: string | null): string | null {
    if (value === null) return null;
    const known = this.pool.get(value);
    if (known !== undefined) return known;
    this.pool.set(value, value);
    return value;
  }
  list(values: string[]): string[] {
    return values.map((value) => this.intern(value));
  }
}

const KEY_CACHE = new Map<string, string>();
/** `phraseKey`, remembered: the same few hundred place names recur in every record. */
export function placeKey(name: string): string {
  let key = KEY_CACHE.get(name);
  if (key === undefined) {
    key = phraseKey(name);
    if (KEY_CACHE.size > 20_000) KEY_CACHE.clear();
    KEY_CACHE.set(name, key);
  }
  return key;
}

export function toIndexedLocation(row: LocationRow, pool: StringPool): IndexedLocation {
  const accessibility: string[] = [];
  for (const link of row.accessibility) {
    const known = TERM_BY_ID.get(link.termId);
    if (known?.kind === 'accessibility') accessibility.push(pool.intern(known.code));
  }
  return {
    id: row.id,
    physical: row.locationType === 'PHYSICAL',
    city: pool.intern(row.city),
    localAuthority: pool.intern(row.localAuthority),
    healthBoard: pool.intern(row.healthBoard),
    country: pool.intern(row.country),
    latitude: row.latitude,
    longitude: row.longitude,
    accessibility,
    placeKeys: [...new Set([row.city, row.localAuthority, row.healthBoard, row.country].filter((value): value is string => !!value).map((value) => pool.intern(placeKey(value))))],
  };
}

function contentStems(words: string[], pool: StringPool): string[] {
  const seen = new Set<string>();
  for (const word of words) {
    if (word.length < 2 || isStopWord(word)) continue;
    seen.add(pool.intern(stem(word)));
  }
  return [...seen];
}

function neighbourPairs(lines: string[][], pool: StringPool): string[] {
  const pairs = new Set<string>();
  for (const line of lines) {
    for (let i = 0; i + 1 < line.length; i++) pairs.add(pool.intern(`${stem(line[i]!)} ${stem(line[i + 1]!)}`));
  }
  return [...pairs];
}

function schedules(rows: IndexedSchedule[], pool: StringPool): IndexedSchedule[] {
  return rows.map((row) => ({
    freq: pool.intern(row.freq),
    interval: row.interval,
    byday: pool.intern(row.byday),
    opensAt: pool.intern(row.opensAt),
    description: row.description,
  }));
}

/** How many rows of each kind sit under an activity, and the capacity they add up to: what the poller's child signature counts. */
export interface ChildCounts {
  venues: number;
  places: number;
  waiting: number;
  terms: number;
  areas: number;
  schedules: number;
}

export const NO_CHILDREN: ChildCounts = { venues: 0, places: 0, waiting: 0, terms: 0, areas: 0, schedules: 0 };

export function childCountsOf(row: ActivityRow): ChildCounts {
  let places = 0;
  let waiting = 0;
  let schedules = row.schedules.length;
  for (const at of row.serviceAtLocations) {
    places += at.placesRemaining ?? 0;
    if (at.waitingListOpen) waiting++;
    schedules += at.schedules.length;
  }
  return { venues: row.serviceAtLocations.length, places, waiting, terms: row.terms.length, areas: row.serviceAreas.length, schedules };
}

export function availabilityOf(venues: IndexedVenue[]): Availability {
  const recorded = venues.filter((venue) => venue.placesRemaining !== null);
  if (recorded.length === 0) return 'unknown';
  return recorded.some((venue) => (venue.placesRemaining ?? 0) > 0) ? 'available' : 'full';
}

export function toIndexedActivity(row: ActivityRow, locations: Map<string, IndexedLocation>, pool: StringPool): IndexedEntry {
  const byKind: Record<TermKind, string[]> = { condition: [], group: [], activityType: [], accessibility: [], benefit: [] };
  for (const link of row.terms) {
    const known = TERM_BY_ID.get(link.termId);
    if (known) byKind[known.kind].push(pool.intern(known.code));
  }
  const venues: IndexedVenue[] = [];
  for (const at of row.serviceAtLocations) {
    const location = locations.get(at.locationId);
    if (!location) continue;
    venues.push({ location, placesRemaining: at.placesRemaining, waitingListOpen: at.waitingListOpen, schedules: schedules(at.schedules, pool) });
  }
  const nameTokens = tokenise(row.name);
  const keywordLines = row.keywords.split('\n').map(tokenise).filter((line) => line.length > 0);
  const organisationTokens = tokenise(row.organization.name);
  const nameWords = contentStems(nameTokens, pool);
  const keywordWords = contentStems(keywordLines.flat(), pool);
  const organisationWords = contentStems(organisationTokens, pool).filter((word) => !nameWords.includes(word) && !keywordWords.includes(word));
  const descriptionWords = contentStems(tokenise(row.description), pool).filter((word) => !nameWords.includes(word) && !keywordWords.includes(word));
  const vocabulary = new Set<string>();
  for (const word of [...nameTokens, ...keywordLines.flat(), ...organisationTokens]) {
    if (word.length >= 3 && !/\d/.test(word)) vocabulary.add(pool.intern(word));
  }
  const activity: IndexedActivity = {
    id: row.id,
    name: row.name,
    updatedAt: row.updatedAt.getTime(),
    deliveryMode: row.deliveryMode,
    isFree: row.isFree,
    fees: pool.intern(row.fees),
    minimumAge: row.minimumAge,
    maximumAge: row.maximumAge,
    cognitiveDemand: row.cognitiveDemand,
    sensoryDemand: row.sensoryDemand,
    mobilityDemand: row.mobilityDemand,
    communicationDemand: row.communicationDemand,
    conditions: byKind.condition,
    groups: byKind.group,
    activityTypes: byKind.activityType,
    benefits: byKind.benefit,
    serviceAreas: pool.list(row.serviceAreas.map((area) => area.name)),
    serviceAreaKeys: [...new Set(row.serviceAreas.map((area) => pool.intern(placeKey(area.name))))],
    schedules: schedules(row.schedules, pool),
    venues,
    availability: availabilityOf(venues),
    waitingListOpen: venues.some((venue) => venue.waitingListOpen),
  };
  return {
    activity,
    words: {
      name: nameWords,
      keywords: keywordWords,
      organisation: organisationWords,
      description: descriptionWords,
      pairs: neighbourPairs([nameTokens, ...keywordLines], pool),
      vocabulary: [...vocabulary],
    },
  };
}

export const REMOTE_MODES: ReadonlySet<DeliveryMode> = new Set(['ONLINE', 'TELEPHONE', 'HOME_VISIT', 'HYBRID']);
