// The search index as a service: loads every activity into the in-memory engine at start (in
// chunks, yielding to the event loop between them), then keeps it fresh:
//  - `refresh(ids)` for writes made by this process (the directory mutations should call it);
//  - a poller, every 500 ms, for writes made by anyone (`npm run import:oruk` writes straight to
//    the database). It first asks whether anything was written at all, which costs nothing
//    (SQLite: data_version and total_changes; PostgreSQL: the WAL position). If so it reads the
//    newest updatedAt of activities and locations, the newest capacity change and the count of
//    activities, and reloads just the activities whose updatedAt, venue or capacity moved. It
//    also counts the rows under activities (venues, places, terms, areas, schedules, venue
//    accessibility) and checks the reloads account for the difference; a change nothing
//    accounts for (a row edited without touching its activity) means a full reload in the
//    background, while searches keep using the current index.
// Changes to the index are applied one at a time through a queue; the poller never overlaps
// itself; `close()` stops it and waits for work in progress.
import type { Logger } from '@sp/runtime/logger';
import type { ProviderClient } from '@sp/prisma/provider';
import { SearchEngine, type SearchOptions, type SearchOutcome } from './engine';
import { childCountsOf, LOCATION_SELECT, NO_CHILDREN, readActivityRows, StringPool, toIndexedActivity, toIndexedLocation, type ActivityRow, type ChildCounts } from './records';
import type { UnderstoodQuery } from './understand';

export { SearchEngine, WEIGHTS, FULL_FACTOR, type SearchHit, type SearchOutcome, type SearchOptions } from './engine';
export { understandQuery, type UnderstoodQuery, type QueryUnit } from './understand';
export type { ResolvedActivityFilter } from './filter-match';

export interface ActivitySearchIndexOptions {
  logger?: Logger;
  /** How often to look for changes made by other processes (default 500 ms). */
  pollIntervalMs?: number;
  /** Activities read per query while loading (default 200): small enough that no chunk blocks the event loop for long. */
  chunkSize?: number;
  /** Re-read rows changed this long before the newest change seen, for writes that commit late (default 30 s). */
  overlapMs?: number;
  /** A full reload now and then, as a safety net for changes no signature shows (default 30 minutes; 0 never). */
  fullReloadIntervalMs?: number;
}

export interface SearchIndexStats {
  activities: number;
  deadSlots: number;
  buildMs: number | null;
  reloads: number;
  lastChangeAt: Date | null;
}

type Signature = Record<string, string>;

/** What the index last read of an activity, active or not: to tell which rows a change accounts for. */
interface Tracked {
  updatedAt: number;
  children: ChildCounts;
}

/** Expected change of each child part of the signature, from the rows the index reloaded. */
type Deltas = Record<keyof ChildCounts | 'access', number>;
const noDeltas = (): Deltas => ({ venues: 0, places: 0, waiting: 0, terms: 0, areas: 0, schedules: 0, access: 0 });

/**
 * What the poller compares. The timestamp parts move with any write that touches an activity, a
 * location or capacity; the child parts count the rows under them, which carry no timestamp. On
 * SQLite each part is its own query with a turn of the event loop between (a query there runs on
 * the main thread); on PostgreSQL they go in one query.
 */
const TIMESTAMP_PARTS: Record<string, string> = {
  activities: 'count(*) FROM "Activity"',
  activityMax: 'max("updatedAt") FROM "Activity"',
  locationMax: 'max("updatedAt") FROM "Location"',
  capacityMax: 'max("capacityUpdatedAt") FROM "ServiceAtLocation"',
};
const CHILD_PARTS: Record<string, string> = {
  venues: 'count(*) FROM "ServiceAtLocation"',
  places: 'sum("placesRemaining") FROM "ServiceAtLocation"',
  waiting: 'sum(CASE WHEN "waitingListOpen" THEN 1 ELSE 0 END) FROM "ServiceAtLocation"',
  terms: 'count(*) FROM "ActivityTerm"',
  areas: 'count(*) FROM "ServiceArea"',
  schedules: 'count(*) FROM "Schedule"',
  access: 'count(*) FROM "LocationAccessibility"',
};
/**
 * SQLite: whether anything at all was written since the last look. data_version moves when
 * another connection commits; total_changes counts this connection's own writes. Both are free.
 */
const SQLITE_WRITES = 'SELECT (SELECT data_version FROM pragma_data_version()) AS "version", total_changes() AS "changes"';
/**
 * PostgreSQL: the write-ahead log position moves with every write in the cluster (other schemas
 * too, so it says "maybe" rather than "yes"), and reading it costs nothing.
 */
const POSTGRES_WRITES = 'SELECT pg_current_wal_lsn()::text AS "version", 0 AS "changes"';
/** Where no free write check works (a PostgreSQL standby, say), the child parts are read this often; the timestamp parts at every poll. */
const CHILD_PARTS_EVERY_MS = 5000;
/** Id ranges that split any set of string ids (UUIDs spread evenly over them), for scans in parts. */
const ID_RANGES: Array<{ gte?: string; lt?: string }> = [{ lt: '4' }, { gte: '4', lt: '8' }, { gte: '8', lt: 'c' }, { gte: 'c' }];
const ID_CHUNK = 5000;
/** Activities indexed between two turns of the event loop. */
const INDEX_SLICE = 50;

export class SearchIndexClosedError extends Error {
  constructor() {
    super('The search index is closed.');
  }
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function asTime(value: string | undefined): number {
  if (!value) return 0;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? 0 : time;
}

export class ActivitySearchIndex {
  private engine = new SearchEngine();
  private pool = new StringPool();
  private organisationNames = new Map<string, string>();
  private tracked = new Map<string, Tracked>();
  /** Accessibility rows per location id, for every location. */
  private accessCounts = new Map<string, number>();
  private readonly pollIntervalMs: number;
  private chunkSize: number;
  private readonly overlapMs: number;
  private readonly fullReloadIntervalMs: number;
  private readonly logger: Logger | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private started: Promise<void> | null = null;
  private ready = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private seen: Signature | null = null;
  /** The write token as last read; null where there is none, undefined until known. */
  private writes: string | null | undefined = undefined;
  private writesSql: string | null = SQLITE_WRITES;
  /** True on SQLite, where queries run on the main thread: read in small pieces with turns between. */
  private onMainThread = false;
  private readonly chunkOption: number | undefined;
  private childPartsReadAt = 0;
  private lastFullReload = 0;
  private buildMs: number | null = null;
  private reloads = 0;
  private lastChangeAt: Date | null = null;

  constructor(
    private readonly db: ProviderClient,
    options: ActivitySearchIndexOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.chunkOption = options.chunkSize;
    this.chunkSize = options.chunkSize ?? 200;
    this.overlapMs = options.overlapMs ?? 30_000;
    this.fullReloadIntervalMs = options.fullReloadIntervalMs ?? 30 * 60_000;
    this.logger = options.logger;
  }

  /** Loads the directory and starts watching it. Safe to call more than once. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = this.enqueue(async () => {
        const began = performance.now();
        // The write token now, before reading: anything written during the build shows at the first poll.
        this.writes = await this.readWrites();
        this.onMainThread = this.writesSql === SQLITE_WRITES && this.writes !== null;
        if (this.writes === null) {
          this.writesSql = POSTGRES_WRITES;
          this.writes = await this.readWrites();
          if (this.writes === null) this.writesSql = null;
        }
        // On PostgreSQL a query does not hold up the event loop while the server works: read more at a time.
        this.chunkSize = this.chunkOption ?? (this.onMainThread ? 200 : 1000);
        this.seen = await this.readSignature();
        const loaded = await this.loadAll();
        this.engine = loaded.engine;
        this.tracked = loaded.tracked;
        this.accessCounts = loaded.accessCounts;
        this.buildMs = performance.now() - began;
        this.lastFullReload = Date.now();
        this.ready = true;
        this.logger?.info({ activities: this.engine.size, ms: Math.round(this.buildMs) }, 'search index built');
        this.schedulePoll();
      });
      this.started.catch((error: unknown) => {
        if (!(error instanceof SearchIndexClosedError)) this.logger?.error({ err: error }, 'search index failed to build');
      });
    }
    return this.started;
  }

  /** Resolves once the index is built (starting it if needed). */
  whenReady(): Promise<void> {
    return this.start();
  }

  get isReady(): boolean {
    return this.ready && !this.closed;
  }

  get size(): number {
    return this.engine.size;
  }

  stats(): SearchIndexStats {
    return { activities: this.engine.size, deadSlots: this.engine.deadSlots, buildMs: this.buildMs, reloads: this.reloads, lastChangeAt: this.lastChangeAt };
  }

  /** Ranks active activities for what someone typed. Synchronous; the index must be ready. */
  search(query: string, options: SearchOptions): SearchOutcome {
    if (!this.ready) throw new Error('The search index is not ready yet.');
    return this.engine.search(query, options);
  }

  understand(query: string): UnderstoodQuery {
    return this.engine.understand(query);
  }

  /**
   * Reloads these activities from the database now: call it after this process changes them
   * (created, edited, closed or deleted). Resolves when searches see the change.
   */
  async refresh(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0 || this.closed) return;
    await this.start();
    await this.enqueue(async () => {
      const deltas = await this.reload(wanted, true);
      // The poller will see these writes too: count the rows they changed as seen, so it does not
      // mistake them for changes nothing accounts for. Timestamps are left for it to compare.
      const seen = { ...(this.seen ?? {}) };
      for (const part of Object.keys(CHILD_PARTS)) seen[part] = String(Number(seen[part] || 0) + deltas[part as keyof Deltas]);
      this.seen = seen;
    });
  }

  /** Stops the poller and waits for work in progress. The database stays open: it is the caller's. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    await this.queue.catch(() => undefined);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new SearchIndexClosedError();
      return task();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private schedulePoll() {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.polling = this.poll()
        .catch((error: unknown) => {
          if (!this.closed) this.logger?.warn({ err: error }, 'search index could not check for changes');
        })
        .finally(() => {
          this.polling = null;
          this.schedulePoll();
        });
    }, this.pollIntervalMs);
    // A forgotten index must not keep a process alive; close() is still the way to stop it.
    this.timer.unref();
  }

  /** Reads parts of the signature: one query each on SQLite (with turns between), all in one query elsewhere. */
  private async readParts(parts: Record<string, string>): Promise<Signature> {
    const signature: Signature = {};
    if (this.onMainThread) {
      for (const [key, expression] of Object.entries(parts)) {
        const rows = await this.db.$queryRawUnsafe<Array<{ value: unknown }>>(`SELECT (SELECT ${expression}) AS "value"`);
        signature[key] = asText(rows[0]?.value);
        await pause();
      }
      return signature;
    }
    const columns = Object.entries(parts).map(([key, expression]) => `(SELECT ${expression}) AS "${key}"`);
    const rows = await this.db.$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT ${columns.join(', ')}`);
    for (const key of Object.keys(parts)) signature[key] = asText(rows[0]?.[key]);
    return signature;
  }

  private async readSignature(): Promise<Signature> {
    const signature = { ...(await this.readParts(TIMESTAMP_PARTS)), ...(await this.readParts(CHILD_PARTS)) };
    this.childPartsReadAt = Date.now();
    return signature;
  }

  /** A token that changes with every write (SQLite: exactly; PostgreSQL: any write in the cluster); null where none works. */
  private async readWrites(): Promise<string | null> {
    if (this.writesSql === null) return null;
    try {
      const rows = await this.db.$queryRawUnsafe<Array<{ version: unknown; changes: unknown }>>(this.writesSql);
      return `${asText(rows[0]?.version)}:${asText(rows[0]?.changes)}`;
    } catch {
      return null;
    }
  }

  private async poll() {
    if (this.closed || !this.ready) return;
    if (this.fullReloadIntervalMs > 0 && Date.now() - this.lastFullReload > this.fullReloadIntervalMs) {
      await this.enqueue(() => this.reloadEverything('scheduled'));
      return;
    }
    const writes = await this.readWrites();
    if (writes !== null) {
      // Nothing written since the last look means nothing to read.
      if (writes === this.writes) return;
      this.writes = writes;
    }
    const seen = this.seen ?? {};
    const stamps = await this.readParts(TIMESTAMP_PARTS);
    if (Object.keys(TIMESTAMP_PARTS).some((key) => stamps[key] !== seen[key])) {
      // Activities, locations or capacity changed: reload those. The rows under them changed with
      // them; whatever else changed under other activities (no timestamp moved) shows as a
      // difference between the child parts and what the reloaded rows account for.
      await this.enqueue(async () => {
        const before = this.seen ?? {};
        const children = await this.readParts(CHILD_PARTS);
        this.childPartsReadAt = Date.now();
        const expected = await this.applyChanges(stamps);
        this.seen = { ...this.seen, ...children };
        const unexplained = Object.keys(CHILD_PARTS).filter((part) => Number(children[part] || 0) - Number(before[part] || 0) !== expected[part as keyof Deltas]);
        if (unexplained.length > 0) await this.reloadEverything(`unattributed change (${unexplained.join(', ')})`);
      });
      return;
    }
    if (writes === null && Date.now() - this.childPartsReadAt < CHILD_PARTS_EVERY_MS) return;
    const children = await this.readParts(CHILD_PARTS);
    this.childPartsReadAt = Date.now();
    if (Object.keys(CHILD_PARTS).some((key) => children[key] !== seen[key])) {
      // Rows under an activity changed with no timestamp moving: nothing says which activity, so
      // read them all again (in the background, in chunks; searches use the old index meanwhile).
      await this.enqueue(() => this.reloadEverything('unattributed change'));
    }
  }

  /** Ids, updatedAt and status of activities changed since `since`, read a quarter of the table at a time. */
  private async changedSince(since: Date) {
    const rows: Array<{ id: string; updatedAt: Date; status: string }> = [];
    for (const range of this.onMainThread ? ID_RANGES : [{}]) {
      rows.push(...(await this.db.activity.findMany({ where: { id: range, updatedAt: { gt: since } }, select: { id: true, updatedAt: true, status: true } })));
      await pause();
    }
    return rows;
  }

  /** Works out which activities a change of the timestamp parts touched, and reloads them. */
  private async applyChanges(after: Signature): Promise<Deltas> {
    const before = this.seen ?? {};
    const changed = new Set<string>();
    const deltas = noDeltas();

    if (after.activityMax !== before.activityMax || after.activities !== before.activities) {
      const rows = await this.changedSince(new Date(asTime(before.activityMax) - this.overlapMs));
      for (const row of rows) if (this.tracked.get(row.id)?.updatedAt !== row.updatedAt.getTime()) changed.add(row.id);
      if (Number(after.activities) < Number(before.activities)) {
        for (const id of await this.reconcileIds()) changed.add(id);
      }
    }

    if (after.locationMax !== before.locationMax) {
      const since = new Date(asTime(before.locationMax) - this.overlapMs);
      const locations = await this.db.location.findMany({ where: { updatedAt: { gt: since } }, select: LOCATION_SELECT });
      const moved: string[] = [];
      for (const row of locations) {
        deltas.access += row.accessibility.length - (this.accessCounts.get(row.id) ?? 0);
        this.accessCounts.set(row.id, row.accessibility.length);
        if (!this.engine.locations.has(row.id)) continue;
        if (this.engine.setLocation(toIndexedLocation(row, this.pool))) moved.push(row.id);
      }
      if (moved.length > 0) {
        const links = await this.db.serviceAtLocation.findMany({ where: { locationId: { in: moved } }, select: { activityId: true } });
        for (const link of links) changed.add(link.activityId);
      }
    }

    if (after.capacityMax !== before.capacityMax) {
      const since = new Date(asTime(before.capacityMax) - this.overlapMs);
      const rows = await this.db.serviceAtLocation.findMany({ where: { capacityUpdatedAt: { gt: since } }, select: { activityId: true, placesRemaining: true, waitingListOpen: true, locationId: true } });
      for (const row of rows) {
        const venue = this.engine.get(row.activityId)?.venues.find((at) => at.location.id === row.locationId);
        if (!venue || venue.placesRemaining !== row.placesRemaining || venue.waitingListOpen !== row.waitingListOpen) changed.add(row.activityId);
      }
    }

    this.seen = { ...this.seen, ...after };
    if (changed.size > 0) {
      const reloaded = await this.reload([...changed], false);
      for (const key of Object.keys(reloaded) as Array<keyof Deltas>) deltas[key] += reloaded[key];
    }
    return deltas;
  }

  /** Ids whose presence differs between the database and what the index has read (deleted or missed). */
  private async reconcileIds(): Promise<string[]> {
    const inDatabase = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.db.activity.findMany({
        where: cursor ? { id: { gt: cursor } } : {},
        select: { id: true },
        orderBy: { id: 'asc' },
        take: ID_CHUNK,
      });
      for (const row of rows) inDatabase.add(row.id);
      if (rows.length < ID_CHUNK) break;
      cursor = rows[rows.length - 1]!.id;
      await pause();
    }
    const differing: string[] = [];
    for (const id of this.tracked.keys()) if (!inDatabase.has(id)) differing.push(id);
    for (const id of inDatabase) if (!this.tracked.has(id)) differing.push(id);
    return differing;
  }

  private async reloadEverything(why: string) {
    const began = performance.now();
    const signature = await this.readSignature();
    const loaded = await this.loadAll();
    this.engine = loaded.engine;
    this.tracked = loaded.tracked;
    this.accessCounts = loaded.accessCounts;
    this.seen = signature;
    this.lastFullReload = Date.now();
    this.reloads++;
    this.lastChangeAt = new Date();
    this.logger?.info({ activities: this.engine.size, ms: Math.round(performance.now() - began), why }, 'search index reloaded');
  }

  /** Reads every activity into a new engine (the active ones) and tracking maps (all), a chunk at a time. */
  private async loadAll(): Promise<{ engine: SearchEngine; tracked: Map<string, Tracked>; accessCounts: Map<string, number> }> {
    const engine = new SearchEngine();
    const tracked = new Map<string, Tracked>();
    const accessCounts = new Map<string, number>();
    this.pool = new StringPool();
    this.organisationNames = new Map();
    for (const location of await this.db.location.findMany({ select: { id: true, _count: { select: { accessibility: true } } } })) {
      accessCounts.set(location.id, location._count.accessibility);
    }
    let cursor: string | undefined;
    for (;;) {
      if (this.closed) throw new SearchIndexClosedError();
      // By id alone, so the database walks its primary key; a status condition here makes SQLite
      // scan and sort every active row for each chunk. Closed listings are dropped below.
      const rows = await readActivityRows(this.db, cursor ? { id: { gt: cursor } } : {}, this.chunkSize, this.organisationNames, pause);
      if (rows.length === 0) break;
      for (const row of rows) tracked.set(row.id, { updatedAt: row.updatedAt.getTime(), children: childCountsOf(row) });
      const active = rows.filter((row) => row.status === 'ACTIVE');
      await this.loadLocations(engine, active, false);
      await this.index(engine, active);
      cursor = rows[rows.length - 1]!.id;
      if (rows.length < this.chunkSize) break;
    }
    await engine.warm(pause);
    return { engine, tracked, accessCounts };
  }

  /** Indexes rows a slice at a time, letting other work run in between. */
  private async index(engine: SearchEngine, rows: ActivityRow[]) {
    for (let start = 0; start < rows.length; start += INDEX_SLICE) {
      for (const row of rows.slice(start, start + INDEX_SLICE)) {
        const { activity, words } = toIndexedActivity(row, engine.locations, this.pool);
        engine.upsert(activity, words);
      }
      await pause();
    }
  }

  /**
   * Reloads some activities into the live engine; removes those gone or no longer active. Returns
   * how much the rows under them changed since last read, for the poller's accounting.
   */
  private async reload(ids: string[], refreshLocations: boolean): Promise<Deltas> {
    const deltas = noDeltas();
    const account = (id: string, now: ChildCounts, updatedAt: number | null) => {
      const previous = this.tracked.get(id)?.children ?? NO_CHILDREN;
      for (const key of Object.keys(now) as Array<keyof ChildCounts>) deltas[key] += now[key] - previous[key];
      if (updatedAt === null) this.tracked.delete(id);
      else this.tracked.set(id, { updatedAt, children: now });
    };
    for (let start = 0; start < ids.length; start += this.chunkSize) {
      if (this.closed) throw new SearchIndexClosedError();
      const chunk = ids.slice(start, start + this.chunkSize);
      // Organisation names may have changed: read them afresh for the activities reloaded.
      const rows = await readActivityRows(this.db, { id: { in: chunk } }, undefined, new Map(), pause);
      const moved = await this.loadLocations(this.engine, rows.filter((row) => row.status === 'ACTIVE'), refreshLocations, deltas);
      if (moved.length > 0) {
        // A venue changed (its accessibility, say): every activity there needs re-indexing, not only these.
        const links = await this.db.serviceAtLocation.findMany({ where: { locationId: { in: moved } }, select: { activityId: true } });
        for (const link of links) if (!ids.includes(link.activityId)) ids.push(link.activityId);
      }
      const found = new Set<string>();
      for (const row of rows) {
        found.add(row.id);
        account(row.id, childCountsOf(row), row.updatedAt.getTime());
        if (row.status === 'ACTIVE') {
          const { activity, words } = toIndexedActivity(row, this.engine.locations, this.pool);
          this.engine.upsert(activity, words);
        } else this.engine.remove(row.id);
      }
      for (const id of chunk) {
        if (found.has(id)) continue;
        account(id, NO_CHILDREN, null);
        this.engine.remove(id);
      }
      await pause();
    }
    this.lastChangeAt = new Date();
    if (this.engine.deadSlots > Math.max(1000, this.engine.size * 0.25)) await this.engine.compact(pause);
    return deltas;
  }

  /** Reads the locations these activities use that the engine lacks (all of them when forced); returns ids of known ones that changed. */
  private async loadLocations(engine: SearchEngine, rows: Array<{ serviceAtLocations: Array<{ locationId: string }> }>, force: boolean, deltas?: Deltas): Promise<string[]> {
    const wanted = new Set<string>();
    for (const row of rows) for (const at of row.serviceAtLocations) if (force || !engine.locations.has(at.locationId)) wanted.add(at.locationId);
    if (wanted.size === 0) return [];
    const locations = await this.db.location.findMany({ where: { id: { in: [...wanted] } }, select: LOCATION_SELECT });
    await pause();
    const moved: string[] = [];
    for (const row of locations) {
      if (deltas) {
        deltas.access += row.accessibility.length - (this.accessCounts.get(row.id) ?? 0);
        this.accessCounts.set(row.id, row.accessibility.length);
      }
      if (engine.setLocation(toIndexedLocation(row, this.pool))) moved.push(row.id);
    }
    return moved;
  }
}
