import type { Logger } from '@sp/runtime/logger';
import { gatewayReadiness, type ReadinessReport } from '../readiness';
import { SearchUnavailableError, type ActivitySearch, type Availability, type Suggestion } from './activity-search';
import { createGatewayClient, GatewayError, type GatewayClient, type SearchHit } from './gateway-client';

export interface GatewayActivitySearchOptions {
  /** The gateway's GraphQL endpoint. */
  url: string;
  logger: Logger;
  /** How long one request to the gateway may take. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Places left across the venues, else whether a waiting list is open, else full or unknown. */
export function availability(activity: SearchHit['activity']): Availability {
  const capacities = activity.venues.flatMap((venue) => (venue.capacity ? [venue.capacity] : []));
  const remaining = capacities.reduce((sum, capacity) => sum + Math.max(0, capacity.placesRemaining ?? 0), 0);
  if (remaining > 0) return { kind: 'places', remaining };
  if (capacities.some((capacity) => capacity.waitingListOpen)) return { kind: 'waiting-list' };
  if (activity.hasPlaces === false || capacities.some((capacity) => capacity.placesRemaining === 0)) return { kind: 'full' };
  return { kind: 'unknown' };
}

export function toSuggestion(hit: SearchHit): Suggestion {
  const { activity } = hit;
  return {
    id: activity.id,
    name: activity.name,
    organisationName: activity.organization.name,
    deliveryMode: activity.deliveryMode,
    town: activity.town,
    area: activity.area,
    isFree: activity.isFree,
    fees: activity.fees,
    scheduleDescription: activity.scheduleDescription,
    reasons: hit.reasons,
    availability: availability(activity),
    evidenceHeadline: activity.evidence?.[0]?.headline ?? null,
    contact: {
      phone: activity.organization.phone ?? null,
      email: activity.email ?? activity.organization.email ?? null,
      website: activity.url ?? activity.organization.website ?? null,
    },
  };
}

/** The gateway's ranked search behind the conversation's `ActivitySearch`. */
export function createSearchOverGateway(gateway: GatewayClient, logger: Logger): ActivitySearch {
  return {
    async search(text, { limit, clientAddress }) {
      let page;
      try {
        page = await gateway.searchActivities(text, limit, clientAddress ? { clientAddress } : undefined);
      } catch (error) {
        if (error instanceof GatewayError) {
          // The message names the gateway and the kind of failure, never what the person typed.
          logger.warn({ kind: error.kind, detail: error.message }, 'search unavailable');
          throw new SearchUnavailableError(error.message, { cause: error });
        }
        throw error;
      }
      if (page.skipped > 0) logger.warn({ skipped: page.skipped }, 'search hits in an unexpected shape were left out');
      return { suggestions: page.hits.map(toSuggestion) };
    },
  };
}

/** The search the bot uses, wired up, with a readiness check on the same gateway. */
export function createGatewayActivitySearch(options: GatewayActivitySearchOptions): {
  search: ActivitySearch;
  readiness: () => Promise<ReadinessReport>;
} {
  const gateway = createGatewayClient({
    url: options.url,
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const logger = options.logger.child({ component: 'search' });
  return { search: createSearchOverGateway(gateway, logger), readiness: gatewayReadiness(gateway) };
}
