import { createIdentityResolver } from '@sp/auth/context';
import type { TokenVerifier } from '@sp/auth/verifier';
import type { Logger } from '@sp/runtime/logger';
import { createSubgraphHttpService } from '@sp/runtime/subgraph';
import type { ProviderClient } from '@sp/prisma/provider';
import { createOrukRoutes } from './oruk/routes';
import { providerSchema } from './schema/index';
import { ActivitySearchIndex } from './search/index';

export interface ProviderServerDependencies {
  db: ProviderClient;
  logger: Logger;
  /** Verifies bearer tokens again here: the gateway's word is not taken on trust. */
  verifier: TokenVerifier;
  /** The search index; built from `db` and closed with the server when not given (a given one is the caller's to close). */
  search?: ActivitySearchIndex;
}

/** Builds the provider subgraph's HTTP service; call `listen(port, host)` to serve it. */
export function createProviderServer({ db, logger, verifier, search: given }: ProviderServerDependencies) {
  const resolveIdentity = createIdentityResolver(verifier);
  const search = given ?? new ActivitySearchIndex(db, { logger });
  const service = createSubgraphHttpService({
    schema: providerSchema,
    logger,
    readiness: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      const searchReady = search.isReady;
      return { ready: searchReady, checks: { database: { ok: true }, search: { ok: searchReady, ...(searchReady ? {} : { detail: 'search index loading' }) } } };
    },
    context: async ({ logger: requestLogger, requestId, headers }) => ({
      db,
      logger: requestLogger,
      requestId,
      identity: await resolveIdentity({ headers, logger: requestLogger }),
      search,
    }),
    // The open Open Referral UK 3.0 API at /oruk/ (read-only JSON, CORS *).
    routes: createOrukRoutes({ db, logger, basePath: '/oruk' }),
  });
  return {
    ...service,
    /** Starts the search index (loading in the background) and listens; closing stops both. */
    async listen(port: number, host: string) {
      if (!given) void search.start().catch(() => undefined);
      const running = await service.listen(port, host);
      return {
        ...running,
        async close() {
          await running.close();
          if (!given) await search.close();
        },
      };
    },
  };
}
