import type DataLoader from 'dataloader';
import type { Logger } from '@sp/runtime/logger';
import type { EvidenceClient } from '@sp/prisma/evidence';

export interface EvidenceContext {
  db: EvidenceClient;
  logger: Logger;
  requestId: string;
  /** Ids of the evidence records linked to each activity, batched per request. */
  evidenceIdsByActivity: DataLoader<string, string[]>;
}
