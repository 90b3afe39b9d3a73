import type { ConsentPurpose, ContactPreference, PathwayHop } from '../conversation/types';

/**
 * What the conversation needs for signing in and referring, and nothing more. The gateway
 * implements it (referral-gateway.ts); transcript tests use an in-memory fake.
 *
 * Expected failures come back as values, so the conversation can answer each calmly; only
 * programming errors are thrown.
 */

/** Who makes the call: a signed-in professional's token, and the chat user's address. */
export interface CallOptions {
  token?: string;
  clientAddress?: string;
}

/**
 * Why a call failed: the gateway's `extensions.code` (UNAUTHENTICATED, FORBIDDEN,
 * CONSENT_REQUIRED, BAD_USER_INPUT, INVALID_EMAIL, RATE_LIMITED, NOT_FOUND, ...) or UNAVAILABLE
 * when the gateway could not be reached, timed out or answered in a way the bot cannot read.
 */
export interface CallProblem {
  code: string;
  /** The input field the problem is about, such as `person.email`. */
  field?: string;
  retryAfterSeconds?: number;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; problem: CallProblem };

export type ReferralStatus =
  | 'SENT'
  | 'RECEIVED'
  | 'ACCEPTED'
  | 'ATTENDING'
  | 'COMPLETED'
  | 'DECLINED'
  | 'DID_NOT_ATTEND'
  | 'WITHDRAWN'
  | 'CANCELLED';

export interface PersonInput {
  name: string;
  contactPreference: ContactPreference;
  email?: string;
  phone?: string;
  ageYears?: number;
  dateOfBirth?: string;
  whatMattersToMe?: string;
}

export interface CreateReferralInput {
  activityId: string;
  idempotencyKey: string;
  person: PersonInput & { gpPracticeCode?: string };
  consents: Array<{ purpose: ConsentPurpose; granted: boolean; method: 'VERBAL' }>;
  pathway: PathwayHop[];
}

export interface CreateSelfReferralInput {
  activityId: string;
  idempotencyKey: string;
  person: PersonInput;
  consents: Array<{ purpose: ConsentPurpose; granted: boolean }>;
}

export interface CreatedReferral {
  id: string;
  status: ReferralStatus;
}

export interface SelfReferralReceipt {
  reference: string;
  /** Shown to the person once; never kept. */
  secret: string;
  status: ReferralStatus;
}

export interface ReferralSummary {
  id: string;
  status: ReferralStatus;
  /** ISO 8601. */
  createdAt: string;
  activityName: string | null;
  /** Null once the person's details have been erased. */
  personName: string | null;
}

/** A page of the professional's referrals, newest first. */
export interface ReferralPage {
  totalCount: number;
  referrals: ReferralSummary[];
  /** The cursor to ask for the next page with; null when there are no more. */
  nextCursor: string | null;
}

/** Why a referral was withdrawn: the referral service's WITHDRAWN reasons. */
export type WithdrawalReason = 'PERSON_DECLINED' | 'NO_LONGER_NEEDED' | 'REFERRED_ELSEWHERE' | 'OTHER';

/** One change of status in a referral's history (its creation is the change to SENT). */
export interface StatusEvent {
  /** ISO 8601. */
  at: string;
  status: ReferralStatus;
  /** The service's reason code (StatusReason) for an exit, such as FULL or NO_LONGER_NEEDED. */
  reason: string | null;
}

/**
 * One referral as a professional sees it in the chat: what the screen needs, nothing more (no
 * contact details, no notes, no "what matters to me").
 */
export interface ReferralDetail {
  id: string;
  status: ReferralStatus;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  /** Null when the directory did not answer (say it without the name). */
  activityName: string | null;
  /** Null once the person's details have been erased. Shown as initials only. */
  personName: string | null;
  pathway: PathwayHop[];
  consents: Array<{ purpose: ConsentPurpose; granted: boolean }>;
  /** Status changes, oldest first. */
  history: StatusEvent[];
}

export interface SelfReferralStatus {
  reference: string;
  status: ReferralStatus;
  /** ISO 8601. */
  updatedAt: string;
  /** The activity the request is for; null when the directory did not answer (say it without the name). */
  activityName: string | null;
}

export interface ReferralService {
  /** Resolves ok when the gateway accepts the token (it answers UNAUTHENTICATED otherwise). */
  checkSignIn(options: CallOptions & { token: string }): Promise<CallResult<void>>;
  createReferral(input: CreateReferralInput, options: CallOptions & { token: string }): Promise<CallResult<CreatedReferral>>;
  /** The professional's referrals, newest first: `first` of them, after the cursor when given. */
  myReferrals(page: { first: number; after?: string }, options: CallOptions & { token: string }): Promise<CallResult<ReferralPage>>;
  /**
   * One referral (`referral(id)`): the referral service decides who may see it, and audits the
   * read. NOT_FOUND when there is none the caller can see.
   */
  referral(id: string, options: CallOptions & { token: string }): Promise<CallResult<ReferralDetail>>;
  /**
   * Withdraws a referral the professional made (`updateReferralStatus` to WITHDRAWN). FORBIDDEN,
   * NOT_FOUND, INVALID_STATUS_TRANSITION (already closed) and CONFLICT (changed meanwhile) as the
   * service gives them.
   */
  withdrawReferral(id: string, reason: WithdrawalReason, options: CallOptions & { token: string }): Promise<CallResult<ReferralDetail>>;
  createSelfReferral(input: CreateSelfReferralInput, options: CallOptions): Promise<CallResult<SelfReferralReceipt>>;
  selfReferralStatus(reference: string, secret: string, options: CallOptions): Promise<CallResult<SelfReferralStatus>>;
  /**
   * Withdraws a self-referral (the person no longer wants to go). NOT_FOUND when the reference
   * and secret do not match; INVALID_STATUS_TRANSITION when it is already closed.
   */
  withdrawSelfReferral(reference: string, secret: string, options: CallOptions): Promise<CallResult<SelfReferralStatus>>;
}
