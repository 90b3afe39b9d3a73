import { readReference, readSecret, readYesNo } from './answers';
import * as say from './flow-replies';
import { answerPersonStep, askPersonStep, forgetField, nextPersonStep, personInput, withAside } from './person-steps';
import { normalise } from './text';
import { withoutFlow, type Turn } from './turn';
import type { ReferralStatus } from '../referrals/referral-service';
import type { ActivityRef, BotReply, CheckedRequest, ConversationState, Flow, SelfReferralDraft, TurnResult } from './types';

/**
 * Members of the public asking to join an activity (a self-referral), and checking on their
 * request later, or withdrawing it, with its reference and secret. Their details are kept only
 * while the request is being written; the secret is shown once and never kept.
 */

function audience(draft: SelfReferralDraft): say.Audience {
  return { kind: 'public', activity: draft.activity };
}

/** The question a request to join is waiting on: 'consent', 'name', ..., 'confirm'. */
export function joinStep(draft: SelfReferralDraft): string {
  return stepOf(draft);
}

function stepOf(draft: SelfReferralDraft): string {
  if (draft.consented !== true) return 'consent';
  return nextPersonStep(draft.person) ?? 'confirm';
}

export function joinQuestion(draft: SelfReferralDraft): BotReply[] {
  if (draft.consented !== true) return say.explainJoin(draft.activity);
  const step = nextPersonStep(draft.person);
  return step ? [askPersonStep(step, audience(draft), draft.person)] : [say.joinSummary(draft)];
}

function askNext(state: ConversationState, draft: SelfReferralDraft, before: BotReply[] = []): TurnResult {
  return {
    replies: [...before, ...joinQuestion(draft)],
    state: { ...state, flow: { kind: 'join', draft } },
    summary: { intent: 'answer', outcome: 'asked', flow: 'join', step: stepOf(draft) },
  };
}

export function startJoin(state: ConversationState, activity: ActivityRef, turn: Turn): TurnResult {
  if (!turn.deps.referrals) return { replies: [say.referralsUnavailable], state, summary: { intent: 'join', outcome: 'unavailable' } };
  const draft: SelfReferralDraft = { activity, idempotencyKey: turn.newIdempotencyKey(), person: {} };
  const result = askNext(withoutFlow(state), draft);
  return { ...result, summary: { ...result.summary, intent: 'join' } };
}

export async function answerJoin(state: ConversationState, draft: SelfReferralDraft, text: string, turn: Turn): Promise<TurnResult> {
  const step = stepOf(draft);
  const invalid = (replies: BotReply[]): TurnResult => ({ replies, state, summary: { intent: 'answer', outcome: 'invalid', flow: 'join', step } });
  if (step === 'consent') {
    const answer = readYesNo(text);
    if (answer === null) return invalid([{ ...say.yesOrNo, text: `Please answer yes or no. Do you agree to share these details with ${draft.activity.organisationName}?` }]);
    // No: nothing is sent, and nothing is kept.
    if (!answer) return { replies: [say.joinDeclined], state: withoutFlow(state), summary: { intent: 'answer', outcome: 'cancelled', flow: 'join' } };
    return askNext(state, { ...draft, consented: true });
  }
  if (step === 'confirm') {
    const answer = /^(send|send it|send them|send my request|try again|retry)$/i.test(text.trim()) ? true : readYesNo(text);
    if (answer === null) return invalid([say.joinSendOrCancel]);
    if (!answer) return { replies: [say.flowCancelled], state: withoutFlow(state), summary: { intent: 'answer', outcome: 'cancelled', flow: 'join' } };
    return send(state, draft, turn);
  }
  const personStep = nextPersonStep(draft.person)!;
  const answered = answerPersonStep(personStep, draft.person, text, turn.now, audience(draft));
  if (!answered.ok) return invalid([answered.reply]);
  return withAside(answered.aside, askNext(state, { ...draft, person: answered.person }));
}

async function send(state: ConversationState, draft: SelfReferralDraft, turn: Turn): Promise<TurnResult> {
  const referrals = turn.deps.referrals;
  if (!referrals) return { replies: [say.referralsUnavailable], state, summary: { intent: 'answer', outcome: 'unavailable', flow: 'join' } };
  const result = await referrals.createSelfReferral(
    {
      activityId: draft.activity.id,
      idempotencyKey: draft.idempotencyKey,
      person: personInput(draft.person),
      consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true }],
    },
    turn.call,
  );
  const failed = (reply: BotReply, next: ConversationState, problem: string): TurnResult => ({
    replies: [reply],
    state: next,
    summary: { intent: 'answer', outcome: 'failed', flow: 'join', problem },
  });
  if (result.ok) {
    // The secret goes into the replies only; the draft and its details are dropped.
    return {
      replies: say.joinSent(draft, result.value.reference, result.value.secret),
      state: withoutFlow(state),
      summary: { intent: 'answer', outcome: 'sent', flow: 'join' },
    };
  }
  const { problem } = result;
  switch (problem.code) {
    case 'RATE_LIMITED':
      return failed(say.rateLimited(problem.retryAfterSeconds, true), state, problem.code);
    case 'UNKNOWN_ACTIVITY':
      return failed(say.unknownActivity(draft.activity), withoutFlow(state), problem.code);
    case 'CONFLICT':
      return failed(say.conflict, state, problem.code);
    case 'UNAVAILABLE':
      return failed(say.sendUnavailable, state, problem.code);
    default: {
      const forgotten = forgetField(draft.person, problem.code, problem.field);
      if (!forgotten) return failed(say.sendUnavailable, state, problem.code);
      const next = askNext(state, { ...draft, person: forgotten.person }, [{ text: `Sorry, the ${forgotten.what} was not accepted.` }]);
      return { ...next, summary: { ...next.summary, outcome: 'failed', problem: problem.code } };
    }
  }
}

// ---- Checking on a request -------------------------------------------------------------------

export function startCheck(state: ConversationState): TurnResult {
  return {
    replies: [say.askReference],
    state: { ...withoutFlow(state), flow: { kind: 'check' } },
    summary: { intent: 'check-referral', outcome: 'asked', flow: 'check', step: 'reference' },
  };
}

export function checkQuestion(reference: string | undefined): BotReply {
  return reference ? say.askSecret : say.askReference;
}

export async function answerCheck(state: ConversationState, reference: string | undefined, text: string, turn: Turn): Promise<TurnResult> {
  if (!reference) {
    const read = readReference(text);
    if (!read) return { replies: [say.badReference], state, summary: { intent: 'answer', outcome: 'invalid', flow: 'check', step: 'reference' } };
    return {
      replies: [say.askSecret],
      state: { ...state, flow: { kind: 'check', reference: read } },
      summary: { intent: 'answer', outcome: 'asked', flow: 'check', step: 'secret' },
    };
  }
  const secret = readSecret(text);
  if (!secret) return { replies: [say.badSecret], state, summary: { intent: 'answer', outcome: 'invalid', flow: 'check', step: 'secret' } };
  const done = withoutFlow(state);
  const referrals = turn.deps.referrals;
  if (!referrals) return { replies: [say.checkUnavailable], state: done, summary: { intent: 'answer', outcome: 'unavailable', flow: 'check' } };
  const result = await referrals.selfReferralStatus(reference, secret, turn.call);
  if (result.ok) {
    const { value } = result;
    const withdrawable = isWithdrawable(value.status);
    // For the "Withdraw this referral" button, which carries only the reference.
    const next = withdrawable && value.activityName ? { ...done, justChecked: { reference: value.reference, activityName: value.activityName } } : done;
    return { replies: [say.requestStatus(value, withdrawable)], state: next, summary: { intent: 'answer', outcome: 'status', flow: 'check' } };
  }
  const reply =
    result.problem.code === 'NOT_FOUND' || result.problem.code === 'BAD_USER_INPUT'
      ? say.requestNotFound
      : result.problem.code === 'RATE_LIMITED'
        ? say.rateLimited(result.problem.retryAfterSeconds, false)
        : say.checkUnavailable;
  return { replies: [reply], state: done, summary: { intent: 'answer', outcome: 'failed', flow: 'check', problem: result.problem.code } };
}

// ---- Withdrawing a request -------------------------------------------------------------------
//
// The reference, then "are you sure?", then the secret. The secret is asked for last and sent at
// once, so it is never in the conversation state: a self-referral's secret cannot be changed or
// revoked, so it must not sit in a store (even encrypted) while someone decides.

/** Statuses a person can still withdraw from (the referral service's own rule). */
const WITHDRAWABLE = new Set<ReferralStatus>(['SENT', 'RECEIVED', 'ACCEPTED', 'ATTENDING']);

export function isWithdrawable(status: ReferralStatus): boolean {
  return WITHDRAWABLE.has(status);
}

type WithdrawFlow = Extract<Flow, { kind: 'withdraw' }>;

/** "Withdraw it" is yes and "keep it" is no, besides the usual yes and no. */
export function readWithdrawAnswer(text: string): boolean | null {
  const words = normalise(text);
  if (/^(yes )?(please )?(i want to )?withdraw( it| my referral| my request| this referral)?( please)?$/.test(words)) return true;
  if (/^(no )?(please )?keep( it| my referral| my request)?( please)?$/.test(words)) return false;
  return readYesNo(text);
}

function withdrawStep(flow: WithdrawFlow): 'reference' | 'confirm' | 'secret' {
  return !flow.reference ? 'reference' : flow.confirmed ? 'secret' : 'confirm';
}

export function withdrawQuestion(flow: WithdrawFlow): BotReply {
  switch (withdrawStep(flow)) {
    case 'reference':
      return say.askReferenceToWithdraw;
    case 'confirm':
      return say.confirmWithdraw(flow.reference!, flow.activityName);
    case 'secret':
      return say.askSecretToWithdraw;
  }
}

/**
 * "Withdraw my referral", or the "Withdraw this referral" button (which carries the reference).
 * `checked`: the request whose status was shown just before, to name its activity.
 */
export function startWithdraw(state: ConversationState, reference?: string, checked?: CheckedRequest): TurnResult {
  const activityName = reference && checked?.reference === reference ? checked.activityName : undefined;
  const flow: WithdrawFlow = reference ? { kind: 'withdraw', reference, ...(activityName ? { activityName } : {}) } : { kind: 'withdraw' };
  return {
    replies: [withdrawQuestion(flow)],
    state: { ...withoutFlow(state), flow },
    summary: { intent: 'withdraw-referral', outcome: 'asked', flow: 'withdraw', step: withdrawStep(flow) },
  };
}

export async function answerWithdraw(state: ConversationState, flow: WithdrawFlow, text: string, turn: Turn): Promise<TurnResult> {
  const step = withdrawStep(flow);
  const invalid = (reply: BotReply): TurnResult => ({ replies: [reply], state, summary: { intent: 'answer', outcome: 'invalid', flow: 'withdraw', step } });
  const asked = (next: WithdrawFlow): TurnResult => ({
    replies: [withdrawQuestion(next)],
    state: { ...state, flow: next },
    summary: { intent: 'answer', outcome: 'asked', flow: 'withdraw', step: withdrawStep(next) },
  });

  if (step === 'reference') {
    const reference = readReference(text);
    return reference ? asked({ kind: 'withdraw', reference }) : invalid(say.badReference);
  }
  const reference = flow.reference!;
  if (step === 'confirm') {
    const answer = readWithdrawAnswer(text);
    if (answer === null) return invalid(say.withdrawYesOrNo(reference, flow.activityName));
    if (!answer) return { replies: [say.withdrawKept(reference, flow.activityName)], state: withoutFlow(state), summary: { intent: 'answer', outcome: 'cancelled', flow: 'withdraw' } };
    return asked({ ...flow, confirmed: true });
  }

  const secret = readSecret(text);
  if (!secret) return invalid(say.badSecret);
  // From here on the flow is over, whatever the answer: the secret is used once and dropped.
  const done = withoutFlow(state);
  const finished = (reply: BotReply, outcome: 'withdrawn' | 'failed' | 'unavailable', problem?: string): TurnResult => ({
    replies: [reply],
    state: done,
    summary: { intent: 'answer', outcome, flow: 'withdraw', ...(problem ? { problem } : {}) },
  });
  const referrals = turn.deps.referrals;
  if (!referrals) return finished(say.withdrawUnavailable(reference), 'unavailable');
  const result = await referrals.withdrawSelfReferral(reference, secret, turn.call);
  if (result.ok) return finished(say.withdrawn(result.value), 'withdrawn');
  const { problem } = result;
  switch (problem.code) {
    case 'NOT_FOUND':
    case 'BAD_USER_INPUT':
      return finished(say.withdrawNotFound, 'failed', problem.code);
    case 'INVALID_STATUS_TRANSITION':
      return finished(say.notWithdrawable(reference), 'failed', problem.code);
    case 'CONFLICT':
      return finished(say.withdrawConflict(reference), 'failed', problem.code);
    case 'RATE_LIMITED':
      return finished(say.withdrawRateLimited(reference, problem.retryAfterSeconds), 'failed', problem.code);
    default:
      return finished(say.withdrawUnavailable(reference), 'failed', problem.code);
  }
}
