import type DataLoader from 'dataloader';
import type { Logger } from '@sp/runtime/logger';
import type { ReferralClient } from '@sp/prisma/referral';

export interface ReferralContext {
  db: ReferralClient;
  logger: Logger;
  requestId: string;
  /** Referral counts by activity id, batched per request so a list of activities costs one query. */
  referralCounts: DataLoader<string, number>;
}
