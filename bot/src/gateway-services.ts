import type { Logger } from '@sp/runtime/logger';
import type { PlaceSource } from './conversation/places';
import { gatewayReadiness, type ReadinessReport } from './readiness';
import { createReferralGateway } from './referrals/referral-gateway';
import type { ReferralService } from './referrals/referral-service';
import type { ActivitySearch } from './search/activity-search';
import { createGatewayClient } from './search/gateway-client';
import { createSearchOverGateway } from './search/gateway-search';
import { createPlaceDirectory } from './search/place-directory';

export interface GatewayServicesOptions {
  /** The gateway's GraphQL endpoint (GATEWAY_URL). */
  url: string;
  logger: Logger;
  /** How long a search may take. */
  searchTimeoutMs?: number;
  /** How long a sign-in check or a referral may take. */
  referralTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface GatewayServices {
  search: ActivitySearch;
  places: PlaceSource & { refresh(): Promise<unknown> };
  referrals: ReferralService;
  readiness: () => Promise<ReadinessReport>;
}

/** Everything the bot asks of the gateway, over one client: search, places, sign-in and referrals. */
export function createGatewayServices(options: GatewayServicesOptions): GatewayServices {
  const gateway = createGatewayClient({
    url: options.url,
    timeoutMs: options.searchTimeoutMs ?? 5_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { logger } = options;
  return {
    search: createSearchOverGateway(gateway, logger.child({ component: 'search' })),
    places: createPlaceDirectory({ gateway, logger }),
    referrals: createReferralGateway({ gateway, logger, ...(options.referralTimeoutMs ? { timeoutMs: options.referralTimeoutMs } : {}) }),
    readiness: gatewayReadiness(gateway),
  };
}
