import type {
  CallOptions,
  CallProblem,
  CallResult,
  CreateReferralInput,
  CreateSelfReferralInput,
  ReferralService,
  ReferralSummary,
} from '../../src/referrals/referral-service';

type Operation = 'checkSignIn' | 'createReferral' | 'myReferrals' | 'createSelfReferral' | 'selfReferralStatus';

export const REFERENCE = 'SP-4K7QX-M2D9B';
export const SECRET = 'ABCDE-FGHJK-MNPQR-STVWX';

/**
 * An in-memory stand-in for the referral calls, for transcripts. It records every call, makes
 * referrals idempotent by key as the real service does, and fails the next calls of an
 * operation with the problems queued by `failNext`.
 */
export interface FakeReferrals extends ReferralService {
  calls: Array<{ operation: Operation; input?: unknown; options: CallOptions }>;
  failNext(operation: Operation, ...problems: CallProblem[]): void;
  /** Tokens the "gateway" refuses with UNAUTHENTICATED. */
  refused: Set<string>;
  referrals: ReferralSummary[];
}

export function fakeReferrals(): FakeReferrals {
  const calls: FakeReferrals['calls'] = [];
  const failures = new Map<Operation, CallProblem[]>();
  const byKey = new Map<string, string>();
  const refused = new Set<string>();
  const referrals: ReferralSummary[] = [];

  function next<T>(operation: Operation, input: unknown, options: CallOptions, value: () => T): CallResult<T> {
    calls.push({ operation, ...(input !== undefined ? { input: structuredClone(input) } : {}), options: { ...options } });
    const problem = failures.get(operation)?.shift();
    if (problem) return { ok: false, problem };
    if (options.token && refused.has(options.token)) return { ok: false, problem: { code: 'UNAUTHENTICATED' } };
    return { ok: true, value: value() };
  }

  return {
    calls,
    refused,
    referrals,
    failNext(operation, ...problems) {
      failures.set(operation, [...(failures.get(operation) ?? []), ...problems]);
    },
    async checkSignIn(options) {
      return next('checkSignIn', undefined, options, () => undefined);
    },
    async createReferral(input: CreateReferralInput, options) {
      return next('createReferral', input, options, () => {
        const id = byKey.get(input.idempotencyKey) ?? `ref-${byKey.size + 1}`;
        byKey.set(input.idempotencyKey, id);
        return { id, status: 'SENT' as const };
      });
    },
    async myReferrals(first, options) {
      return next('myReferrals', { first }, options, () => ({ totalCount: referrals.length, referrals: referrals.slice(0, first) }));
    },
    async createSelfReferral(input: CreateSelfReferralInput, options) {
      return next('createSelfReferral', input, options, () => ({ reference: REFERENCE, secret: SECRET, status: 'SENT' as const }));
    },
    async selfReferralStatus(reference, secret, options) {
      const result = next('selfReferralStatus', { reference, secret }, options, () => ({
        reference,
        status: 'ACCEPTED' as const,
        updatedAt: '2026-05-04T10:00:00.000Z',
      }));
      if (result.ok && (reference !== REFERENCE || secret !== SECRET)) return { ok: false, problem: { code: 'NOT_FOUND' } };
      return result;
    },
  };
}
