import type { CallProblem } from '../referrals/referral-service';
import { isProfession, isSkip, readClaims, readGpPracticeCode, readPathway, readToken, readYesNo } from './answers';
import * as say from './flow-replies';
import { answerPersonStep, askPersonStep, forgetField, nextPersonStep, personInput, withAside, type PersonStep } from './person-steps';
import { actionButtons } from './search-flow';
import { withoutFlow, type Turn } from './turn';
import type { ReferralStatus, WithdrawalReason } from '../referrals/referral-service';
import { readWithdrawAnswer } from './self-referral';
import { normalise } from './text';
import type {
  ActivityRef,
  AfterSignIn,
  BotReply,
  ConsentPurpose,
  ConversationState,
  Flow,
  ListedReferrals,
  OpenedReferral,
  ReferralDraft,
  Session,
  TurnResult,
} from './types';

/**
 * Professionals: signing in with a token, referring someone to an activity, and listing their
 * referrals. The token is kept in the session until it expires or they sign out; it is never
 * searched, repeated or logged.
 */

const MY_REFERRALS_SHOWN = 5;

/** The session, or none once its token has expired. */
export function liveSession(state: ConversationState, now: number): Session | undefined {
  return state.session && state.session.expiresAt > now ? state.session : undefined;
}

export function startSignIn(state: ConversationState, then?: AfterSignIn, before: BotReply[] = []): TurnResult {
  return {
    replies: [...before, say.signInPrompt],
    state: { ...withoutFlow(state), flow: then ? { kind: 'sign-in', then } : { kind: 'sign-in' } },
    summary: { intent: 'sign-in', outcome: 'asked', flow: 'sign-in', step: 'token' },
  };
}

export async function answerSignIn(state: ConversationState, then: AfterSignIn | undefined, text: string, turn: Turn): Promise<TurnResult> {
  const stay = (reply: BotReply, outcome: 'invalid' | 'failed' | 'unavailable', problem?: string): TurnResult => ({
    replies: [reply],
    state,
    summary: { intent: 'sign-in', outcome, flow: 'sign-in', step: 'token', ...(problem ? { problem } : {}) },
  });
  const token = readToken(text);
  const claims = token ? readClaims(token) : null;
  if (!token || !claims) return stay(say.notAToken, 'invalid');
  if (claims.exp !== undefined && claims.exp * 1000 <= turn.now) return stay(say.tokenExpired, 'invalid');
  const referrals = turn.deps.referrals;
  if (!referrals) return { replies: [say.referralsUnavailable], state: withoutFlow(state), summary: { intent: 'sign-in', outcome: 'unavailable' } };

  const checked = await referrals.checkSignIn({ ...turn.call, token });
  if (!checked.ok) {
    return checked.problem.code === 'UNAUTHENTICATED'
      ? stay(say.tokenRefused, 'failed', 'UNAUTHENTICATED')
      : stay(say.signInUnavailable, 'unavailable', checked.problem.code);
  }
  if (claims.role !== 'professional' || !isProfession(claims.profession)) {
    // A provider or an administrator: the token is not kept, and nor is any draft.
    return { replies: [say.notAProfessional(claims.role)], state: withoutFlow(state), summary: { intent: 'sign-in', outcome: 'refused' } };
  }
  const session: Session = {
    token,
    subject: claims.sub,
    role: 'professional',
    profession: claims.profession,
    ...(claims.name ? { displayName: claims.name } : {}),
    // Without an expiry claim the gateway would have refused it; a day is the longest kept.
    expiresAt: claims.exp !== undefined ? claims.exp * 1000 : turn.now + 24 * 60 * 60_000,
  };
  // A new sign-in (perhaps another account) starts without the last one's list.
  const signedIn: ConversationState = { ...withoutCaseload(withoutFlow(state)), session };
  if (then?.kind === 'open-referral') return prefix(say.signedIn(session, []), await openReferral(signedIn, then.id, turn), 'signed-in');
  if (then?.kind === 'refer') return prefix(say.signedIn(session, []), await startReferral(signedIn, then.activity, turn), 'signed-in');
  if (then?.kind === 'my-referrals') return prefix(say.signedIn(session, []), await myReferrals(signedIn, turn), 'signed-in');
  if (then?.kind === 'resume') {
    const resumed: ConversationState = { ...signedIn, flow: { kind: 'refer', draft: then.draft } };
    return prefix(say.signedIn(session, []), askNext(resumed, then.draft, session), 'signed-in');
  }
  return {
    replies: [say.signedIn(session, actionButtons(signedIn, Math.max(0, signedIn.shown - 3), signedIn.shown))],
    state: signedIn,
    summary: { intent: 'sign-in', outcome: 'signed-in' },
  };
}

/** The sign-in confirmation first, then what was waiting for it; the first reply loses its buttons. */
function prefix(first: BotReply, result: TurnResult, outcome: 'signed-in'): TurnResult {
  const { quickReplies: _buttons, ...plain } = first;
  return { ...result, replies: [plain, ...result.replies], summary: { ...result.summary, intent: 'sign-in', outcome } };
}

export function signOut(state: ConversationState): TurnResult {
  if (!state.session) return { replies: [say.notSignedIn], state, summary: { intent: 'sign-out' } };
  const dropping = state.flow?.kind === 'refer' || (state.flow?.kind === 'sign-in' && state.flow.then?.kind === 'resume');
  const withdrawing = state.flow?.kind === 'withdraw-mine';
  // The list and the opened referral go with the sign-in they were fetched with.
  const { session: _session, ...rest } = withoutCaseload(dropping || withdrawing ? withoutFlow(state) : state);
  return { replies: [withdrawing ? say.signedOutNotWithdrawn : say.signedOut(dropping)], state: rest, summary: { intent: 'sign-out', outcome: 'cancelled' } };
}

// ---- My referrals: listing, paging, opening one and withdrawing it -------------------------
//
// The referral service decides what a professional may see and audits every read, so the bot
// asks it each time: it keeps only the ids it listed, the service's cursor for the next page and
// the referral last opened (id, activity, date), never the person's details.

/** Statuses a referrer may still withdraw from (the referral service's own rule). */
const WITHDRAWABLE = new Set<ReferralStatus>(['SENT', 'RECEIVED', 'ACCEPTED', 'ATTENDING']);

/** The state without the listed page and the opened referral (a new search, another sign-in). */
export function withoutCaseload(state: ConversationState): ConversationState {
  const { listed: _listed, opened: _opened, ...rest } = state;
  return rest;
}

/** "My referrals": the latest five, numbered, each with an "Open" button. */
export async function myReferrals(state: ConversationState, turn: Turn, before: BotReply[] = []): Promise<TurnResult> {
  return listPage(state, turn, { from: 1 }, before);
}

/** "More" after "My referrals": the next five, from the cursor the service gave. */
export async function moreReferrals(state: ConversationState, listed: ListedReferrals, turn: Turn): Promise<TurnResult> {
  if (!listed.after) return { replies: [say.noMoreReferrals], state, summary: { intent: 'more', outcome: 'no-more' } };
  return listPage(state, turn, { from: listed.from + listed.ids.length, after: listed.after });
}

async function listPage(state: ConversationState, turn: Turn, page: { from: number; after?: string }, before: BotReply[] = []): Promise<TurnResult> {
  const intent = page.from === 1 ? 'my-referrals' : 'more';
  const session = liveSession(state, turn.now);
  if (!session) return startSignIn(signedOut(state), { kind: 'my-referrals' }, [...before, say.signInFirstForReferrals]);
  const referrals = turn.deps.referrals;
  if (!referrals) return { replies: [say.referralsUnavailable], state, summary: { intent, outcome: 'unavailable' } };
  const result = await referrals.myReferrals(
    { first: MY_REFERRALS_SHOWN, ...(page.after ? { after: page.after } : {}) },
    { ...turn.call, token: session.token },
  );
  if (!result.ok) {
    if (result.problem.code === 'UNAUTHENTICATED') return startSignIn(signedOut(state), { kind: 'my-referrals' }, [say.signInFirstForReferrals]);
    return { replies: [say.myReferralsUnavailable], state, summary: { intent, outcome: 'unavailable', problem: result.problem.code } };
  }
  const { totalCount, referrals: shown, nextCursor } = result.value;
  if (shown.length === 0 && page.from > 1) return { replies: [say.noMoreReferrals], state, summary: { intent, outcome: 'no-more' } };
  const listed: ListedReferrals = { ids: shown.map((referral) => referral.id), from: page.from, ...(nextCursor ? { after: nextCursor } : {}) };
  return {
    replies: [...before, say.myReferrals(totalCount, shown, page.from, nextCursor !== null)],
    state: { ...state, listed },
    summary: { intent, outcome: shown.length > 0 ? 'results' : 'no-results', resultCount: shown.length },
  };
}

/** The state without the session (it ran out or was refused); the next sign-in drops the list it fetched. */
function signedOut(state: ConversationState): ConversationState {
  const { session: _session, ...rest } = state;
  return rest;
}

/** The service's ids are UUIDs. */
const REFERRAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a word is a referral's id: one listed, one opened, or shaped like the service's. */
export function isReferralId(state: ConversationState, text: string): boolean {
  return REFERRAL_ID.test(text) || state.listed?.ids.includes(text) === true || state.opened?.id === text;
}

/** "2" (its number in the list shown) or an id: the referral's id, or undefined for a number not on the list. */
function referralIdFor(state: ConversationState, target: string): string | undefined {
  if (!/^\d{1,3}$/.test(target)) return target;
  const listed = state.listed;
  const index = listed ? Number(target) - listed.from : -1;
  return listed && index >= 0 && index < listed.ids.length ? listed.ids[index] : undefined;
}

/** "open 2", "show 2", the "Open 2" button or the referral's id: the referral as the service gives it. */
export async function openReferral(state: ConversationState, target: string, turn: Turn, before: BotReply[] = []): Promise<TurnResult> {
  if (!state.listed && /^\d{1,3}$/.test(target)) return myReferrals(state, turn, [say.openFromList]);
  const id = referralIdFor(state, target);
  if (!id) return { replies: [say.notOnTheList(target)], state, summary: { intent: 'open-referral', outcome: 'invalid' } };
  const session = liveSession(state, turn.now);
  if (!session) return startSignIn(signedOut(state), { kind: 'open-referral', id }, [say.signInFirstForReferrals]);
  const referrals = turn.deps.referrals;
  if (!referrals) return { replies: [say.referralsUnavailable], state, summary: { intent: 'open-referral', outcome: 'unavailable' } };
  const result = await referrals.referral(id, { ...turn.call, token: session.token });
  const { opened: _opened, ...rest } = state;
  if (result.ok) {
    const detail = result.value;
    const withdrawable = WITHDRAWABLE.has(detail.status);
    const opened: OpenedReferral = { id: detail.id, activityName: detail.activityName, createdAt: detail.createdAt };
    return {
      replies: [...before, say.referralDetail(detail, withdrawable)],
      state: withdrawable ? { ...rest, opened } : rest,
      summary: { intent: 'open-referral', outcome: 'status' },
    };
  }
  const failed = (reply: BotReply): TurnResult => ({ replies: [reply], state: rest, summary: { intent: 'open-referral', outcome: 'failed', problem: result.problem.code } });
  switch (result.problem.code) {
    case 'UNAUTHENTICATED': {
      const asked = startSignIn(signedOut(state), { kind: 'open-referral', id });
      return { ...asked, replies: [say.signInAgainToOpen], summary: { ...asked.summary, outcome: 'failed', problem: result.problem.code } };
    }
    case 'NOT_FOUND':
    case 'BAD_USER_INPUT':
      return failed(say.referralNotFound);
    case 'RATE_LIMITED':
      return failed(say.rateLimited(result.problem.retryAfterSeconds, false));
    default:
      return failed(say.referralUnavailable(id));
  }
}

type WithdrawMineFlow = Extract<Flow, { kind: 'withdraw-mine' }>;

/**
 * A signed-in professional's "withdraw my referral", or the "Withdraw this referral" button
 * under an opened referral. Without a referral named, or one not just opened, it shows the
 * list or the referral first, so they withdraw only what they have in front of them.
 */
export async function startWithdrawMine(state: ConversationState, target: string | undefined, turn: Turn): Promise<TurnResult> {
  if (!target) return myReferrals(withoutFlow(state), turn, [say.pickToWithdraw]);
  const id = referralIdFor(state, target);
  if (id && state.opened?.id === id) {
    const flow: WithdrawMineFlow = { kind: 'withdraw-mine', referral: state.opened };
    return {
      replies: [withdrawMineQuestion(flow)],
      state: { ...withoutFlow(state), flow },
      summary: { intent: 'withdraw-referral', outcome: 'asked', flow: 'withdraw-mine', step: 'confirm' },
    };
  }
  return openReferral(withoutFlow(state), target, turn);
}

export function withdrawMineQuestion(flow: WithdrawMineFlow): BotReply {
  return flow.confirmed ? say.askWithdrawalReason : say.confirmWithdrawMine(flow.referral);
}

const REASONS: Record<WithdrawalReason, string[]> = {
  PERSON_DECLINED: ['person declined', 'they decided not to go', 'decided not to go', 'they declined', 'declined', 'changed their mind', 'they changed their mind', 'did not want to go', '1'],
  NO_LONGER_NEEDED: ['no longer needed', 'not needed', 'not needed any more', 'not needed anymore', 'no need', '2'],
  REFERRED_ELSEWHERE: ['referred elsewhere', 'elsewhere', 'referred somewhere else', 'somewhere else', '3'],
  OTHER: ['other', 'another reason', 'other reason', 'something else', '4'],
};

function readReason(text: string): WithdrawalReason | undefined {
  const answer = normalise(text);
  return (Object.keys(REASONS) as WithdrawalReason[]).find((reason) => REASONS[reason].includes(answer) || normalise(reason) === answer);
}

export async function answerWithdrawMine(state: ConversationState, flow: WithdrawMineFlow, text: string, turn: Turn): Promise<TurnResult> {
  const step = flow.confirmed ? 'reason' : 'confirm';
  const invalid = (reply: BotReply): TurnResult => ({ replies: [reply], state, summary: { intent: 'answer', outcome: 'invalid', flow: 'withdraw-mine', step } });
  if (!flow.confirmed) {
    const answer = readWithdrawAnswer(text);
    if (answer === null) return invalid({ ...say.confirmWithdrawMine(flow.referral), text: `Please answer yes or no. ${say.confirmWithdrawMine(flow.referral).text}` });
    if (!answer) return { replies: [say.withdrawMineKept], state: withoutFlow(state), summary: { intent: 'answer', outcome: 'cancelled', flow: 'withdraw-mine' } };
    const next: WithdrawMineFlow = { ...flow, confirmed: true };
    return { replies: [withdrawMineQuestion(next)], state: { ...state, flow: next }, summary: { intent: 'answer', outcome: 'asked', flow: 'withdraw-mine', step: 'reason' } };
  }
  const reason = readReason(text);
  if (!reason) return invalid({ ...say.askWithdrawalReason, text: `Please choose one of these. ${say.askWithdrawalReason.text}` });
  return sendWithdrawal(state, flow.referral, reason, turn);
}

async function sendWithdrawal(state: ConversationState, referral: OpenedReferral, reason: WithdrawalReason, turn: Turn): Promise<TurnResult> {
  // The flow is over whatever the answer; a retry asks again ("are you sure?" and the reason).
  const done = withoutFlow(state);
  const { opened: _opened, ...closed } = done;
  const finished = (replies: BotReply[], next: ConversationState, outcome: 'withdrawn' | 'failed' | 'unavailable', problem?: string): TurnResult => ({
    replies,
    state: next,
    summary: { intent: 'answer', outcome, flow: 'withdraw-mine', ...(problem ? { problem } : {}) },
  });
  const session = liveSession(state, turn.now);
  const signInAgain = (problem?: string): TurnResult => {
    const asked = startSignIn(signedOut(closed), { kind: 'open-referral', id: referral.id });
    return { ...asked, replies: [say.signInAgainToWithdraw], summary: { ...asked.summary, outcome: 'failed', ...(problem ? { problem } : {}) } };
  };
  if (!session) return signInAgain();
  const referrals = turn.deps.referrals;
  if (!referrals) return finished([say.referralsUnavailable], done, 'unavailable');
  const result = await referrals.withdrawReferral(referral.id, reason, { ...turn.call, token: session.token });
  if (result.ok) return finished([say.withdrawnMine(result.value, reason), say.referralDetail(result.value, false)], closed, 'withdrawn');
  const { problem } = result;
  switch (problem.code) {
    case 'UNAUTHENTICATED':
      return signInAgain(problem.code);
    case 'FORBIDDEN':
      return finished([say.withdrawForbidden], closed, 'failed', problem.code);
    case 'NOT_FOUND':
      return finished([say.withdrawMineNotFound], closed, 'failed', problem.code);
    case 'INVALID_STATUS_TRANSITION':
      return finished([say.withdrawMineEnded(referral.id)], closed, 'failed', problem.code);
    case 'CONFLICT':
      return finished([say.withdrawMineConflict(referral.id)], closed, 'failed', problem.code);
    case 'RATE_LIMITED':
      return finished([say.withdrawMineRateLimited(referral.id, problem.retryAfterSeconds)], done, 'failed', problem.code);
    default:
      return finished([say.withdrawMineUnavailable(referral.id)], done, 'failed', problem.code);
  }
}

// ---- The referral itself ---------------------------------------------------------------------

type ReferStep = PersonStep | { consent: ConsentPurpose } | 'gp-practice' | 'pathway' | 'confirm';

/** The first thing the draft still lacks: only what is missing is asked. */
function nextStep(draft: ReferralDraft): ReferStep {
  const personStep = nextPersonStep({ ...draft.person, whatMattersToMe: draft.person.whatMattersToMe ?? null });
  if (personStep) return personStep;
  for (const purpose of say.CONSENT_PURPOSES) {
    if (draft.consents[purpose] === undefined) return { consent: purpose };
    if (purpose === 'TELL_GP_OUTCOME' && draft.consents.TELL_GP_OUTCOME && draft.gpPracticeCode === undefined) return 'gp-practice';
  }
  if (draft.person.whatMattersToMe === undefined) return 'note';
  if (!draft.pathway) return 'pathway';
  return 'confirm';
}

function stepName(step: ReferStep): string {
  return typeof step === 'string' ? step : `consent-${step.consent}`;
}

/** The question a referral is waiting on: 'name', 'contact', 'consent-FOLLOW_UP_CONTACT', 'confirm'... */
export function referStep(draft: ReferralDraft): string {
  return stepName(nextStep(draft));
}

function audience(draft: ReferralDraft): say.Audience {
  return { kind: 'professional', person: draft.person, activity: draft.activity };
}

function question(draft: ReferralDraft, session: Session | undefined): BotReply {
  const step = nextStep(draft);
  const own = session?.profession ?? draft.pathway?.at(-1) ?? 'GP';
  if (typeof step === 'object') return say.askConsent(step.consent, draft);
  switch (step) {
    case 'gp-practice':
      return say.askGpPractice(draft);
    case 'pathway':
      return say.askPathway(draft, own === 'SELF' ? 'GP' : own);
    case 'confirm':
      return say.referralSummary(draft, own === 'SELF' ? 'GP' : own);
    default:
      return askPersonStep(step, audience(draft), draft.person);
  }
}

/** Asks the draft's next question, and keeps the draft in the state. */
export function askNext(state: ConversationState, draft: ReferralDraft, session: Session | undefined, before: BotReply[] = []): TurnResult {
  const step = nextStep(draft);
  return {
    replies: [...before, question(draft, session)],
    state: { ...state, flow: { kind: 'refer', draft } },
    summary: { intent: 'answer', outcome: 'asked', flow: 'refer', step: stepName(step) },
  };
}

/** The question the referral is waiting on, to ask again after help or an interruption. */
export function referQuestion(draft: ReferralDraft, session: Session | undefined): BotReply {
  return question(draft, session);
}

export async function startReferral(state: ConversationState, activity: ActivityRef, turn: Turn): Promise<TurnResult> {
  const session = liveSession(state, turn.now);
  if (!session) {
    const { session: _expired, ...signedOut } = state;
    return startSignIn(signedOut, { kind: 'refer', activity }, [say.signInFirstToRefer]);
  }
  if (!turn.deps.referrals) return { replies: [say.referralsUnavailable], state, summary: { intent: 'refer', outcome: 'unavailable' } };
  const draft: ReferralDraft = { activity, idempotencyKey: turn.newIdempotencyKey(), person: {}, consents: {} };
  const result = askNext(withoutFlow(state), draft, session);
  return { ...result, summary: { ...result.summary, intent: 'refer' } };
}

export async function answerReferral(state: ConversationState, draft: ReferralDraft, text: string, turn: Turn): Promise<TurnResult> {
  const session = liveSession(state, turn.now);
  const step = nextStep(draft);
  const invalid = (reply: BotReply): TurnResult => ({
    replies: [reply],
    state,
    summary: { intent: 'answer', outcome: 'invalid', flow: 'refer', step: stepName(step) },
  });

  if (typeof step === 'object') {
    const answer = readYesNo(text);
    if (answer === null) return invalid({ ...say.yesOrNo, text: `${say.yesOrNo.text} ${say.askConsent(step.consent, draft).text}` });
    if (step.consent === 'SHARE_WITH_PROVIDER' && !answer) {
      return { replies: [say.cannotReferWithoutConsent(draft)], state: withoutFlow(state), summary: { intent: 'answer', outcome: 'cancelled', flow: 'refer' } };
    }
    return askNext(state, { ...draft, consents: { ...draft.consents, [step.consent]: answer } }, session);
  }
  switch (step) {
    case 'gp-practice': {
      if (isSkip(text)) return askNext(state, { ...draft, gpPracticeCode: null }, session);
      const code = readGpPracticeCode(text);
      return code ? askNext(state, { ...draft, gpPracticeCode: code }, session) : invalid(say.badGpPractice);
    }
    case 'pathway': {
      const own = session?.profession;
      if (!own) return signInToResume(state, draft);
      const pathway = readPathway(text, own);
      return pathway ? askNext(state, { ...draft, pathway }, session) : invalid({ ...say.askPathway(draft, own), text: `${say.badPathway.text}` });
    }
    case 'confirm': {
      const answer = /^(send|send it|send referral|send the referral|try again|retry)$/i.test(text.trim()) ? true : readYesNo(text);
      if (answer === null) return invalid(say.sendOrCancel);
      if (!answer) return { replies: [say.flowCancelled], state: withoutFlow(state), summary: { intent: 'answer', outcome: 'cancelled', flow: 'refer' } };
      return send(state, draft, turn);
    }
    default: {
      const answered = answerPersonStep(step, draft.person, text, turn.now, audience(draft));
      if (!answered.ok) return invalid(answered.reply);
      return withAside(answered.aside, askNext(state, { ...draft, person: answered.person }, session));
    }
  }
}

/** The sign-in ran out: ask for a new token, and keep the draft to carry on with. */
function signInToResume(state: ConversationState, draft: ReferralDraft): TurnResult {
  const { session: _expired, ...signedOut } = state;
  const asked = startSignIn(signedOut, { kind: 'resume', draft });
  return { ...asked, replies: [say.signInAgain] };
}

function forgetProblem(draft: ReferralDraft, problem: CallProblem): { draft: ReferralDraft; what: string } | undefined {
  if (problem.code === 'INVALID_GP_PRACTICE_CODE' || problem.field === 'person.gpPracticeCode') {
    const { gpPracticeCode: _code, ...rest } = draft;
    return { draft: rest, what: 'GP practice code' };
  }
  if (problem.code === 'INVALID_PATHWAY' || problem.field === 'pathway') {
    const { pathway: _pathway, ...rest } = draft;
    return { draft: rest, what: 'pathway' };
  }
  const person = forgetField(draft.person, problem.code, problem.field);
  return person ? { draft: { ...draft, person: person.person }, what: person.what } : undefined;
}

async function send(state: ConversationState, draft: ReferralDraft, turn: Turn): Promise<TurnResult> {
  const session = liveSession(state, turn.now);
  if (!session) return signInToResume(state, draft);
  const referrals = turn.deps.referrals;
  if (!referrals) return { replies: [say.referralsUnavailable], state, summary: { intent: 'answer', outcome: 'unavailable', flow: 'refer' } };
  const result = await referrals.createReferral(
    {
      activityId: draft.activity.id,
      idempotencyKey: draft.idempotencyKey,
      person: { ...personInput(draft.person), ...(draft.gpPracticeCode ? { gpPracticeCode: draft.gpPracticeCode } : {}) },
      consents: say.CONSENT_PURPOSES.filter((purpose) => draft.consents[purpose] !== undefined).map((purpose) => ({
        purpose,
        granted: draft.consents[purpose]!,
        method: 'VERBAL' as const,
      })),
      pathway: draft.pathway ?? [session.profession],
    },
    { ...turn.call, token: session.token },
  );
  const failed = (reply: BotReply, next: ConversationState, problem: string): TurnResult => ({
    replies: [reply],
    state: next,
    summary: { intent: 'answer', outcome: 'failed', flow: 'refer', problem },
  });
  if (result.ok) {
    // Sent: the person's details go with the draft.
    return {
      replies: [say.referralSent(draft, result.value.id)],
      state: withoutFlow(state),
      summary: { intent: 'answer', outcome: 'sent', flow: 'refer' },
    };
  }
  const { problem } = result;
  switch (problem.code) {
    case 'UNAUTHENTICATED': {
      const asked = signInToResume(state, draft);
      return { ...asked, summary: { ...asked.summary, outcome: 'failed', problem: problem.code } };
    }
    case 'FORBIDDEN':
      return failed(say.forbidden, state, problem.code);
    case 'RATE_LIMITED':
      return failed(say.rateLimited(problem.retryAfterSeconds, true), state, problem.code);
    case 'UNKNOWN_ACTIVITY':
      return failed(say.unknownActivity(draft.activity), withoutFlow(state), problem.code);
    case 'CONFLICT':
      return failed(say.conflict, state, problem.code);
    case 'CONSENT_REQUIRED': {
      const { SHARE_WITH_PROVIDER: _share, ...consents } = draft.consents;
      const result = askNext(state, { ...draft, consents }, session, [say.consentRequired]);
      return { ...result, summary: { ...result.summary, outcome: 'failed', problem: problem.code } };
    }
    case 'UNAVAILABLE':
      return failed(say.sendUnavailable, state, problem.code);
    default: {
      const forgotten = forgetProblem(draft, problem);
      if (!forgotten) return failed(say.sendUnavailable, state, problem.code);
      const result = askNext(state, forgotten.draft, session, [say.notAccepted(forgotten.what)]);
      return { ...result, summary: { ...result.summary, outcome: 'failed', problem: problem.code } };
    }
  }
}
