import type { Logger } from '@sp/runtime/logger';
import { createSubgraphHttpService } from '@sp/runtime/subgraph';
import type { ReferralClient } from '@sp/prisma/referral';
import { createReferralCountLoader } from './loaders';
import { referralSchema } from './schema/index';

export interface ReferralServerDependencies {
  db: ReferralClient;
  logger: Logger;
}

/** Builds the referral subgraph's HTTP service; call `listen(port, host)` to serve it. */
export function createReferralServer({ db, logger }: ReferralServerDependencies) {
  return createSubgraphHttpService({
    schema: referralSchema,
    logger,
    readiness: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      return { ready: true, checks: { database: { ok: true } } };
    },
    context: async ({ logger: requestLogger, requestId }) => ({
      db,
      logger: requestLogger,
      requestId,
      referralCounts: createReferralCountLoader(db),
    }),
  });
}
