// The in-memory search: an inverted index from terms, words, places, modes and cost to activity
// slots, and the ranking. Pure and synchronous: it knows nothing of the database or GraphQL.
//
// A search reads the query (understand.ts), looks up each unit's postings to score only the
// activities that match something, applies the explicit filter strictly and what the sentence
// asked (free, online, age, places left) as filters that relax when nothing would remain, keeps
// to the place typed (widening to nearby places, then anywhere, when that is all there is), and
// ranks. Its cost depends on how many activities match, never on fuse.js scanning the directory.
import type { DayOfWeek } from '../directory/filter';
import type { TermKind } from './concepts';
import * as explain from './explain';
import { ageFits, matchesFilter, type ResolvedActivityFilter } from './filter-match';
import { Lexicon } from './lexicon';
import { placeKey, REMOTE_MODES, type ActivityWords, type IndexedActivity, type IndexedLocation, type IndexedVenue } from './records';
import { isStopWord, tokenise } from './text';
import { understandQuery, type QueryUnit, type UnderstoodQuery } from './understand';

/** How much each kind of match counts. A condition counts most: it is why the person is referred. */
export const WEIGHTS = {
  condition: 5,
  activityType: 3.5,
  group: 2,
  accessibility: 2.5,
  benefit: 1.5,
  name: 2.5,
  keyword: 2,
  organisation: 1.5,
  pair: 2.5,
  description: 0.75,
  /** Added to a term match when the activity also uses the very words typed ("choir", "scrabble", "forest bathing"). */
  literalInName: 2,
  literalInKeywords: 1.5,
  literalInOrganisation: 1,
  literalInDescription: 0.3,
  day: 2.5,
  time: 1,
  modeFit: 1,
  cheap: 1.5,
  town: 3,
  area: 2.5,
  remoteLocal: 2.5,
  remoteRegion: 2.25,
  remoteCountry: 1.75,
  nearby: 1.5,
  far: 0.5,
} as const;

/**
 * A full activity's reported score is scaled by this; its rank is below every activity that has
 * places or does not record them (see `ahead`), whatever the score.
 */
export const FULL_FACTOR = 0.7;
const CORRECTED_FACTOR = 0.9;
/** Words used by more than this share of listings say nothing ("sample", "group"). */
const COMMON_SHARE = 0.3;
const NEARBY_KM = 60;
/** Access features that matter only at a venue: an activity at home needs none of them. */
const VENUE_ONLY_ACCESS = new Set(['step-free-access', 'accessible-toilet', 'accessible-parking', 'public-transport', 'changing-places']);

const TERM_PREFIX: Record<TermKind, string> = { condition: 'c', group: 'g', activityType: 'a', accessibility: 'x', benefit: 'b' };

export interface SearchHit {
  id: string;
  /** 0 to 1: the share of what was asked that the activity offers, lowered when it is full. */
  score: number;
  reasons: string[];
}

export interface SearchOutcome {
  hits: SearchHit[];
  understood: UnderstoodQuery;
  /** What had to be let go to find anything: "places", "mode", "free", "age", and "place" when widened. */
  relaxed: string[];
  /** How many activities matched before the top `first` were taken. */
  matched: number;
}

export interface SearchOptions {
  first: number;
  filter?: ResolvedActivityFilter | null;
}

type PlaceLevel = 'city' | 'localAuthority' | 'healthBoard' | 'country' | 'serviceArea';

interface PlaceEntry {
  key: string;
  name: string;
  levels: Set<PlaceLevel>;
  /** Keys of the larger areas that contain it. */
  within: Set<string>;
  latitude: number;
  longitude: number;
  located: number;
}

interface QueryPlace {
  key: string;
  name: string;
  isTown: boolean;
  /** The place and the areas containing it: remote activities serving any of these are available there. */
  areaKeys: Set<string>;
  /** Council area and health board containing it: venues there count as nearby. */
  regionKeys: Set<string>;
  latitude: number | null;
  longitude: number | null;
}

interface PlaceFit {
  tier: 1 | 2 | 3;
  bonus: number;
  place: QueryPlace;
  venue?: IndexedVenue;
  area?: string;
  km?: number;
}

interface Alternative {
  key: string;
  weight: number;
  /** Where the words were found, for the bonus a term match gets when the activity also uses them. */
  literal?: number;
}

interface UnitPlan {
  unit: QueryUnit;
  terms: Alternative[];
  words: Alternative[];
  max: number;
}

const RELAX_ORDER = ['places', 'mode', 'free', 'age'] as const;
const BIT = { places: 1, mode: 2, free: 4, age: 8 } as const;
/** Mask of a slot that is not a candidate in this search. */
const EXCLUDED = 255;
const DAY_CODES = /(MO|TU|WE|TH|FR|SA|SU)/g;

/** A growable list of slots, ascending (slots only ever grow), in an Int32Array: half the memory of a JS array. */
class PostingList {
  data = new Int32Array(2);
  length = 0;

  push(slot: number) {
    if (this.length === this.data.length) {
      const grown = new Int32Array(Math.ceil(this.data.length * 1.5) + 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = slot;
  }

  has(slot: number): boolean {
    let low = 0;
    let high = this.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const value = this.data[middle]!;
      if (value === slot) return true;
      if (value < slot) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** A copy without dead slots, the rest renumbered. */
  remapped(next: Int32Array): PostingList {
    const copy = new PostingList();
    copy.data = new Int32Array(this.length + 2);
    for (let i = 0; i < this.length; i++) {
      const slot = next[this.data[i]!]!;
      if (slot >= 0) copy.data[copy.length++] = slot;
    }
    return copy;
  }
}

const NO_POSTINGS = new PostingList();

const MODE_CODES = ['IN_PERSON', 'ONLINE', 'HYBRID', 'TELEPHONE', 'HOME_VISIT'] as const;
const AVAILABILITY_CODES = { available: 0, unknown: 1, full: 2 } as const;
const NO_AGE = -1;

/**
 * The fields every candidate is checked on, kept as typed arrays by slot: a pass over tens of
 * thousands of candidates then reads a few bytes each instead of whole records.
 */
class Columns {
  live = new Uint8Array(1024);
  free = new Uint8Array(1024);
  mode = new Uint8Array(1024);
  availability = new Uint8Array(1024);
  minimumAge = new Int16Array(1024);
  maximumAge = new Int16Array(1024);

  set(slot: number, activity: IndexedActivity) {
    if (slot >= this.live.length) this.grow(Math.max(slot + 1, this.live.length * 2));
    this.live[slot] = 1;
    this.free[slot] = activity.isFree ? 1 : 0;
    this.mode[slot] = Math.max(0, MODE_CODES.indexOf(activity.deliveryMode));
    this.availability[slot] = AVAILABILITY_CODES[activity.availability];
    this.minimumAge[slot] = activity.minimumAge ?? NO_AGE;
    this.maximumAge[slot] = activity.maximumAge ?? NO_AGE;
  }

  private grow(size: number) {
    const copy = <T extends Uint8Array | Int16Array>(from: T, make: (size: number) => T) => {
      const to = make(size);
      to.set(from);
      return to;
    };
    this.live = copy(this.live, (n) => new Uint8Array(n));
    this.free = copy(this.free, (n) => new Uint8Array(n));
    this.mode = copy(this.mode, (n) => new Uint8Array(n));
    this.availability = copy(this.availability, (n) => new Uint8Array(n));
    this.minimumAge = copy(this.minimumAge, (n) => new Int16Array(n));
    this.maximumAge = copy(this.maximumAge, (n) => new Int16Array(n));
  }
}

function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export class SearchEngine {
  readonly lexicon = new Lexicon();
  /** Locations by id, shared by the activities at them; updated in place when a location changes. */
  readonly locations = new Map<string, IndexedLocation>();
  private records: Array<IndexedActivity | undefined> = [];
  private readonly slots = new Map<string, number>();
  private columns = new Columns();
  private postings = new Map<string, PostingList>();
  private dead = 0;
  private readonly areaCounts = new Map<string, number>();
  private places = new Map<string, PlaceEntry>();
  private placesDirty = true;
  private scores = new Float64Array(0);
  private termScore = new Float64Array(0);
  private wordScore = new Float64Array(0);
  private wordBonus = new Float64Array(0);
  private seen = new Int32Array(0);
  private termSeen = new Int32Array(0);
  private wordSeen = new Int32Array(0);
  private placeSeen = new Int32Array(0);
  private placeTier = new Uint8Array(0);
  private placeBonus = new Float64Array(0);
  private daySeen = new Int32Array(0);
  private timeSeen = new Int32Array(0);
  private mask = new Uint8Array(0);
  private touchedBuffer = new Int32Array(0);
  private unitBuffer = new Int32Array(0);
  private allSlots = new Int32Array(0);
  private stamp = 0;

  get size(): number {
    return this.slots.size;
  }

  /** Dead slots left by updates; compact when they pile up. */
  get deadSlots(): number {
    return this.dead;
  }

  get(id: string): IndexedActivity | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.records[slot];
  }

  *activities(): IterableIterator<IndexedActivity> {
    for (const record of this.records) if (record) yield record;
  }

  ids(): IterableIterator<string> {
    return this.slots.keys();
  }

  /**
   * Adds or replaces a location, keeping one shared object per id. Returns true when a known
   * location changed: the activities at it must then be upserted again to re-index its places.
   */
  setLocation(location: IndexedLocation): boolean {
    const known = this.locations.get(location.id);
    if (known) {
      if (JSON.stringify(known) === JSON.stringify(location)) return false;
      Object.assign(known, location);
      this.placesDirty = true;
      return true;
    }
    this.locations.set(location.id, location);
    if (location.physical) this.placesDirty = true;
    return false;
  }

  upsert(activity: IndexedActivity, words: ActivityWords) {
    this.remove(activity.id);
    const slot = this.records.length;
    this.records.push(activity);
    this.slots.set(activity.id, slot);
    this.columns.set(slot, activity);
    for (const key of this.keysOf(activity, words)) {
      let list = this.postings.get(key);
      if (!list) {
        list = new PostingList();
        this.postings.set(key, list);
      }
      list.push(slot);
    }
    for (const area of activity.serviceAreas) {
      const count = this.areaCounts.get(area) ?? 0;
      if (count === 0) this.placesDirty = true;
      this.areaCounts.set(area, count + 1);
    }
    this.lexicon.learnActivityWords(words.vocabulary);
  }

  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    const old = this.records[slot];
    this.records[slot] = undefined;
    this.columns.live[slot] = 0;
    this.slots.delete(id);
    this.dead++;
    for (const area of old?.serviceAreas ?? []) {
      const count = (this.areaCounts.get(area) ?? 1) - 1;
      if (count <= 0) {
        this.areaCounts.delete(area);
        this.placesDirty = true;
      } else this.areaCounts.set(area, count);
    }
    return true;
  }

  private keysOf(activity: IndexedActivity, words: ActivityWords): string[] {
    const keys = new Set<string>();
    for (const code of activity.conditions) keys.add(`c:${code}`);
    for (const code of activity.groups) keys.add(`g:${code}`);
    for (const code of activity.activityTypes) keys.add(`a:${code}`);
    for (const code of activity.benefits) keys.add(`b:${code}`);
    for (const venue of activity.venues) {
      if (!venue.location.physical) continue;
      for (const code of venue.location.accessibility) keys.add(`x:${code}`);
      for (const key of venue.location.placeKeys) keys.add(`p:${key}`);
      keys.add(`l:${venue.location.id}`);
    }
    for (const schedule of [...activity.schedules, ...activity.venues.flatMap((venue) => venue.schedules)]) {
      for (const day of schedule.byday?.match(DAY_CODES) ?? []) keys.add(`w:${day}`);
      for (const part of ['morning', 'afternoon', 'evening'] as const) if (explain.opensIn(schedule, part)) keys.add(`t:${part}`);
    }
    if (REMOTE_MODES.has(activity.deliveryMode)) for (const key of activity.serviceAreaKeys) keys.add(`s:${key}`);
    for (const word of words.name) keys.add(`n:${word}`);
    for (const word of words.keywords) keys.add(`k:${word}`);
    for (const word of words.organisation) keys.add(`o:${word}`);
    for (const word of words.description) keys.add(`d:${word}`);
    for (const pair of words.pairs) keys.add(`2:${pair}`);
    keys.add(`m:${activity.deliveryMode}`);
    if (activity.isFree) keys.add('free');
    return [...keys];
  }

  private postingsOf(key: string): PostingList {
    return this.postings.get(key) ?? NO_POSTINGS;
  }

  /** Whether the activity in this slot is indexed under the key. */
  private has(slot: number, key: string): boolean {
    return this.postingsOf(key).has(slot);
  }

  /** The places the directory knows, with everyday forms ("Tayside", "Orkney", "Merthyr"). */
  private refreshPlaces() {
    if (!this.placesDirty) return;
    const entries = new Map<string, PlaceEntry>();
    const entry = (name: string) => {
      const key = placeKey(name);
      let found = entries.get(key);
      if (!found) {
        found = { key, name, levels: new Set(), within: new Set(), latitude: 0, longitude: 0, located: 0 };
        entries.set(key, found);
      }
      return found;
    };
    for (const location of this.locations.values()) {
      if (!location.physical) continue;
      const levels: Array<[string | null, PlaceLevel]> = [
        [location.city, 'city'],
        [location.localAuthority, 'localAuthority'],
        [location.healthBoard, 'healthBoard'],
        [location.country, 'country'],
      ];
      levels.forEach(([value, level], index) => {
        if (!value) return;
        const place = entry(value);
        place.levels.add(level);
        for (const [larger] of levels.slice(index + 1)) if (larger) place.within.add(placeKey(larger));
        if (location.latitude !== null && location.longitude !== null) {
          place.latitude += location.latitude;
          place.longitude += location.longitude;
          place.located++;
        }
      });
    }
    for (const area of this.areaCounts.keys()) entry(area).levels.add('serviceArea');

    const phrases = new Map<string, string[]>();
    for (const place of entries.values()) phrases.set(place.name, [place.key]);
    const fullKeys = new Set(entries.keys());
    const aliases = new Map<string, Set<string>>();
    const addAlias = (alias: string, place: PlaceEntry) => {
      const key = placeKey(alias);
      if (!key || fullKeys.has(key) || key === place.key) return;
      const set = aliases.get(alias) ?? new Set<string>();
      set.add(place.key);
      aliases.set(alias, set);
    };
    for (const place of entries.values()) {
      const name = place.name;
      const bare = name.replace(/^NHS\s+/i, '').replace(/\s+(University\s+)?Health\s+Board$/i, '').replace(/\s+(City|Islands|Council)$/i, '');
      if (bare !== name) addAlias(bare, place);
      const words = tokenise(name);
      if ((place.levels.has('city') || place.levels.has('localAuthority')) && words.length > 1 && words[0]!.length >= 5 && !this.lexicon.isPhrase(words[0]!) && !isStopWord(words[0]!)) {
        addAlias(words[0]!, place);
      }
    }
    for (const [alias, keys] of aliases) phrases.set(alias, [...keys]);
    this.places = entries;
    this.lexicon.setPlaces(phrases);
    this.placesDirty = false;
  }

  private queryPlace(key: string): QueryPlace | null {
    const entry = this.places.get(key);
    if (!entry) return null;
    const regionKeys = new Set<string>();
    for (const larger of entry.within) {
      const levels = this.places.get(larger)?.levels;
      if (levels && (levels.has('localAuthority') || levels.has('healthBoard'))) regionKeys.add(larger);
    }
    if (entry.levels.has('localAuthority') || entry.levels.has('healthBoard')) regionKeys.add(entry.key);
    return {
      key: entry.key,
      name: entry.name,
      isTown: entry.levels.has('city'),
      areaKeys: new Set([entry.key, ...entry.within]),
      regionKeys,
      latitude: entry.located > 0 ? entry.latitude / entry.located : null,
      longitude: entry.located > 0 ? entry.longitude / entry.located : null,
    };
  }

  /** Does the lazy work (places, fuzzy buckets, compiled code paths) now rather than in the first searches. */
  async warm(pause: () => Promise<void>) {
    this.refreshPlaces();
    for (const query of ['dance class for my patient with parkinsns in dundee', 'free befriending by phone for a lonely older man', 'step free chair based singing on tuesdays aged 70']) {
      this.search(query, { first: 10 });
      await pause();
    }
  }

  /** Display names of place keys from an understood query. */
  placeNames(keys: string[]): string[] {
    this.refreshPlaces();
    return keys.map((key) => this.places.get(key)?.name ?? key);
  }

  understand(text: string): UnderstoodQuery {
    this.refreshPlaces();
    return understandQuery(text, this.lexicon);
  }

  private ensureScratch() {
    const size = this.records.length;
    if (this.scores.length >= size) return;
    const capacity = Math.max(1024, Math.ceil(size * 1.25));
    this.scores = new Float64Array(capacity);
    this.termScore = new Float64Array(capacity);
    this.wordScore = new Float64Array(capacity);
    this.wordBonus = new Float64Array(capacity);
    this.seen = new Int32Array(capacity);
    this.termSeen = new Int32Array(capacity);
    this.wordSeen = new Int32Array(capacity);
    this.placeSeen = new Int32Array(capacity);
    this.placeTier = new Uint8Array(capacity);
    this.placeBonus = new Float64Array(capacity);
    this.daySeen = new Int32Array(capacity);
    this.timeSeen = new Int32Array(capacity);
    this.mask = new Uint8Array(capacity);
    this.touchedBuffer = new Int32Array(capacity);
    this.unitBuffer = new Int32Array(capacity);
    this.stamp = 0;
  }

  private nextStamp(): number {
    if (this.stamp >= 2_000_000_000) {
      for (const stamps of [this.seen, this.termSeen, this.wordSeen, this.placeSeen, this.daySeen, this.timeSeen]) stamps.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  private plan(units: QueryUnit[]): UnitPlan[] {
    const live = this.slots.size;
    const common = (key: string) => live >= 20 && this.postingsOf(key).length > live * COMMON_SHARE;
    return units.map((unit) => {
      const factor = unit.corrected ? CORRECTED_FACTOR : 1;
      const terms: Alternative[] = [];
      for (const term of unit.terms) {
        const weight = (term.weight ?? WEIGHTS[term.termKind]) * factor;
        terms.push({ key: `${TERM_PREFIX[term.termKind]}:${term.code}`, weight });
        if (term.termKind === 'accessibility' && VENUE_ONLY_ACCESS.has(term.code)) {
          for (const mode of ['ONLINE', 'TELEPHONE', 'HOME_VISIT']) terms.push({ key: `m:${mode}`, weight: weight * 0.6 });
        }
      }
      const words: Alternative[] = [];
      if (unit.words.length === 1) {
        const word = unit.words[0]!;
        for (const [prefix, weight, literal] of [
          ['n', WEIGHTS.name, WEIGHTS.literalInName],
          ['k', WEIGHTS.keyword, WEIGHTS.literalInKeywords],
          ['o', WEIGHTS.organisation, WEIGHTS.literalInOrganisation],
          ['d', WEIGHTS.description, WEIGHTS.literalInDescription],
        ] as const) {
          const key = `${prefix}:${word}`;
          if (!common(key)) words.push({ key, weight: weight * factor, literal });
        }
      } else {
        for (let i = 0; i + 1 < unit.words.length; i++) {
          words.push({ key: `2:${unit.words[i]} ${unit.words[i + 1]}`, weight: WEIGHTS.pair * factor, literal: WEIGHTS.literalInName });
        }
      }
      terms.sort((a, b) => b.weight - a.weight);
      words.sort((a, b) => b.weight - a.weight);
      const termMax = terms[0]?.weight ?? 0;
      const wordMax = words[0]?.weight ?? 0;
      // The bonus for using the very words typed ranks, but a full term match already counts as a full match.
      const max = termMax > 0 ? termMax : wordMax;
      return { unit, terms, words, max };
    });
  }

  /** Adds each unit's best match to the score of every activity that has it; returns those touched. */
  private accumulate(plans: UnitPlan[]): Int32Array {
    this.ensureScratch();
    const { termSeen, termScore, wordSeen, wordScore, wordBonus, seen, scores, touchedBuffer, unitBuffer } = this;
    let touched = 0;
    const seenStamp = this.nextStamp();
    for (const plan of plans) {
      const unitStamp = this.nextStamp();
      let inUnit = 0;
      for (const alternative of plan.terms) {
        const list = this.postingsOf(alternative.key);
        for (let i = 0; i < list.length; i++) {
          const slot = list.data[i]!;
          if (termSeen[slot] === unitStamp) continue;
          termSeen[slot] = unitStamp;
          termScore[slot] = alternative.weight;
          if (wordSeen[slot] !== unitStamp) unitBuffer[inUnit++] = slot;
        }
      }
      for (const alternative of plan.words) {
        const list = this.postingsOf(alternative.key);
        for (let i = 0; i < list.length; i++) {
          const slot = list.data[i]!;
          if (wordSeen[slot] === unitStamp) continue;
          wordSeen[slot] = unitStamp;
          wordScore[slot] = alternative.weight;
          wordBonus[slot] = alternative.literal ?? 0;
          if (termSeen[slot] !== unitStamp) unitBuffer[inUnit++] = slot;
        }
      }
      for (let i = 0; i < inUnit; i++) {
        const slot = unitBuffer[i]!;
        const term = termSeen[slot] === unitStamp ? termScore[slot]! : 0;
        const word = wordSeen[slot] === unitStamp ? wordScore[slot]! : 0;
        const score = term > 0 ? term + (word > 0 ? wordBonus[slot]! : 0) : word;
        if (seen[slot] !== seenStamp) {
          seen[slot] = seenStamp;
          scores[slot] = score;
          touchedBuffer[touched++] = slot;
        } else {
          scores[slot] = scores[slot]! + score;
        }
      }
    }
    return touchedBuffer.subarray(0, touched);
  }

  /**
   * How each venue stands towards the places typed, worked out once per search over the
   * directory's locations (a few thousand), so ranking a candidate is only a lookup per venue.
   */
  private venueFits(places: QueryPlace[]): Map<IndexedLocation, PlaceFit> {
    const fits = new Map<IndexedLocation, PlaceFit>();
    for (const location of this.locations.values()) {
      if (!location.physical) continue;
      let best: PlaceFit | null = null;
      for (const place of places) {
        let fit: PlaceFit;
        if (location.placeKeys.includes(place.key)) {
          const town = place.isTown && location.city !== null && placeKey(location.city) === place.key;
          fit = { tier: 1, bonus: town ? WEIGHTS.town : WEIGHTS.area, place };
        } else {
          const km =
            place.latitude !== null && place.longitude !== null && location.latitude !== null && location.longitude !== null
              ? distanceKm(place.latitude, place.longitude, location.latitude, location.longitude)
              : undefined;
          let sameRegion = false;
          for (const key of location.placeKeys) if (place.regionKeys.has(key)) sameRegion = true;
          fit =
            sameRegion || (km !== undefined && km <= NEARBY_KM)
              ? { tier: 2, bonus: WEIGHTS.nearby * Math.max(0.2, 1 - (km ?? 50) / 100), place }
              : { tier: 3, bonus: WEIGHTS.far * Math.max(0, 1 - (km ?? 600) / 600), place };
          if (km !== undefined) fit.km = km;
        }
        if (!best || fit.tier < best.tier || (fit.tier === best.tier && fit.bonus > best.bonus)) best = fit;
      }
      if (best) fits.set(location, best);
    }
    return fits;
  }

  private placeFit(activity: IndexedActivity, places: QueryPlace[], fits: Map<IndexedLocation, PlaceFit>): PlaceFit {
    let best: PlaceFit | null = null;
    for (const venue of activity.venues) {
      const fit = fits.get(venue.location);
      if (fit && (!best || fit.tier < best.tier || (fit.tier === best.tier && fit.bonus > best.bonus))) best = { ...fit, venue };
    }
    if (REMOTE_MODES.has(activity.deliveryMode)) {
      for (let index = 0; index < activity.serviceAreaKeys.length; index++) {
        const key = activity.serviceAreaKeys[index]!;
        for (const place of places) {
          if (!place.areaKeys.has(key)) continue;
          const levels = this.places.get(key)?.levels;
          const bonus = levels?.has('country') ? WEIGHTS.remoteCountry : levels?.has('healthBoard') ? WEIGHTS.remoteRegion : WEIGHTS.remoteLocal;
          if (!best || best.tier > 1 || bonus > best.bonus) best = { tier: 1, bonus, place, area: activity.serviceAreas[index]! };
        }
      }
    }
    return best ?? { tier: 3, bonus: 0, place: places[0]! };
  }

  /** Marks, for this search, how each activity stands towards the places typed: tier 1 there, 2 nearby. */
  private markPlaces(places: QueryPlace[], fits: Map<IndexedLocation, PlaceFit>, stamp: number) {
    const mark = (slot: number, tier: number, bonus: number) => {
      if (this.placeSeen[slot] !== stamp || tier < this.placeTier[slot]! || (tier === this.placeTier[slot] && bonus > this.placeBonus[slot]!)) {
        this.placeSeen[slot] = stamp;
        this.placeTier[slot] = tier;
        this.placeBonus[slot] = bonus;
      }
    };
    for (const [location, fit] of fits) {
      if (fit.tier > 2) continue;
      const list = this.postingsOf(`l:${location.id}`);
      for (let i = 0; i < list.length; i++) mark(list.data[i]!, fit.tier, fit.bonus);
    }
    for (const place of places) {
      for (const key of place.areaKeys) {
        const levels = this.places.get(key)?.levels;
        const bonus = levels?.has('country') ? WEIGHTS.remoteCountry : levels?.has('healthBoard') ? WEIGHTS.remoteRegion : WEIGHTS.remoteLocal;
        const list = this.postingsOf(`s:${key}`);
        for (let i = 0; i < list.length; i++) mark(list.data[i]!, 1, bonus);
      }
    }
  }

  /** For an activity neither in nor near the places typed: a little for being less far away. */
  private farBonus(activity: IndexedActivity, fits: Map<IndexedLocation, PlaceFit>): number {
    let best = 0;
    for (const venue of activity.venues) best = Math.max(best, fits.get(venue.location)?.bonus ?? 0);
    return best;
  }

  search(text: string, options: SearchOptions): SearchOutcome {
    const understood = this.understand(text);
    const places = understood.places.map((key) => this.queryPlace(key)).filter((place): place is QueryPlace => place !== null);
    const plans = this.plan(understood.units);
    const first = Math.max(1, options.first);
    const filter = options.filter;
    const days = understood.days;
    const mode = understood.mode;
    const age = understood.age;

    // Everything below works on typed arrays indexed by slot: no objects per candidate, so the
    // cost stays a few milliseconds even when tens of thousands of activities match something.
    this.ensureScratch();
    let candidates: Int32Array;
    if (plans.length > 0) candidates = this.accumulate(plans);
    else {
      if (this.allSlots.length !== this.records.length) {
        this.allSlots = new Int32Array(this.records.length);
        for (let slot = 0; slot < this.allSlots.length; slot++) this.allSlots[slot] = slot;
      }
      candidates = this.allSlots;
    }
    const stamp = this.nextStamp();
    const fits = places.length > 0 ? this.venueFits(places) : null;
    if (fits) this.markPlaces(places, fits, stamp);
    for (const day of days) {
      const list = this.postingsOf(`w:${day}`);
      for (let i = 0; i < list.length; i++) this.daySeen[list.data[i]!] = stamp;
    }
    if (understood.timeOfDay) {
      const list = this.postingsOf(`t:${understood.timeOfDay}`);
      for (let i = 0; i < list.length; i++) this.timeSeen[list.data[i]!] = stamp;
    }

    // Pass 1: what each candidate fails of the sentence's constraints, and how far it is from the place.
    const { live, free, mode: modeOf, availability, minimumAge, maximumAge } = this.columns;
    const { scores, placeSeen, placeTier, records } = this;
    const maskOf = this.mask;
    const modeAllowed = new Uint8Array(MODE_CODES.length);
    for (const [index, code] of MODE_CODES.entries()) modeAllowed[index] = !mode || mode.modes.includes(code) ? 1 : 0;
    const hasPlans = plans.length > 0;
    const count = new Float64Array(16 * 4);
    const best = new Float64Array(16 * 4);
    for (let i = 0; i < candidates.length; i++) {
      const slot = candidates[i]!;
      maskOf[slot] = EXCLUDED;
      if (live[slot] === 0) continue;
      const what = hasPlans ? scores[slot]! : 0;
      if (hasPlans && what <= 0) continue;
      if (filter && !matchesFilter(records[slot]!, filter)) continue;
      let mask = 0;
      if (understood.hasPlaces && availability[slot] !== AVAILABILITY_CODES.available) mask |= BIT.places;
      if (modeAllowed[modeOf[slot]!] === 0) mask |= BIT.mode;
      if (understood.free && free[slot] === 0) mask |= BIT.free;
      if (age !== null) {
        const minimum = minimumAge[slot]!;
        const maximum = maximumAge[slot]!;
        if ((minimum !== NO_AGE && minimum > age) || (maximum !== NO_AGE && maximum < age)) mask |= BIT.age;
      }
      maskOf[slot] = mask;
      const tier = fits ? (placeSeen[slot] === stamp ? placeTier[slot]! : 3) : 1;
      const cell = mask * 4 + tier;
      count[cell]!++;
      if (what > best[cell]!) best[cell] = what;
    }

    // What the sentence asked is a filter while something still meets it; then it is let go, in order.
    const relaxed: string[] = [];
    let ignored = 0;
    const passes = (mask: number) => (mask & ~ignored) === 0;
    const total = (predicate: (mask: number) => boolean) => {
      let sum = 0;
      for (let mask = 0; mask < 16; mask++) if (predicate(mask)) for (let tier = 1; tier <= 3; tier++) sum += count[mask * 4 + tier]!;
      return sum;
    };
    for (const name of RELAX_ORDER) {
      if (total(passes) > 0) break;
      if (total((mask) => (mask & BIT[name]) !== 0) === 0) continue;
      ignored |= BIT[name];
      relaxed.push(name);
    }

    // Keep to the place typed while it offers a fair match; otherwise widen to nearby, then anywhere.
    let allowed = 3;
    if (fits) {
      const bestUpTo = [0, 0, 0, 0];
      const countUpTo = [0, 0, 0, 0];
      for (let mask = 0; mask < 16; mask++) {
        if (!passes(mask)) continue;
        for (let tier = 1; tier <= 3; tier++) {
          for (let upTo = tier; upTo <= 3; upTo++) {
            countUpTo[upTo]! += count[mask * 4 + tier]!;
            bestUpTo[upTo] = Math.max(bestUpTo[upTo]!, best[mask * 4 + tier]!);
          }
        }
      }
      if (plans.length > 0) {
        if (countUpTo[1]! > 0 && bestUpTo[1]! >= 0.5 * bestUpTo[3]!) allowed = 1;
        else if (countUpTo[2]! > 0 && bestUpTo[2]! >= 0.5 * bestUpTo[3]!) allowed = 2;
      } else if (countUpTo[1]! > 0) allowed = 1;
      else if (countUpTo[2]! > 0) allowed = 2;
      if (allowed > 1 && countUpTo[3]! > 0) relaxed.push('place');
    }

    const maxPossible =
      plans.reduce((sum, plan) => sum + plan.max, 0) +
      (places.length > 0 ? WEIGHTS.town : 0) +
      (days.length > 0 ? WEIGHTS.day : 0) +
      (understood.timeOfDay ? WEIGHTS.time : 0) +
      (mode ? WEIGHTS.modeFit : 0) +
      (understood.cheap ? WEIGHTS.cheap : 0);

    // Pass 2: score what passes and keep the best `first`.
    const top: Array<{ slot: number; total: number; activity: IndexedActivity }> = [];
    let matched = 0;
    const ahead = (total: number, slot: number, other: { slot: number; total: number; activity: IndexedActivity }) => {
      // The directory issue's rule: activities without places rank below those with places.
      const full = availability[slot] === AVAILABILITY_CODES.full;
      const otherFull = availability[other.slot] === AVAILABILITY_CODES.full;
      if (full !== otherFull) return otherFull;
      if (total !== other.total) return total > other.total;
      if (availability[slot] !== availability[other.slot]) return availability[slot]! < availability[other.slot]!;
      const activity = records[slot]!;
      if (activity.name !== other.activity.name) return activity.name < other.activity.name;
      return activity.id < other.activity.id;
    };
    const { placeBonus, daySeen, timeSeen } = this;
    const wantDays = days.length > 0;
    const wantTime = understood.timeOfDay !== null;
    const modeExact = MODE_CODES.map((code) => (!mode ? 0 : !mode.modes.includes(code) ? 0 : code === 'HYBRID' ? WEIGHTS.modeFit / 2 : WEIGHTS.modeFit));
    for (let i = 0; i < candidates.length; i++) {
      const slot = candidates[i]!;
      const mask = maskOf[slot]!;
      if (mask === EXCLUDED || (mask & ~ignored) !== 0) continue;
      const tier = fits ? (placeSeen[slot] === stamp ? placeTier[slot]! : 3) : 1;
      if (tier > allowed) continue;
      matched++;
      let raw = hasPlans ? scores[slot]! : 0;
      if (fits) raw += tier < 3 ? placeBonus[slot]! : this.farBonus(records[slot]!, fits);
      if (wantDays && daySeen[slot] === stamp) raw += WEIGHTS.day;
      if (wantTime && timeSeen[slot] === stamp) raw += WEIGHTS.time;
      raw += modeExact[modeOf[slot]!]!;
      if (understood.cheap && free[slot] === 1) raw += WEIGHTS.cheap;
      const score = (maxPossible > 0 ? raw : 1) * (availability[slot] === AVAILABILITY_CODES.full ? FULL_FACTOR : 1);
      if (top.length === first && !ahead(score, slot, top[top.length - 1]!)) continue;
      let at = top.length;
      while (at > 0 && ahead(score, slot, top[at - 1]!)) at--;
      top.splice(at, 0, { slot, total: score, activity: records[slot]! });
      if (top.length > first) top.pop();
    }

    const hits = top.map(({ slot, total, activity }) => ({
      id: activity.id,
      score: Math.round(Math.min(1, Math.max(0, maxPossible > 0 ? total / maxPossible : total)) * 1000) / 1000,
      reasons: this.reasons(slot, activity, understood, fits ? this.placeFit(activity, places, fits) : null),
    }));
    return { hits, understood, relaxed, matched };
  }

  /** Why an activity was returned, in plain words, most important first. */
  private reasons(slot: number, activity: IndexedActivity, understood: UnderstoodQuery, fit: PlaceFit | null): string[] {
    const reasons: string[] = [];
    const add = (reason: string | null | undefined) => {
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    };
    for (const unit of understood.units) add(this.unitReason(slot, activity, unit));

    if (understood.free || understood.cheap) add(activity.isFree ? 'Free' : understood.free ? `Not free: ${activity.fees ?? 'there is a charge'}` : null);
    if (understood.mode) {
      const fits = understood.mode.modes.includes(activity.deliveryMode);
      add(fits ? explain.modeReason(activity.deliveryMode) : `Not ${understood.mode.label}: ${explain.modeReason(activity.deliveryMode).toLowerCase()}`);
    }
    if (understood.age !== null) {
      const limited = activity.minimumAge !== null || activity.maximumAge !== null;
      if (!ageFits(activity, understood.age)) add(`${explain.ageRange(activity.minimumAge, activity.maximumAge)}, so not for someone aged ${understood.age}`);
      else if (limited) add(`Open to someone aged ${understood.age}`);
    }
    if (fit || understood.days.length > 0 || understood.timeOfDay) add(this.whenAndWhere(activity, understood, fit));
    if (understood.hasPlaces && activity.availability === 'available') add('Places available');
    if (activity.availability === 'full') add(activity.waitingListOpen ? 'No places at the moment – waiting list open' : 'No places at the moment');
    return reasons;
  }

  private unitReason(slot: number, activity: IndexedActivity, unit: QueryUnit): string | null {
    const terms = [...unit.terms].sort((a, b) => (b.weight ?? WEIGHTS[b.termKind]) - (a.weight ?? WEIGHTS[a.termKind]));
    for (const term of terms) {
      switch (term.termKind) {
        case 'condition':
          if (activity.conditions.includes(term.code)) return explain.conditionReason(term.code);
          break;
        case 'group':
          if (activity.groups.includes(term.code)) return explain.groupReason(term.code);
          break;
        case 'activityType':
          if (activity.activityTypes.includes(term.code)) return explain.activityTypeReason(term.code);
          break;
        case 'benefit':
          if (activity.benefits.includes(term.code)) return explain.benefitReason(term.code);
          break;
        case 'accessibility':
          if (activity.venues.some((venue) => venue.location.physical && venue.location.accessibility.includes(term.code))) {
            return explain.accessibilityReason(term.code);
          }
          if (VENUE_ONLY_ACCESS.has(term.code) && ['ONLINE', 'TELEPHONE', 'HOME_VISIT'].includes(activity.deliveryMode)) {
            return 'From home, so no venue to get to';
          }
          if (activity.venues.some((venue) => venue.location.physical) && unit.terms.length === 1) {
            // Asked for and not listed: say so rather than leave it to be found out at the door.
            return `${explain.accessibilityReason(term.code)} not listed`;
          }
          break;
      }
    }
    const quoted = `"${unit.text}"`;
    if (unit.words.length === 1) {
      const word = unit.words[0]!;
      if (this.has(slot, `n:${word}`) || this.has(slot, `k:${word}`)) return `Matches ${quoted}`;
      if (this.has(slot, `o:${word}`)) return `Run by an organisation matching ${quoted}`;
      if (this.has(slot, `d:${word}`)) return `Description mentions ${quoted}`;
    } else {
      for (let i = 0; i + 1 < unit.words.length; i++) {
        if (this.has(slot, `2:${unit.words[i]} ${unit.words[i + 1]}`)) return `Matches ${quoted}`;
      }
    }
    return null;
  }

  /** "Tuesdays 2pm in Dundee", "Thursdays 10:30am, online for people in Scotland", "In Perth, about 30 km from Dundee". */
  private whenAndWhere(activity: IndexedActivity, understood: UnderstoodQuery, fit: PlaceFit | null): string | null {
    const days: readonly DayOfWeek[] = understood.days;
    const wanted = (venue: IndexedVenue) => days.length === 0 || venue.schedules.some((schedule) => explain.runsOn(schedule, days));
    const physical = activity.venues.filter((venue) => venue.location.physical);
    const venue = fit?.venue ?? physical.find(wanted) ?? physical[0];
    const pool = [...(venue?.schedules ?? []), ...activity.schedules, ...activity.venues.flatMap((at) => at.schedules)];
    const schedule =
      pool.find((item) => (days.length === 0 || explain.runsOn(item, days)) && (!understood.timeOfDay || explain.opensIn(item, understood.timeOfDay))) ??
      pool.find((item) => days.length === 0 || explain.runsOn(item, days)) ??
      pool[0];
    const when = schedule ? explain.describeSchedule(schedule) : null;
    const dayNote =
      days.length > 0 && !pool.some((item) => explain.runsOn(item, days)) ? ` (not on ${days.map((day) => explain.describeSchedule({ freq: 'WEEKLY', interval: 1, byday: day, opensAt: null, description: null })).join(' or ')})` : '';

    if (fit?.area) {
      const how = activity.deliveryMode === 'TELEPHONE' ? 'by phone' : activity.deliveryMode === 'HOME_VISIT' ? 'home visits' : 'online';
      return explain.capitalise(`${when ? `${when}, ` : ''}${how} for people in ${fit.area}${dayNote}`);
    }
    if (venue && venue.location.physical && venue.location.city) {
      const where = `in ${venue.location.city}`;
      const distance = fit && fit.tier > 1 && fit.km !== undefined ? `, about ${Math.max(1, Math.round(fit.km))} km from ${fit.place.name}` : fit && fit.tier > 1 ? `, not in ${fit.place.name}` : '';
      return explain.capitalise(`${when ? `${when} ` : ''}${where}${distance}${dayNote}`);
    }
    const how = explain.modeReason(activity.deliveryMode).toLowerCase();
    const areas = activity.serviceAreas.length > 0 ? ` for people in ${activity.serviceAreas.join(', ')}` : '';
    const notHere = fit && fit.tier > 1 ? `, not ${fit.place.name}` : '';
    return explain.capitalise(`${when ? `${when}, ` : ''}${how}${areas}${notHere}${dayNote}`);
  }

  /**
   * Drops the dead slots updates leave behind and renumbers the live ones. The new lists are
   * built beside the old ones, pausing now and then, and swapped in at the end, so searches in
   * between keep reading a consistent index. Only run it where no upsert can interleave (the
   * index's queue).
   */
  async compact(pause: () => Promise<void>) {
    const next = new Int32Array(this.records.length).fill(-1);
    const records: Array<IndexedActivity | undefined> = [];
    for (let slot = 0; slot < this.records.length; slot++) {
      const activity = this.records[slot];
      if (!activity) continue;
      next[slot] = records.length;
      records.push(activity);
    }
    const postings = new Map<string, PostingList>();
    let done = 0;
    for (const [key, list] of this.postings) {
      const copy = list.remapped(next);
      if (copy.length > 0) postings.set(key, copy);
      if (++done % 2000 === 0) await pause();
    }
    const columns = new Columns();
    records.forEach((activity, slot) => columns.set(slot, activity!));
    this.records = records;
    this.postings = postings;
    this.columns = columns;
    this.slots.clear();
    records.forEach((activity, slot) => this.slots.set(activity!.id, slot));
    this.dead = 0;
    this.scores = new Float64Array(0);
    this.ensureScratch();
  }
}
