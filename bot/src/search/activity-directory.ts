import type { Logger } from '@sp/runtime/logger';
import type { Activity } from './activity-search';
import type { GatewayClient } from './gateway-client';

/** The whole directory, fetched through the gateway a page at a time and kept briefly in memory. */
export interface ActivityDirectory {
  /**
   * The current snapshot. The same array is returned until it is refreshed, so callers can
   * cache work (such as a search index) against it.
   */
  list(): Promise<readonly Activity[]>;
}

export interface ActivityDirectoryOptions {
  gateway: GatewayClient;
  logger: Logger;
  /** How long a snapshot is used before it is fetched again. */
  ttlMs?: number;
  /** How long an old snapshot may still be used when a refresh fails. */
  maxStaleMs?: number;
  /** After a failed refresh, how long to keep serving the old snapshot before trying again. */
  retryAfterMs?: number;
  /** Stop paging after this many activities (a whole-directory scan has to stay cheap). */
  maxActivities?: number;
  /** Page size asked of the gateway (its maximum is 100). */
  pageSize?: number;
  now?: () => number;
}

export const DIRECTORY_DEFAULTS = {
  ttlMs: 60_000,
  maxStaleMs: 15 * 60_000,
  retryAfterMs: 10_000,
  maxActivities: 2_000,
  pageSize: 100,
} as const;

interface Snapshot {
  activities: readonly Activity[];
  fetchedAt: number;
}

export function createActivityDirectory(options: ActivityDirectoryOptions): ActivityDirectory {
  const { gateway, logger } = options;
  const ttlMs = options.ttlMs ?? DIRECTORY_DEFAULTS.ttlMs;
  const maxStaleMs = options.maxStaleMs ?? DIRECTORY_DEFAULTS.maxStaleMs;
  const retryAfterMs = options.retryAfterMs ?? DIRECTORY_DEFAULTS.retryAfterMs;
  const maxActivities = options.maxActivities ?? DIRECTORY_DEFAULTS.maxActivities;
  const pageSize = options.pageSize ?? DIRECTORY_DEFAULTS.pageSize;
  const now = options.now ?? Date.now;

  let snapshot: Snapshot | undefined;
  let inFlight: Promise<Snapshot> | undefined;
  let failedAt: number | undefined;

  async function fetchAll(): Promise<Snapshot> {
    const started = now();
    const activities: Activity[] = [];
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    let skipped = 0;
    let truncated = false;
    for (;;) {
      const page = await gateway.activitiesPage(Math.min(pageSize, maxActivities - activities.length), after);
      pages += 1;
      skipped += page.skipped;
      for (const activity of page.activities) {
        if (seen.has(activity.id)) continue;
        seen.add(activity.id);
        activities.push(activity);
      }
      if (!page.hasNextPage || page.endCursor == null || page.endCursor === after) break;
      if (activities.length >= maxActivities) {
        truncated = true;
        break;
      }
      after = page.endCursor;
    }
    if (truncated) logger.warn({ maxActivities }, 'directory larger than the cap; the bot searches only the first part');
    if (skipped > 0) logger.warn({ skipped }, 'directory records in an unexpected shape were left out');
    logger.info({ activities: activities.length, pages, durationMs: now() - started }, 'directory loaded');
    return { activities, fetchedAt: now() };
  }

  function refresh(): Promise<Snapshot> {
    inFlight ??= fetchAll().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    async list() {
      if (snapshot && now() - snapshot.fetchedAt < ttlMs) return snapshot.activities;
      const usable = snapshot && now() - snapshot.fetchedAt < maxStaleMs ? snapshot : undefined;
      // A failing gateway is not asked again on every message: the old copy is used for a while.
      if (usable && failedAt !== undefined && now() - failedAt < retryAfterMs) return usable.activities;
      try {
        snapshot = await refresh();
        failedAt = undefined;
        return snapshot.activities;
      } catch (error) {
        failedAt = now();
        if (snapshot && now() - snapshot.fetchedAt < maxStaleMs) {
          logger.warn({ err: error, ageMs: now() - snapshot.fetchedAt }, 'directory refresh failed; using the previous copy');
          return snapshot.activities;
        }
        throw error;
      }
    },
  };
}
