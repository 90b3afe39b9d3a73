import type { Identity } from '@sp/auth/identity';
import type { Logger } from '@sp/runtime/logger';
import type { ProviderClient } from '@sp/prisma/provider';

export interface ProviderContext {
  db: ProviderClient;
  logger: Logger;
  requestId: string;
  /** Who is asking: the public, or a verified user (provider staff edit their own listings). */
  identity: Identity;
}
