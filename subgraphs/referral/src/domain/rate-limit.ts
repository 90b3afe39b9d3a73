// Per-client limits for what the public can do without signing in: self-referrals, and status
// checks with a reference and secret. Counted in memory per process (rate-limiter-flexible); a
// deployment with several referral processes would move the counts to a shared store.
import type { IncomingHttpHeaders } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { userError } from '@sp/runtime/errors';
import { ReferralErrorCode } from './codes';

export interface LimitSettings {
  /** How many in each window from one identified client. */
  perClient: number;
  /**
   * How many in each window from all requests whose client cannot be told apart (no forwarded
   * address): a ceiling for the whole public rather than a per-person limit.
   */
  unidentified: number;
  windowSeconds: number;
}

/** The client's address as the nearest proxy (the gateway) saw it, or null when none is given. */
export function clientAddress(headers: IncomingHttpHeaders): string | null {
  const forwarded = headers['x-forwarded-for'];
  const value = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
  if (!value) return null;
  // The last entry is the one our own proxy added; earlier ones are whatever the client claimed.
  const last = value.split(',').map((part) => part.trim()).filter(Boolean).at(-1);
  return last && last.length <= 64 ? last : null;
}

export interface ClientLimiter {
  /** Counts one request from the client; throws RATE_LIMITED when over the limit. */
  consume(client: string | null): Promise<void>;
}

export function createClientLimiter(name: string, settings: LimitSettings, message: string): ClientLimiter {
  const perClient = new RateLimiterMemory({ keyPrefix: `${name}-client`, points: settings.perClient, duration: settings.windowSeconds });
  const unidentified = new RateLimiterMemory({ keyPrefix: `${name}-any`, points: settings.unidentified, duration: settings.windowSeconds });
  return {
    async consume(client) {
      try {
        if (client === null) await unidentified.consume('unidentified');
        else await perClient.consume(client);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          throw userError(ReferralErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
        }
        throw rejection;
      }
    },
  };
}
