import type { Logger } from '@sp/runtime/logger';
import { createSubgraphHttpService } from '@sp/runtime/subgraph';
import type { EvidenceClient } from '@sp/prisma/evidence';
import { createEvidenceIdsLoader } from './loaders';
import { evidenceSchema } from './schema/index';

export interface EvidenceServerDependencies {
  db: EvidenceClient;
  logger: Logger;
}

/** Builds the evidence subgraph's HTTP service; call `listen(port, host)` to serve it. */
export function createEvidenceServer({ db, logger }: EvidenceServerDependencies) {
  return createSubgraphHttpService({
    schema: evidenceSchema,
    logger,
    readiness: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      return { ready: true, checks: { database: { ok: true } } };
    },
    context: async ({ logger: requestLogger, requestId }) => ({
      db,
      logger: requestLogger,
      requestId,
      evidenceIdsByActivity: createEvidenceIdsLoader(db),
    }),
  });
}
