import { createIdentityResolver } from '@sp/auth/context';
import type { TokenVerifier } from '@sp/auth/verifier';
import type { Logger } from '@sp/runtime/logger';
import { createSubgraphHttpService } from '@sp/runtime/subgraph';
import type { ProviderClient } from '@sp/prisma/provider';
import { createOrukRoutes } from './oruk/routes';
import { providerSchema } from './schema/index';

export interface ProviderServerDependencies {
  db: ProviderClient;
  logger: Logger;
  /** Verifies bearer tokens again here: the gateway's word is not taken on trust. */
  verifier: TokenVerifier;
}

/** Builds the provider subgraph's HTTP service; call `listen(port, host)` to serve it. */
export function createProviderServer({ db, logger, verifier }: ProviderServerDependencies) {
  const resolveIdentity = createIdentityResolver(verifier);
  return createSubgraphHttpService({
    schema: providerSchema,
    logger,
    readiness: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      return { ready: true, checks: { database: { ok: true } } };
    },
    context: async ({ logger: requestLogger, requestId, headers }) => ({
      db,
      logger: requestLogger,
      requestId,
      identity: await resolveIdentity({ headers, logger: requestLogger }),
    }),
    // The open Open Referral UK 3.0 API at /oruk/ (read-only JSON, CORS *).
    routes: createOrukRoutes({ db, logger, basePath: '/oruk' }),
  });
}
