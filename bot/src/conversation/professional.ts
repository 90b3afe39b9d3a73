import type { CallProblem } from '../referrals/referral-service';
import { isProfession, isSkip, readClaims, readGpPracticeCode, readPathway, readToken, readYesNo } from './answers';
import * as say from './flow-replies';
import { answerPersonStep, askPersonStep, forgetField, nextPersonStep, personInput, withAside, type PersonStep } from './person-steps';
import { actionButtons } from './search-flow';
import { withoutFlow, type Turn } from './turn';
import type { ActivityRef, AfterSignIn, BotReply, ConsentPurpose, ConversationState, ReferralDraft, Session, TurnResult } from './types';

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
  const signedIn: ConversationState = { ...withoutFlow(state), session };
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
  const { session: _session, ...rest } = dropping ? withoutFlow(state) : state;
  return { replies: [say.signedOut(dropping)], state: rest, summary: { intent: 'sign-out', outcome: 'cancelled' } };
}

export async function myReferrals(state: ConversationState, turn: Turn): Promise<TurnResult> {
  const session = liveSession(state, turn.now);
  if (!session) return startSignIn(state, { kind: 'my-referrals' }, [say.signInFirstForReferrals]);
  const referrals = turn.deps.referrals;
  if (!referrals) return { replies: [say.referralsUnavailable], state, summary: { intent: 'my-referrals', outcome: 'unavailable' } };
  const result = await referrals.myReferrals(MY_REFERRALS_SHOWN, { ...turn.call, token: session.token });
  if (!result.ok) {
    if (result.problem.code === 'UNAUTHENTICATED') {
      const { session: _expired, ...signedOut } = state;
      return startSignIn(signedOut, { kind: 'my-referrals' }, [say.signInFirstForReferrals]);
    }
    return { replies: [say.myReferralsUnavailable], state, summary: { intent: 'my-referrals', outcome: 'unavailable', problem: result.problem.code } };
  }
  return {
    replies: [say.myReferrals(result.value.totalCount, result.value.referrals)],
    state,
    summary: { intent: 'my-referrals', outcome: 'results', resultCount: result.value.referrals.length },
  };
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
