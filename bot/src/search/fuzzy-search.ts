import Fuse, { type IFuseOptions } from 'fuse.js';
import {
  SearchUnavailableError,
  toSuggestion,
  type Activity,
  type ActivitySearch,
  type DeliveryMode,
  type SearchResult,
} from './activity-search';
import type { ActivityDirectory } from './activity-directory';
import { GatewayError } from './gateway-client';
import { parseRequest, placeKey, type ParsedRequest, type Place } from './parse-request';
import { containsPhrase, normalise } from './text';

/**
 * Ranks the directory with fuse.js token search after the request has been parsed: places,
 * "free" and "online" filter the candidates first, then fuse ranks what is left by the
 * remaining words. fuse scans every candidate, so the directory is capped (see
 * activity-directory.ts) and filters run before it.
 */

interface IndexedActivity {
  activity: Activity;
  name: string;
  suitableFor: string[];
  organisation: string;
  description: string;
  mode: string;
  town: string;
  area: string;
}

interface PreparedDirectory {
  records: IndexedActivity[];
  places: Place[];
  fuse: Fuse<IndexedActivity>;
}

const MODE_WORDS: Record<DeliveryMode, string> = {
  IN_PERSON: 'in person',
  ONLINE: 'online',
  HYBRID: 'in person online hybrid',
  TELEPHONE: 'telephone phone',
  HOME_VISIT: 'home visit',
};

const FUSE_OPTIONS: IFuseOptions<IndexedActivity> = {
  keys: [
    { name: 'name', weight: 3 },
    { name: 'suitableFor', weight: 2 },
    { name: 'organisation', weight: 1 },
    { name: 'mode', weight: 1 },
    { name: 'description', weight: 0.5 },
  ],
  useTokenSearch: true,
  tokenMatch: 'any',
  ignoreLocation: true,
  includeScore: true,
  // Low enough that a short stem ("sing") does not fuzzily match unrelated words ("suits"),
  // high enough for a missing or swapped letter in a longer word ("parkinsns", "dementa").
  threshold: 0.2,
};

export interface FuzzySearchOptions {
  directory: ActivityDirectory;
}

function index(activity: Activity): IndexedActivity {
  return {
    activity,
    name: normalise(activity.name),
    suitableFor: activity.suitableFor.map(normalise),
    organisation: normalise(activity.organization.name),
    description: normalise(activity.description),
    mode: MODE_WORDS[activity.deliveryMode],
    town: activity.town ? placeKey(activity.town) : '',
    area: activity.area ? placeKey(activity.area) : '',
  };
}

function placesOf(activities: readonly Activity[]): Place[] {
  const byKey = new Map<string, Place>();
  const shortTownNames = new Map<string, Place[]>();
  for (const activity of activities) {
    for (const label of [activity.town, activity.area]) {
      if (!label) continue;
      const key = placeKey(label);
      if (key.length === 0 || byKey.has(key)) continue;
      const place = { label, key };
      byKey.set(key, place);
      // People often give a town with a two-word name by its first word: "Merthyr".
      const first = key.split(' ')[0] ?? '';
      if (label === activity.town && first !== key && first.length >= 5) {
        shortTownNames.set(first, [...(shortTownNames.get(first) ?? []), place]);
      }
    }
  }
  for (const [short, towns] of shortTownNames) {
    const only = towns[0];
    if (towns.length === 1 && only && !byKey.has(short)) byKey.set(short, { label: only.label, key: short, filterKey: only.key });
  }
  return [...byKey.values()];
}

function prepare(activities: readonly Activity[]): PreparedDirectory {
  const records = activities.map(index);
  return { records, places: placesOf(activities), fuse: new Fuse(records, FUSE_OPTIONS) };
}

const REACHABLE_ONLINE: ReadonlySet<DeliveryMode> = new Set(['ONLINE', 'HYBRID']);

function matchesFilters(record: IndexedActivity, request: ParsedRequest): boolean {
  const { activity } = record;
  if (request.free && !activity.isFree) return false;
  if (request.online && !REACHABLE_ONLINE.has(activity.deliveryMode)) return false;
  if (request.place) {
    const key = request.place.filterKey ?? request.place.key;
    const inPlace = record.town === key || containsPhrase(record.area, key) || containsPhrase(record.town, key);
    // Something run only online can be joined from anywhere, so it is not tied to a place.
    const fromAnywhere = request.online && activity.deliveryMode === 'ONLINE';
    if (!inPlace && !fromAnywhere) return false;
  }
  return true;
}

export function createFuzzyActivitySearch(options: FuzzySearchOptions): ActivitySearch {
  let prepared: { source: readonly Activity[]; directory: PreparedDirectory } | undefined;

  async function load(): Promise<PreparedDirectory> {
    let activities: readonly Activity[];
    try {
      activities = await options.directory.list();
    } catch (error) {
      if (error instanceof GatewayError) {
        throw new SearchUnavailableError('The activity directory is unavailable', { cause: error });
      }
      throw error;
    }
    if (prepared?.source !== activities) prepared = { source: activities, directory: prepare(activities) };
    return prepared.directory;
  }

  return {
    async search(text, { limit }): Promise<SearchResult> {
      const directory = await load();
      const request = parseRequest(text, directory.places);
      const understood = {
        terms: request.terms,
        ...(request.place ? { place: request.place.label } : {}),
        free: request.free,
        online: request.online,
      };
      const filtered = request.place != null || request.free || request.online;
      if (request.terms.length === 0 && !filtered) return { suggestions: [], total: 0, understood };

      const candidates = filtered
        ? directory.records.filter((record) => matchesFilters(record, request))
        : directory.records;

      let ranked: IndexedActivity[];
      if (request.terms.length === 0) {
        ranked = [...candidates].sort((a, b) => a.name.localeCompare(b.name));
      } else {
        // fuse scores every candidate whatever the limit, so counting them all costs nothing extra.
        const fuse = candidates === directory.records ? directory.fuse : new Fuse(candidates, FUSE_OPTIONS);
        ranked = fuse.search(request.terms.join(' ')).map((result) => result.item);
      }
      return {
        suggestions: ranked.slice(0, limit).map((record) => toSuggestion(record.activity)),
        total: ranked.length,
        understood,
      };
    },
  };
}
