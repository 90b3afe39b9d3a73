// Asks the directory (the provider subgraph) whether an activity exists and which organisation
// runs it. This subgraph never reads the provider's tables: it sends the provider subgraph the
// same `_entities` query the gateway would, over HTTP, with a short timeout and a cache.
//
// Failure behaviour: an answer of "no such activity" refuses the referral before anything is
// stored; no answer (down, slow, an error) is "unavailable", and the caller keeps the referral
// with its activity check PENDING, to be checked again in the background. A referral is never
// lost because the directory is slow.
import { LRUCache } from 'lru-cache';
import type { Logger } from '@sp/runtime/logger';

export type ActivityLookup =
  | { kind: 'found'; organizationId: string }
  | { kind: 'not-found' }
  | { kind: 'unavailable'; reason: string };

export interface ActivityDirectory {
  lookup(activityId: string): Promise<ActivityLookup>;
}

export interface HttpActivityDirectoryOptions {
  /** The provider subgraph's GraphQL URL. */
  url: string;
  logger: Logger;
  /** How long to wait for an answer. Default 1.5 s. */
  timeoutMs?: number;
  /** How long a found activity's organisation is remembered. Default 5 minutes. */
  foundTtlMs?: number;
  /** How long "no such activity" is remembered (a new listing appears soon after). Default 30 s. */
  notFoundTtlMs?: number;
  fetch?: typeof fetch;
}

const ENTITIES_QUERY = `query ActivityOrganisations($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Activity { id organization { id } } }
}`;

interface EntitiesResponse {
  data?: { _entities?: Array<{ id?: string; organization?: { id?: string } | null } | null> } | null;
  errors?: unknown[];
}

export function createHttpActivityDirectory(options: HttpActivityDirectoryOptions): ActivityDirectory {
  const timeoutMs = options.timeoutMs ?? 1_500;
  const foundTtl = options.foundTtlMs ?? 5 * 60_000;
  const notFoundTtl = options.notFoundTtlMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  const cache = new LRUCache<string, ActivityLookup>({ max: 10_000, ttl: foundTtl });
  const inFlight = new Map<string, Promise<ActivityLookup>>();

  async function ask(activityId: string): Promise<ActivityLookup> {
    let response: Response;
    try {
      response = await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: ENTITIES_QUERY, variables: { representations: [{ __typename: 'Activity', id: activityId }] } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return { kind: 'unavailable', reason: timedOut ? 'timeout' : 'unreachable' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: 'unavailable', reason: `status ${response.status}` };
    }
    let body: EntitiesResponse;
    try {
      body = (await response.json()) as EntitiesResponse;
    } catch {
      return { kind: 'unavailable', reason: 'bad response' };
    }
    const entity = body.data?._entities?.[0];
    if (body.errors?.length || body.data?._entities?.length !== 1) return { kind: 'unavailable', reason: 'error response' };
    if (entity === null) return { kind: 'not-found' };
    const organizationId = entity?.organization?.id;
    if (!organizationId) return { kind: 'unavailable', reason: 'no organisation in response' };
    return { kind: 'found', organizationId };
  }

  return {
    async lookup(activityId) {
      const cached = cache.get(activityId);
      if (cached) return cached;
      const pending = inFlight.get(activityId);
      if (pending) return pending;
      const lookup = ask(activityId)
        .then((result) => {
          if (result.kind === 'found') cache.set(activityId, result, { ttl: foundTtl });
          if (result.kind === 'not-found') cache.set(activityId, result, { ttl: notFoundTtl });
          if (result.kind === 'unavailable') options.logger.warn({ reason: result.reason, activityId }, 'directory did not confirm an activity');
          return result;
        })
        .finally(() => inFlight.delete(activityId));
      inFlight.set(activityId, lookup);
      return lookup;
    },
  };
}

/** A directory from a fixed table: for tests and the benchmark's checks. */
export function createStaticActivityDirectory(organizationByActivity: Readonly<Record<string, string>>): ActivityDirectory {
  return {
    async lookup(activityId) {
      const organizationId = organizationByActivity[activityId];
      return organizationId ? { kind: 'found', organizationId } : { kind: 'not-found' };
    },
  };
}
