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
  /** The professional's latest referrals, newest first. */
  myReferrals(
    first: number,
    options: CallOptions & { token: string },
  ): Promise<CallResult<{ totalCount: number; referrals: ReferralSummary[] }>>;
  createSelfReferral(input: CreateSelfReferralInput, options: CallOptions): Promise<CallResult<SelfReferralReceipt>>;
  selfReferralStatus(reference: string, secret: string, options: CallOptions): Promise<CallResult<SelfReferralStatus>>;
  /**
   * Withdraws a self-referral (the person no longer wants to go). NOT_FOUND when the reference
   * and secret do not match; INVALID_STATUS_TRANSITION when it is already closed.
   */
  withdrawSelfReferral(reference: string, secret: string, options: CallOptions): Promise<CallResult<SelfReferralStatus>>;
}
