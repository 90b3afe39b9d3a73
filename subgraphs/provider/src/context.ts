import type { Logger } from '@sp/runtime/logger';
import type { ProviderClient } from '@sp/prisma/provider';

export interface ProviderContext {
  db: ProviderClient;
  logger: Logger;
  requestId: string;
}
