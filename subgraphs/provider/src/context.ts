import type { Identity } from '@sp/auth/identity';
import type { Logger } from '@sp/runtime/logger';
import type { ProviderClient } from '@sp/prisma/provider';
import type { ActivitySearchIndex } from './search/index';

export interface ProviderContext {
  db: ProviderClient;
  logger: Logger;
  requestId: string;
  /** Who is asking: the public, or a verified user (provider staff edit their own listings). */
  identity: Identity;
  /** The in-memory search index; call `search.refresh(ids)` after changing activities. */
  search: ActivitySearchIndex;
}
