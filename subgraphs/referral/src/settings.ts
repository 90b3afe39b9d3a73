// What can be tuned without changing code. index.ts builds this from the environment (./config);
// tests and the benchmark pass their own.
import type { LimitSettings } from './domain/rate-limit';

export interface ReferralSettings {
  /** Self-referrals per client per window. */
  selfReferralLimit: LimitSettings;
  /** Status checks and withdrawals with a reference and secret, per client per window. */
  selfServiceLimit: LimitSettings;
  /**
   * Proxies whose `X-Forwarded-For` is believed when telling the client's address (addresses,
   * CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`); empty trusts none, so the client is
   * always the TCP peer.
   */
  trustedProxies: string[];
  /** The outcome instruments in use (codes from domain/outcomes KNOWN_INSTRUMENTS). */
  outcomeInstruments: string[];
  /** Days after closure before a referral's personal data is erased. */
  retentionDays: number;
  /** Background work; false runs none (tests call the jobs themselves). */
  jobs:
    | false
    | {
        outboxIntervalMs: number;
        activityRecheckIntervalMs: number;
        retentionIntervalMs: number;
      };
}

export const DEFAULT_SETTINGS: ReferralSettings = {
  selfReferralLimit: { perClient: 10, unidentified: 600, windowSeconds: 3600 },
  selfServiceLimit: { perClient: 60, unidentified: 3000, windowSeconds: 3600 },
  // Subgraphs are reached over private networks by our own gateway: a private-range peer is our
  // proxy, and a caller from a public address is itself the client.
  trustedProxies: ['loopback', 'linklocal', 'uniquelocal'],
  outcomeInstruments: ['ONS4', 'SWEMWBS'],
  retentionDays: 730,
  jobs: { outboxIntervalMs: 2_000, activityRecheckIntervalMs: 60_000, retentionIntervalMs: 60 * 60_000 },
};
