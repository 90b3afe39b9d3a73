import type { Identity } from '@sp/auth/identity';
import type { Logger } from '@sp/runtime/logger';
import type { EvidenceClient } from '@sp/prisma/evidence';
import type { ApplicableEvidenceLoader } from './store/applicable-evidence';

export interface EvidenceContext {
  db: EvidenceClient;
  logger: Logger;
  requestId: string;
  /** Who is asking: admins curate; everyone else reads published records. */
  identity: Identity;
  /** The ranked published records for each activity in the response, batched per request. */
  applicableEvidence: ApplicableEvidenceLoader;
}
