import type { Logger } from '@sp/runtime/logger';
import { createSubgraphHttpService } from '@sp/runtime/subgraph';
import type { ProviderClient } from '@sp/prisma/provider';
import { providerSchema } from './schema/index';

export interface ProviderServerDependencies {
  db: ProviderClient;
  logger: Logger;
}

/** Builds the provider subgraph's HTTP service; call `listen(port, host)` to serve it. */
export function createProviderServer({ db, logger }: ProviderServerDependencies) {
  return createSubgraphHttpService({
    schema: providerSchema,
    logger,
    readiness: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      return { ready: true, checks: { database: { ok: true } } };
    },
    context: async ({ logger: requestLogger, requestId }) => ({ db, logger: requestLogger, requestId }),
  });
}
