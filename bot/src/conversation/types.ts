import type { Profession } from '@sp/auth/identity';
import type { ReferralService, WithdrawalReason } from '../referrals/referral-service';
import type { ActivitySearch, Suggestion } from '../search/activity-search';
import type { PlaceSource } from './places';

/**
 * The conversation's vocabulary. Plain data in and out: no chat framework, no transport, so a
 * conversation can be tested as a transcript and run behind any channel.
 */

/** A button offered with a reply; choosing it sends `value` as if the person had typed it. */
export interface QuickReply {
  label: string;
  value: string;
}

/** One message from the bot. Plain text: channels must show it as text, never as HTML. */
export interface BotReply {
  text: string;
  quickReplies?: QuickReply[];
  /**
   * 'secret': the person's next message is a secret (a sign-in token, a self-referral secret).
   * A channel should mask what is typed and keep it out of the transcript it shows.
   */
  inputHint?: 'secret';
}

/** What arrives from the person: a typed message, or the start of a conversation. */
export type IncomingMessage =
  | { type: 'text'; text: string }
  /** The chat opened; `returning` when it reconnected after losing its connection. */
  | { type: 'start'; returning?: boolean };

/** How an activity is taken part in, as the person put it ("online", "by phone", "at home"). */
export type Delivery = 'online' | 'phone' | 'home';

/** The last search, so that "Free only" or "Step-free" can be added to it. */
export interface SearchRequest {
  /** What was sent to the search: the person's words, with a place added or corrected. */
  text: string;
  place: string | null;
  delivery: Delivery | null;
  anywhere: boolean;
  free: boolean;
  stepFree: boolean;
}

/** Where the person said to look, remembered for their later searches in this conversation. */
export interface RememberedWhere {
  /** Added to a search that names no place: "in Dundee", "online", or "" for anywhere. */
  addition: string;
  /** Said back to them: "in Dundee", "online", "anywhere". */
  label: string;
}

/** The activity a referral is for, as shown in the results. */
export interface ActivityRef {
  id: string;
  name: string;
  organisationName: string;
}

export type ContactPreference = 'EMAIL' | 'PHONE' | 'TEXT_MESSAGE';
export type ConsentPurpose = 'SHARE_WITH_PROVIDER' | 'FOLLOW_UP_CONTACT' | 'TELL_GP_OUTCOME' | 'ANONYMISED_RESEARCH';
export type PathwayHop = Profession | 'SELF';

/** The person a referral is for, as far as the conversation has got. */
export interface PersonDetails {
  name?: string;
  email?: string;
  phone?: string;
  contactPreference?: ContactPreference;
  ageYears?: number;
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  /** In their words; null when they chose to skip it. */
  whatMattersToMe?: string | null;
}

/** A professional's referral being written. Dropped once sent or cancelled. */
export interface ReferralDraft {
  activity: ActivityRef;
  /** Made once per draft, so a retry after a timeout cannot create a second referral. */
  idempotencyKey: string;
  person: PersonDetails;
  /** The person's answer for each purpose asked so far (recorded as given verbally). */
  consents: Partial<Record<ConsentPurpose, boolean>>;
  /** The GP practice's ODS code; null when skipped. Asked only with consent to tell the GP. */
  gpPracticeCode?: string | null;
  /** The hops before the provider, ending with the referrer's own profession. */
  pathway?: PathwayHop[];
}

/** A member of the public asking to join. Dropped once sent or cancelled. */
export interface SelfReferralDraft {
  activity: ActivityRef;
  idempotencyKey: string;
  person: PersonDetails;
  /** They agreed to share their details with the organiser (asked first; no stops the flow). */
  consented?: boolean;
}

/** What to do once a professional has signed in. */
export type AfterSignIn =
  | { kind: 'refer'; activity: ActivityRef }
  | { kind: 'resume'; draft: ReferralDraft }
  | { kind: 'my-referrals' }
  /** Show this referral (again): after the sign-in ran out while opening or withdrawing it. */
  | { kind: 'open-referral'; id: string };

/**
 * What the bot is waiting for, when the next message answers a question rather than starting
 * something new. Each flow holds only what it needs, and is dropped when it ends.
 */
export type Flow =
  /** "Where should it be?": the request waits for a place. */
  | { kind: 'place'; request: SearchRequest }
  /** The next message is a sign-in token: never searched, echoed or logged. */
  | { kind: 'sign-in'; then?: AfterSignIn }
  | { kind: 'refer'; draft: ReferralDraft }
  | { kind: 'join'; draft: SelfReferralDraft }
  /** Checking a self-referral: the reference first, then the secret (never kept). */
  | { kind: 'check'; reference?: string }
  /**
   * Withdrawing a self-referral: the reference, then "are you sure?", then the secret, which is
   * sent at once and never kept (so it is asked for after the confirmation, not before).
   * `activityName` when it follows a status check that named the activity, for the question.
   */
  | { kind: 'withdraw'; reference?: string; confirmed?: boolean; activityName?: string }
  /**
   * A professional withdrawing a referral they opened: "are you sure?", then the reason, which
   * sends it. Ids and the activity's name only.
   */
  | { kind: 'withdraw-mine'; referral: OpenedReferral; confirmed?: boolean };

/**
 * The page of "My referrals" shown last, so "open 2" and "more" work: ids and the service's
 * cursor only, no names.
 */
export interface ListedReferrals {
  /** The ids shown, in order; the first is number `from`. */
  ids: string[];
  from: number;
  /** The cursor for the next page; absent when there are no more. */
  after?: string;
}

/** A referral a professional opened that can still be withdrawn, for its "Withdraw this referral" button. */
export interface OpenedReferral {
  id: string;
  /** Null when the directory did not answer. */
  activityName: string | null;
  /** ISO 8601: when it was sent, to tell it apart in the question. */
  createdAt: string;
}

export type { WithdrawalReason };

/** A self-referral whose status was just shown with its activity's name. */
export interface CheckedRequest {
  reference: string;
  activityName: string;
}

/** A professional's sign-in, kept until it expires, they sign out, or the conversation ends. */
export interface Session {
  token: string;
  subject: string;
  role: 'professional';
  profession: Profession;
  /** From the token's `name` claim when it has one; for display only. */
  displayName?: string;
  /** Epoch milliseconds (the token's `exp`). */
  expiresAt: number;
}

/**
 * Everything the bot remembers between turns. JSON-serialisable, so it can be kept in a shared
 * store (encrypted). Personal details live only in a draft, and only until it is sent or
 * cancelled; a self-referral's secret is never kept.
 */
export interface ConversationState {
  /** The suggestions from the last search, best first. */
  results: Suggestion[];
  /** How many of `results` have been shown. */
  shown: number;
  /** True when the search returned as many as it was asked for, so others may match too. */
  capped: boolean;
  /** The search that found `results`, for refinements. */
  search?: SearchRequest;
  where?: RememberedWhere;
  flow?: Flow;
  session?: Session;
  /**
   * The request whose status was shown last turn, so that its "Withdraw this referral" button can
   * ask "Withdraw your request to join …?". Kept for the next turn only.
   */
  justChecked?: CheckedRequest;
  /** A professional's "My referrals" page shown last (dropped by a new search, and on signing out). */
  listed?: ListedReferrals;
  /** The referral a professional opened last, while it can be withdrawn (dropped as `listed` is). */
  opened?: OpenedReferral;
}

/** Where the person's messages come from, for the gateway's rate limits. */
export interface TurnContext {
  clientAddress?: string;
}

export interface ConversationDeps {
  search: ActivitySearch;
  /** Towns and areas the directory knows; without it, places are recognised by their wording only. */
  places?: PlaceSource;
  /** Sign-in checks and referrals through the gateway; without it, referring is unavailable. */
  referrals?: ReferralService;
  /** This turn's caller. */
  client?: TurnContext;
  now?: () => number;
  newIdempotencyKey?: () => string;
}

export type Intent =
  | 'start'
  | 'greeting'
  | 'help'
  | 'restart'
  | 'more'
  | 'thanks'
  | 'goodbye'
  | 'empty'
  | 'unclear'
  | 'too-long'
  | 'safety'
  | 'human'
  | 'hostile'
  | 'explain'
  | 'search'
  | 'refine'
  | 'sign-in'
  | 'sign-out'
  | 'my-referrals'
  | 'open-referral'
  | 'check-referral'
  | 'withdraw-referral'
  | 'refer'
  | 'join'
  /** An answer to a question the bot asked (a place, a name, a consent...). */
  | 'answer';

/** What happened in a turn, for logs and metrics. Carries no words from the person. */
export interface TurnSummary {
  intent: Intent;
  /** For 'safety': which kind of urgent need the words suggested. */
  concern?: 'suicide' | 'abuse' | 'emergency';
  outcome?:
    | 'results'
    | 'no-results'
    | 'unavailable'
    | 'no-more'
    | 'asked'
    | 'invalid'
    | 'signed-in'
    | 'refused'
    | 'sent'
    | 'cancelled'
    | 'failed'
    | 'status'
    | 'withdrawn';
  resultCount?: number;
  /** The flow a turn belonged to, and the question it asked next: 'refer', 'name'. */
  flow?: Flow['kind'];
  step?: string;
  /** An error code from the gateway, such as RATE_LIMITED. */
  problem?: string;
}

export interface TurnResult {
  replies: BotReply[];
  state: ConversationState;
  summary: TurnSummary;
}

export function initialState(): ConversationState {
  return { results: [], shown: 0, capped: false };
}
