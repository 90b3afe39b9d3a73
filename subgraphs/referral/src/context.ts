import type { Identity } from '@sp/auth/identity';
import type { Logger } from '@sp/runtime/logger';
import type { ReferralClient } from '@sp/prisma/referral';
import type { ActivityDirectory } from './domain/directory';
import type { InstrumentRegistry } from './domain/outcomes';
import type { ClientLimiter } from './domain/rate-limit';
import type { SelfServiceKeys } from './domain/self-service';
import type { ReferralLoaders } from './loaders';
import type { ReferralSettings } from './settings';

/** What every request shares: built once per server. */
export interface ReferralServices {
  directory: ActivityDirectory;
  selfService: SelfServiceKeys;
  selfReferralLimiter: ClientLimiter;
  selfServiceLimiter: ClientLimiter;
  instruments: InstrumentRegistry;
  settings: ReferralSettings;
  /** The clock; tests move it. */
  now: () => Date;
}

export interface ReferralContext {
  db: ReferralClient;
  logger: Logger;
  requestId: string;
  /** Who is asking: the public, or a verified user. Verified here again, never taken from the gateway on trust. */
  identity: Identity;
  /**
   * The client's address for per-client limits: the TCP peer, or what our trusted proxies (the
   * gateway) forwarded; null when it cannot be told apart (see domain/rate-limit).
   */
  clientAddress: string | null;
  services: ReferralServices;
  loaders: ReferralLoaders;
}
