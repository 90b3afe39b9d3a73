// Per-client limits for what the public can do without signing in: self-referrals, and status
// checks with a reference and secret. Counted in memory per process (rate-limiter-flexible); a
// deployment with several referral processes would move the counts to a shared store.
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { compileTrustedProxies, createClientAddressResolver } from '@sp/runtime/client-address';
import { userError } from '@sp/runtime/errors';
import { ReferralErrorCode } from './codes';

export interface LimitSettings {
  /** How many in each window from one identified client. */
  perClient: number;
  /**
   * How many in each window from all requests whose client cannot be told apart (no address
   * beyond our own proxies): a ceiling for the whole public rather than a per-person limit.
   */
  unidentified: number;
  windowSeconds: number;
}

/**
 * Tells the client's address, for per-client limits, from the TCP peer and `X-Forwarded-For`
 * (`@sp/runtime/client-address`, Express's rules): `X-Forwarded-For` is believed only from a
 * trusted proxy, so a caller that reaches the subgraph directly from elsewhere is itself the
 * client, whatever the header claims. Null when the client cannot be told apart: every address
 * on the way is one of our trusted proxies (the gateway named nobody behind it, or only someone
 * on our own network), or it is not an IP address at all.
 */
export function createClientAddressReader(trustedProxies: readonly string[]) {
  const resolve = createClientAddressResolver(trustedProxies);
  const trusted = compileTrustedProxies(trustedProxies);
  return (peer: string | undefined, forwardedFor: IncomingHttpHeaders['x-forwarded-for']): string | null => {
    const { client } = resolve(peer, forwardedFor);
    return isIP(client) !== 0 && !trusted(client, 0) ? client : null;
  };
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
