import type { Logger } from '@sp/runtime/logger';
import { gatewayReadiness, type ReadinessReport } from '../readiness';
import type { ActivitySearch } from './activity-search';
import { createActivityDirectory, type ActivityDirectoryOptions } from './activity-directory';
import { createFuzzyActivitySearch } from './fuzzy-search';
import { createGatewayClient } from './gateway-client';

export interface GatewayActivitySearchOptions {
  /** The gateway's GraphQL endpoint. */
  url: string;
  logger: Logger;
  /** How long one request to the gateway may take. */
  timeoutMs?: number;
  directory?: Omit<ActivityDirectoryOptions, 'gateway' | 'logger'>;
  fetch?: typeof fetch;
}

/**
 * The search the bot uses today, wired up: the gateway client, the cached directory and the
 * fuzzy ranking, with a readiness check on the same gateway.
 */
export function createGatewayActivitySearch(options: GatewayActivitySearchOptions): {
  search: ActivitySearch;
  readiness: () => Promise<ReadinessReport>;
} {
  const gateway = createGatewayClient({
    url: options.url,
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const directory = createActivityDirectory({
    ...options.directory,
    gateway,
    logger: options.logger.child({ component: 'directory' }),
  });
  return { search: createFuzzyActivitySearch({ directory }), readiness: gatewayReadiness(gateway) };
}
