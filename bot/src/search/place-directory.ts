import { z } from 'zod';
import type { Logger } from '@sp/runtime/logger';
import { PlaceIndex, type PlaceList, type PlaceSource } from '../conversation/places';
import { GatewayError, type GatewayClient } from './gateway-client';

/**
 * The towns and areas of the directory, fetched through the gateway once and kept, so the bot
 * can tell "Dundee" (or "dundeee", or "DD1") is a place. Fetched again after `ttlMs`; when the
 * gateway cannot answer, the last list is kept (or an empty one, and the bot goes by wording)
 * and it is not asked again for `retryMs`, so a turn is never held up by a gateway that is down.
 */

const PLACES_QUERY = /* GraphQL */ `
  query BotPlaces($first: Int!, $after: String) {
    activities(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { town area venues { location { city postalCode healthBoard localAuthority } } } }
    }
  }
`;

const pageSchema = z.object({
  activities: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    edges: z.array(
      z.object({
        node: z.object({
          town: z.string().nullable(),
          area: z.string().nullable(),
          venues: z.array(
            z.object({
              location: z
                .object({
                  city: z.string().nullable(),
                  postalCode: z.string().nullable(),
                  healthBoard: z.string().nullable(),
                  localAuthority: z.string().nullable(),
                })
                .nullable(),
            }),
          ),
        }),
      }),
    ),
  }),
});

export interface PlaceDirectoryOptions {
  gateway: GatewayClient;
  logger: Logger;
  /** How long a fetched list is used before it is fetched again. */
  ttlMs?: number;
  /** How long to wait before asking again after a failure. */
  retryMs?: number;
  /** Activities fetched per page, and pages at most (the list of places grows slowly). */
  pageSize?: number;
  maxPages?: number;
  /** How long fetching one page may take. */
  timeoutMs?: number;
  now?: () => number;
}

/** Outward code ("DD1") of a postcode, upper case; undefined when it is not one. */
function outwardCode(postcode: string): string | undefined {
  const compact = postcode.toUpperCase().replace(/\s+/g, '');
  const match = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})?$/.exec(compact);
  return match ? match[1] : undefined;
}

export async function fetchPlaceList(gateway: GatewayClient, options: { pageSize: number; maxPages: number; timeoutMs: number }): Promise<PlaceList> {
  const names = new Set<string>();
  const postcodeTowns = new Map<string, Map<string, number>>();
  const count = (code: string, town: string) => {
    const towns = postcodeTowns.get(code) ?? new Map<string, number>();
    towns.set(town, (towns.get(town) ?? 0) + 1);
    postcodeTowns.set(code, towns);
  };
  let after: string | null = null;
  for (let page = 0; page < options.maxPages; page += 1) {
    const data = await gateway.request(PLACES_QUERY, { first: options.pageSize, after }, { timeoutMs: options.timeoutMs });
    const parsed = pageSchema.safeParse(data);
    if (!parsed.success) throw new GatewayError('BAD_RESPONSE', 'The gateway answered the list of places in an unexpected shape');
    for (const { node } of parsed.data.activities.edges) {
      for (const name of [node.town, node.area]) if (name) names.add(name);
      for (const venue of node.venues) {
        const location = venue.location;
        if (!location) continue;
        for (const name of [location.city, location.healthBoard, location.localAuthority]) if (name) names.add(name);
        const town = location.city ?? node.town;
        const outward = location.postalCode ? outwardCode(location.postalCode) : undefined;
        if (town && outward) {
          count(outward, town);
          count(outward.replace(/\d.*$/, ''), town);
        }
      }
    }
    const { hasNextPage, endCursor } = parsed.data.activities.pageInfo;
    if (!hasNextPage || !endCursor) break;
    after = endCursor;
  }
  // A postcode area covers several towns: the one with most venues stands for it.
  const postcodes: Record<string, string> = {};
  for (const [code, towns] of postcodeTowns) postcodes[code] = [...towns].sort((a, b) => b[1] - a[1])[0]![0];
  return { names: [...names].sort(), postcodes };
}

export function createPlaceDirectory(options: PlaceDirectoryOptions): PlaceSource & { refresh(): Promise<PlaceIndex> } {
  const logger = options.logger.child({ component: 'places' });
  const ttlMs = options.ttlMs ?? 60 * 60_000;
  const retryMs = options.retryMs ?? 15_000;
  const now = options.now ?? Date.now;
  const fetchOptions = { pageSize: options.pageSize ?? 100, maxPages: options.maxPages ?? 20, timeoutMs: options.timeoutMs ?? 3_000 };
  let index = PlaceIndex.empty();
  let fetchedAt = -Infinity;
  let failedAt = -Infinity;
  let loading: Promise<PlaceIndex> | undefined;

  function refresh(): Promise<PlaceIndex> {
    loading ??= fetchPlaceList(options.gateway, fetchOptions)
      .then(
        (list) => {
          index = new PlaceIndex(list);
          fetchedAt = now();
          logger.info({ places: index.size }, 'places loaded from the directory');
          return index;
        },
        (error: unknown) => {
          failedAt = now();
          if (!(error instanceof GatewayError)) logger.error({ err: error }, 'places could not be loaded');
          else logger.warn({ kind: error.kind, detail: error.message }, 'places could not be loaded; going by wording');
          return index;
        },
      )
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  return {
    refresh,
    async get() {
      const time = now();
      if (time - fetchedAt < ttlMs) return index;
      if (time - failedAt < retryMs) return index;
      // A list that is only out of date is used while a new one is fetched.
      if (Number.isFinite(fetchedAt)) {
        void refresh();
        return index;
      }
      return refresh();
    },
  };
}
