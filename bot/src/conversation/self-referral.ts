import { readReference, readSecret, readYesNo } from './answers';
import * as say from './flow-replies';
import { answerPersonStep, askPersonStep, forgetField, nextPersonStep, personInput, withAside } from './person-steps';
import { withoutFlow, type Turn } from './turn';
import type { ActivityRef, BotReply, ConversationState, SelfReferralDraft, TurnResult } from './types';

/**
 * Members of the public asking to join an activity (a self-referral), and checking on their
 * request later with its reference and secret. Their details are kept only while the request
 * is being written; the secret is shown once and never kept.
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
  if (result.ok) return { replies: [say.requestStatus(result.value)], state: done, summary: { intent: 'answer', outcome: 'status', flow: 'check' } };
  const reply =
    result.problem.code === 'NOT_FOUND' || result.problem.code === 'BAD_USER_INPUT'
      ? say.requestNotFound
      : result.problem.code === 'RATE_LIMITED'
        ? say.rateLimited(result.problem.retryAfterSeconds, false)
        : say.checkUnavailable;
  return { replies: [reply], state: done, summary: { intent: 'answer', outcome: 'failed', flow: 'check', problem: result.problem.code } };
}
