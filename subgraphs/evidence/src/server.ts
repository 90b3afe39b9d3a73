import { createIdentityResolver } from '@sp/auth/context';
import type { TokenVerifier } from '@sp/auth/verifier';
import type { Logger } from '@sp/runtime/logger';
import { createSubgraphHttpService } from '@sp/runtime/subgraph';
import type { EvidenceClient } from '@sp/prisma/evidence';
import { evidenceSchema } from './schema/index';
import { createApplicableEvidenceLoader } from './store/applicable-evidence';
import { createPublishedEvidence } from './store/published-evidence';

export interface EvidenceServerDependencies {
  db: EvidenceClient;
  logger: Logger;
  /** Verifies bearer tokens again here: the gateway's word is not taken on trust. */
  verifier: TokenVerifier;
}

/** Builds the evidence subgraph's HTTP service; call `listen(port, host)` to serve it. */
export function createEvidenceServer({ db, logger, verifier }: EvidenceServerDependencies) {
  const resolveIdentity = createIdentityResolver(verifier);
  // Shared by every request: the published records' links and topics, checked current on each use.
  const publishedEvidence = createPublishedEvidence(db);
  return createSubgraphHttpService({
    schema: evidenceSchema,
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
      applicableEvidence: createApplicableEvidenceLoader(db, publishedEvidence),
    }),
  });
}
