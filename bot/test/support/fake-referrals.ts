import type {
  CallOptions,
  CallProblem,
  CallResult,
  CreateReferralInput,
  CreateSelfReferralInput,
  ReferralDetail,
  ReferralService,
  ReferralStatus,
  ReferralSummary,
} from '../../src/referrals/referral-service';

type Operation =
  | 'checkSignIn'
  | 'createReferral'
  | 'myReferrals'
  | 'referral'
  | 'withdrawReferral'
  | 'createSelfReferral'
  | 'selfReferralStatus'
  | 'withdrawSelfReferral';

export const REFERENCE = 'SP-4K7QX-M2D9B';
// Not the example in the bot's questions (ABCDE-…), so a test can tell an echo from the example.
export const SECRET = 'QX7M2-D9BKP-4RTVW-NZ8HC';
/** The activity the self-referral REFERENCE is for. */
export const SELF_ACTIVITY = 'Singing for memory';

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
  /** The signed-in professional's referrals, newest first; `referral(id)` and withdrawing work on these. */
  referrals: ReferralSummary[];
  /**
   * What `referral(id)` adds to a listed referral (pathway, consents, history); by default the
   * pathway [COMMUNITY_LINK_WORKER, GP], three consents and a history that ends at its status.
   */
  details: Map<string, Partial<ReferralDetail>>;
  /** The status of the self-referral REFERENCE (ACCEPTED until it is withdrawn). */
  selfStatus: ReferralStatus;
  /** Its activity's name (SELF_ACTIVITY); null as when the directory does not answer. */
  selfActivityName: string | null;
}

export function fakeReferrals(): FakeReferrals {
  const calls: FakeReferrals['calls'] = [];
  const failures = new Map<Operation, CallProblem[]>();
  const byKey = new Map<string, string>();
  const refused = new Set<string>();
  const referrals: ReferralSummary[] = [];
  const details = new Map<string, Partial<ReferralDetail>>();

  function detailOf(summary: ReferralSummary): ReferralDetail {
    const history: ReferralDetail['history'] = [{ at: summary.createdAt, status: 'SENT', reason: null }];
    if (summary.status !== 'SENT') history.push({ at: '2026-05-03T14:00:00.000Z', status: summary.status, reason: null });
    return {
      ...summary,
      updatedAt: history.at(-1)!.at,
      pathway: ['COMMUNITY_LINK_WORKER', 'GP'],
      consents: [
        { purpose: 'SHARE_WITH_PROVIDER', granted: true },
        { purpose: 'FOLLOW_UP_CONTACT', granted: true },
        { purpose: 'TELL_GP_OUTCOME', granted: false },
      ],
      history,
      ...details.get(summary.id),
    };
  }

  function next<T>(operation: Operation, input: unknown, options: CallOptions, value: () => T): CallResult<T> {
    calls.push({ operation, ...(input !== undefined ? { input: structuredClone(input) } : {}), options: { ...options } });
    const problem = failures.get(operation)?.shift();
    if (problem) return { ok: false, problem };
    if (options.token && refused.has(options.token)) return { ok: false, problem: { code: 'UNAUTHENTICATED' } };
    return { ok: true, value: value() };
  }

  const fake: FakeReferrals = {
    selfStatus: 'ACCEPTED',
    selfActivityName: SELF_ACTIVITY,
    calls,
    refused,
    referrals,
    details,
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
    async myReferrals(page, options) {
      // Cursors are opaque to the bot, as the service's are: here, "cursor:<id>" of the last one shown.
      return next('myReferrals', page, options, () => {
        const start = page.after ? referrals.findIndex((referral) => `cursor:${referral.id}` === page.after) + 1 : 0;
        const shown = referrals.slice(start, start + page.first);
        const more = start + shown.length < referrals.length;
        return { totalCount: referrals.length, referrals: shown, nextCursor: more ? `cursor:${shown.at(-1)!.id}` : null };
      });
    },
    async referral(id, options) {
      const result = next('referral', { id }, options, () => undefined);
      if (!result.ok) return result;
      const found = referrals.find((referral) => referral.id === id);
      // As the service: null (NOT_FOUND here) for one the caller may not see.
      return found ? { ok: true, value: detailOf(found) } : { ok: false, problem: { code: 'NOT_FOUND' } };
    },
    async withdrawReferral(id, reason, options) {
      const result = next('withdrawReferral', { id, reason }, options, () => undefined);
      if (!result.ok) return result;
      const found = referrals.find((referral) => referral.id === id);
      if (!found) return { ok: false, problem: { code: 'NOT_FOUND' } };
      if (!['SENT', 'RECEIVED', 'ACCEPTED', 'ATTENDING'].includes(found.status)) return { ok: false, problem: { code: 'INVALID_STATUS_TRANSITION' } };
      const before = detailOf(found);
      found.status = 'WITHDRAWN';
      details.set(id, { ...details.get(id), history: [...before.history, { at: '2026-05-04T09:00:00.000Z', status: 'WITHDRAWN', reason }] });
      return { ok: true, value: detailOf(found) };
    },
    async createSelfReferral(input: CreateSelfReferralInput, options) {
      return next('createSelfReferral', input, options, () => ({ reference: REFERENCE, secret: SECRET, status: 'SENT' as const }));
    },
    async selfReferralStatus(reference, secret, options) {
      const result = next('selfReferralStatus', { reference, secret }, options, () => ({
        reference,
        status: fake.selfStatus,
        updatedAt: '2026-05-04T10:00:00.000Z',
        activityName: fake.selfActivityName,
      }));
      if (result.ok && (reference !== REFERENCE || secret !== SECRET)) return { ok: false, problem: { code: 'NOT_FOUND' } };
      return result;
    },
    async withdrawSelfReferral(reference, secret, options) {
      const result = next('withdrawSelfReferral', { reference, secret }, options, () => ({
        reference,
        status: 'WITHDRAWN' as const,
        updatedAt: '2026-05-04T11:00:00.000Z',
        activityName: fake.selfActivityName,
      }));
      if (!result.ok) return result;
      // As the referral service: the same answer for a wrong reference or secret; a closed one cannot move.
      if (reference !== REFERENCE || secret !== SECRET) return { ok: false, problem: { code: 'NOT_FOUND' } };
      if (!['SENT', 'RECEIVED', 'ACCEPTED', 'ATTENDING'].includes(fake.selfStatus)) return { ok: false, problem: { code: 'INVALID_STATUS_TRANSITION' } };
      fake.selfStatus = 'WITHDRAWN';
      return result;
    },
  };
  return fake;
}
