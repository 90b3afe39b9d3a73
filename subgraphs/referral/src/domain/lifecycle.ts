// The referral lifecycle: which status may follow which, who may move it, what reason each exit
// needs, how each status maps to a FHIR Task status, and when a link worker should follow up.
import type { ReferralSource, ReferralStatus } from '@sp/prisma/referral';
import { addDays, addWorkingDays } from './working-days';

/** The parts people play in a referral. `referrer` means the referrer or a colleague in their organisation. */
export type LifecycleActor = 'provider' | 'referrer' | 'person' | 'admin' | 'system';

const PROVIDER: readonly LifecycleActor[] = ['provider', 'admin'];
const WITHDRAW: readonly LifecycleActor[] = ['referrer', 'person', 'admin'];
const CANCEL: readonly LifecycleActor[] = ['referrer', 'provider', 'admin'];

/** Every legal move, and who may make it. Anything not listed is refused. */
export const TRANSITIONS: Readonly<Record<ReferralStatus, Partial<Record<ReferralStatus, readonly LifecycleActor[]>>>> = {
  SENT: { RECEIVED: PROVIDER, ACCEPTED: PROVIDER, DECLINED: PROVIDER, WITHDRAWN: WITHDRAW, CANCELLED: CANCEL },
  RECEIVED: { ACCEPTED: PROVIDER, DECLINED: PROVIDER, WITHDRAWN: WITHDRAW, CANCELLED: CANCEL },
  ACCEPTED: { ATTENDING: PROVIDER, DID_NOT_ATTEND: PROVIDER, WITHDRAWN: WITHDRAW, CANCELLED: CANCEL },
  ATTENDING: { COMPLETED: PROVIDER, WITHDRAWN: WITHDRAW, CANCELLED: CANCEL },
  COMPLETED: {},
  DECLINED: {},
  DID_NOT_ATTEND: {},
  WITHDRAWN: {},
  CANCELLED: {},
};

export const CLOSED_STATUSES: ReadonlySet<ReferralStatus> = new Set([
  'COMPLETED',
  'DECLINED',
  'DID_NOT_ATTEND',
  'WITHDRAWN',
  'CANCELLED',
]);

/** Statuses the provider has not yet acted on ("not yet received or accepted"). */
export const UNACTIONED_STATUSES: readonly ReferralStatus[] = ['SENT', 'RECEIVED'];

export function isClosed(status: ReferralStatus): boolean {
  return CLOSED_STATUSES.has(status);
}

export function allowedNextStatuses(from: ReferralStatus): ReferralStatus[] {
  return Object.keys(TRANSITIONS[from]) as ReferralStatus[];
}

/** Who may move a referral from one status to another; undefined when the move is illegal. */
export function whoMayMove(from: ReferralStatus, to: ReferralStatus): readonly LifecycleActor[] | undefined {
  return TRANSITIONS[from][to];
}

/** Why a referral left the ordinary path. Each exit status accepts only its own reasons. */
export const STATUS_REASONS = {
  DECLINED: ['FULL', 'NOT_ELIGIBLE', 'UNABLE_TO_CONTACT', 'OTHER'],
  WITHDRAWN: ['PERSON_DECLINED', 'NO_LONGER_NEEDED', 'REFERRED_ELSEWHERE', 'OTHER'],
  CANCELLED: ['MADE_IN_ERROR', 'ACTIVITY_CANCELLED', 'OTHER'],
} as const satisfies Partial<Record<ReferralStatus, readonly string[]>>;

export const ALL_STATUS_REASONS = [
  ...new Set([...STATUS_REASONS.DECLINED, ...STATUS_REASONS.WITHDRAWN, ...STATUS_REASONS.CANCELLED]),
] as const;
export type StatusReason = (typeof ALL_STATUS_REASONS)[number];

export function reasonsFor(status: ReferralStatus): readonly string[] {
  return (STATUS_REASONS as Partial<Record<ReferralStatus, readonly string[]>>)[status] ?? [];
}

/**
 * FHIR R4 Task.status for each of our statuses (http://hl7.org/fhir/task-status), so partner
 * systems that model a referral as a Task can map it without a table of their own.
 */
export const FHIR_TASK_STATUS: Readonly<Record<ReferralStatus, string>> = {
  SENT: 'requested',
  RECEIVED: 'received',
  ACCEPTED: 'accepted',
  ATTENDING: 'in-progress',
  COMPLETED: 'completed',
  DECLINED: 'rejected',
  DID_NOT_ATTEND: 'failed',
  WITHDRAWN: 'cancelled',
  CANCELLED: 'cancelled',
};

/** SNOMED CT UK concepts recorded on the history, so GP systems can code the events. */
export const SNOMED = {
  /** Referral to social prescribing service: recorded on creation. */
  REFERRAL_TO_SOCIAL_PRESCRIBING: '871731000000106',
  /** Social prescribing declined: recorded when the person declines (withdraws themselves, or PERSON_DECLINED). */
  SOCIAL_PRESCRIBING_DECLINED: '871711000000103',
} as const;

/** The SNOMED CT code for a status change, if it is one GP systems code. */
export function snomedCodeForChange(to: ReferralStatus, reason: string | null, actor: LifecycleActor): string | null {
  if (to === 'WITHDRAWN' && (actor === 'person' || reason === 'PERSON_DECLINED')) {
    return SNOMED.SOCIAL_PRESCRIBING_DECLINED;
  }
  return null;
}

/**
 * When a link worker should next get in touch, after a referral reaches `status` at `at`:
 * chase an unanswered referral after 6 working days, check the person started two weeks after
 * acceptance, see how it is going four weeks in, ask for feedback a week after completion, and
 * talk about alternatives at once after a decline or a missed start. Self-referrals have no
 * link worker, so no follow-up.
 */
export function followUpDueAfter(status: ReferralStatus, at: Date, source: ReferralSource): Date | null {
  if (source === 'SELF') return null;
  switch (status) {
    case 'SENT':
    case 'RECEIVED':
      return addWorkingDays(at, 6);
    case 'ACCEPTED':
      return addDays(at, 14);
    case 'ATTENDING':
      return addDays(at, 28);
    case 'COMPLETED':
      return addDays(at, 7);
    case 'DECLINED':
    case 'DID_NOT_ATTEND':
      return at;
    case 'WITHDRAWN':
    case 'CANCELLED':
      return null;
  }
}
