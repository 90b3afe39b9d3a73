import { classify, readAction, readOpen, readRefinement, readWithdrawal, readWithdrawMine } from './intent';
import { readSecret, readToken } from './answers';
import * as ask from './flow-replies';
import {
  answerReferral,
  answerSignIn,
  answerWithdrawMine,
  isReferralId,
  liveSession,
  moreReferrals,
  myReferrals,
  openReferral,
  referQuestion,
  referStep,
  signOut,
  startReferral,
  startSignIn,
  startWithdrawMine,
  withdrawMineQuestion,
  withoutCaseload,
} from './professional';
import * as say from './replies';
import { detectConcern } from './safety';
import type { Suggestion } from '../search/activity-search';
import { answerWhere, more, PAGE_SIZE, refine, startSearch } from './search-flow';
import { answerCheck, answerJoin, answerWithdraw, checkQuestion, joinQuestion, joinStep, startCheck, startJoin, startWithdraw, withdrawQuestion } from './self-referral';
import { createTurn, freshState, withoutFlow, type Turn } from './turn';
import { initialState, type BotReply, type CheckedRequest, type ConversationDeps, type ConversationState, type Flow, type IncomingMessage, type TurnResult } from './types';

/** The question a flow is waiting on, asked again after help, an interruption or a calm word. */
function flowQuestion(flow: Flow, state: ConversationState, turn: Turn): BotReply[] {
  switch (flow.kind) {
    case 'place':
      return [ask.wherePlease];
    case 'sign-in':
      return [ask.signInPrompt];
    case 'refer':
      return [referQuestion(flow.draft, liveSession(state, turn.now))];
    case 'join':
      return joinQuestion(flow.draft);
    case 'check':
      return [checkQuestion(flow.reference)];
    case 'withdraw':
      return [withdrawQuestion(flow)];
    case 'withdraw-mine':
      return [withdrawMineQuestion(flow)];
  }
}

const FLOW_DESCRIPTIONS: Record<Flow['kind'], string> = {
  place: 'I am finding out where to look.',
  'sign-in': 'I am waiting for your sign-in token.',
  refer: 'You are writing a referral.',
  join: 'You are asking to join an activity.',
  check: 'You are checking on a request.',
  withdraw: 'You are withdrawing a request you sent.',
  'withdraw-mine': 'You are withdrawing a referral you made.',
};

/** How help ends in a flow that sends nothing new (otherwise: "Nothing is sent until …"). */
const FLOW_UNTIL: Partial<Record<Flow['kind'], string>> = {
  withdraw: 'Nothing changes until you say yes and type your secret.',
  'withdraw-mine': 'Nothing changes until you say yes and choose a reason.',
};

/** Steps whose answer is in the person's own words, which may contain any word at all. */
function isFreeTextStep(flow: Flow): boolean {
  const step = flow.kind === 'refer' ? referStep(flow.draft) : flow.kind === 'join' ? joinStep(flow.draft) : undefined;
  return step === 'name' || step === 'note';
}

/**
 * A message while a flow waits for an answer. Cancel, start again, help, "talk to a person",
 * sign out and goodbye work at any point; safety was checked before this. Anything else is the
 * answer, and a bad answer gets a clear question again while the flow carries on.
 */
async function continueFlow(state: ConversationState, flow: Flow, text: string, turn: Turn): Promise<TurnResult> {
  const summaryOf = (intent: TurnResult['summary']['intent']) => ({ intent, flow: flow.kind });
  const again = (before: BotReply[], intent: TurnResult['summary']['intent']): TurnResult => ({
    replies: [...before, ...flowQuestion(flow, state, turn)],
    state,
    summary: summaryOf(intent),
  });

  // A sign-in token or a secret is taken as it is: it is never classified, searched or repeated.
  const secretStep = flow.kind === 'sign-in' || (flow.kind === 'check' && flow.reference !== undefined) || (flow.kind === 'withdraw' && flow.confirmed === true);
  const looksSecret = flow.kind === 'sign-in' ? readToken(text) !== null : secretStep && readSecret(text) !== null && !/\s/.test(text.trim());
  // Commands are matched exactly here: an answer such as "send referral" is not "my referrals".
  const intent = looksSecret ? 'answer' : classify(text, { fuzzyCommands: false });

  switch (intent) {
    case 'restart': {
      const stopped = flow.kind === 'withdraw' || flow.kind === 'withdraw-mine' ? ask.withdrawStopped : ask.flowCancelled;
      return { replies: [stopped], state: freshState(state), summary: { ...summaryOf('restart'), outcome: 'cancelled' } };
    }
    case 'withdraw-referral': {
      if (flow.kind === 'withdraw-mine') {
        // "Withdraw" or "withdraw it" answers "Withdraw the referral …?"; another referral, or
        // anywhere else, gets the question again.
        const target = readWithdrawMine(text);
        if (!flow.confirmed && !readWithdrawal(text) && (target === undefined || target === flow.referral.id)) break;
        return again([], intent);
      }
      // Checking or withdrawing: carry on with the reference already given. Writing something
      // new ("cancel my request" while asking to join): nothing has been sent, so it stops what
      // is being written, as "cancel" does, and never touches a request sent before.
      const reference = readWithdrawal(text) ?? (flow.kind === 'check' || flow.kind === 'withdraw' ? flow.reference : undefined);
      if (flow.kind === 'withdraw' && reference === flow.reference) {
        // "Withdraw it" answers "Withdraw your referral …?"; anywhere else, the question again.
        if (flow.reference && !flow.confirmed) break;
        return again([], intent);
      }
      if (flow.kind === 'check' || flow.kind === 'withdraw') return startWithdraw(state, reference);
      if (flow.kind === 'place') break;
      const replies = state.session ? [ask.flowCancelled] : [ask.flowCancelled, ask.withdrawLater];
      return { replies, state: freshState(state), summary: { ...summaryOf(intent), outcome: 'cancelled' } };
    }
    case 'goodbye':
      return { replies: [say.goodbye], state: initialState(), summary: { ...summaryOf('goodbye'), outcome: 'cancelled' } };
    case 'help':
      return again([ask.flowHelp(FLOW_DESCRIPTIONS[flow.kind], FLOW_UNTIL[flow.kind])], 'help');
    case 'human':
      return again([say.human(activitiesInView(state, flow))], 'human');
    case 'sign-out':
      if (state.session) return signOut(state);
      break;
    case 'sign-in':
      // Mid-referral (another account, or a new token): sign in, then carry on with the draft.
      if (flow.kind === 'refer') return startSignIn(state, { kind: 'resume', draft: flow.draft });
      break;
    case 'my-referrals':
      // Leaving a withdrawal for the list: nothing has been withdrawn.
      if (flow.kind === 'withdraw-mine') return myReferrals(withoutFlow(state), turn);
      if (flow.kind === 'refer' && liveSession(state, turn.now)) {
        const listed = await myReferrals(state, turn);
        return { ...listed, replies: [...listed.replies, ...flowQuestion(flow, state, turn)], state };
      }
      break;
    case 'hostile':
      if (!isFreeTextStep(flow)) return again([ask.calmInFlow], 'hostile');
      break;
    case 'empty':
      return again([], 'empty');
    case 'unclear':
      if (flow.kind === 'place') return again([], 'unclear');
      break;
    case 'refer':
    case 'join':
    case 'open-referral':
      if (flow.kind !== 'place') return again([ask.finishFirst], intent);
      break;
    default:
      break;
  }
  // "Where should it be?" is a light question: anything that is clearly something else (a
  // command, "more", a greeting) leaves it and is answered as usual.
  if (flow.kind === 'place' && !['search', 'hostile'].includes(intent)) {
    return topLevel(withoutFlow(state), text, turn);
  }

  switch (flow.kind) {
    case 'place':
      return answerWhere(state, flow.request, text, turn);
    case 'sign-in':
      return answerSignIn(state, flow.then, text, turn);
    case 'refer':
      return answerReferral(state, flow.draft, text, turn);
    case 'join':
      return answerJoin(state, flow.draft, text, turn);
    case 'check':
      return answerCheck(state, flow.reference, text, turn);
    case 'withdraw':
      return answerWithdraw(state, flow, text, turn);
    case 'withdraw-mine':
      return answerWithdrawMine(state, flow, text, turn);
  }
}

/** "refer 2" or "join act-123": the suggestion it means, from the results shown so far. */
function suggestionFor(state: ConversationState, target: string) {
  const shown = state.results.slice(0, state.shown);
  const byId = shown.find((suggestion) => suggestion.id === target);
  if (byId) return byId;
  const position = /^\d{1,2}$/.test(target) ? Number(target) : NaN;
  return Number.isInteger(position) ? shown[position - 1] : undefined;
}

/**
 * One turn of the conversation: the state so far and what the person sent in, the bot's replies
 * and the new state out. No chat framework, no I/O except through `deps`.
 */
export async function respond(state: ConversationState, message: IncomingMessage, deps: ConversationDeps): Promise<TurnResult> {
  if (message.type === 'start') {
    return message.returning
      ? { replies: [say.welcomeBack], state: initialState(), summary: { intent: 'start' } }
      : { replies: say.greeting, state: initialState(), summary: { intent: 'start' } };
  }
  const turn = createTurn(deps);

  // A sign-in is forgotten once its token expires; a referral being written is kept.
  let current = state;
  if (current.session && current.session.expiresAt <= turn.now) {
    const { session: _expired, ...rest } = current;
    current = rest;
  }
  // The request checked last turn is only for this turn's "Withdraw this referral".
  const { justChecked, ...withoutChecked } = current;
  current = withoutChecked;

  // Safety first, every turn, whatever else the message says or however long it is. It ends
  // any flow and drops its draft; a professional stays signed in.
  const concern = detectConcern(message.text);
  if (concern) {
    return { replies: say.safety(concern), state: freshState(current), summary: { intent: 'safety', concern } };
  }

  if (current.flow) return continueFlow(current, current.flow, message.text, turn);
  return topLevel(current, message.text, turn, justChecked);
}

/**
 * The activities the person is looking at: the one a referral or request is about, else the
 * last page of results shown. For "talk to a person".
 */
function activitiesInView(state: ConversationState, flow?: Flow): Suggestion[] {
  const about = flow && (flow.kind === 'refer' || flow.kind === 'join') ? flow.draft.activity.id : undefined;
  if (about) return state.results.filter((item) => item.id === about);
  return state.results.slice(Math.max(0, state.shown - PAGE_SIZE), state.shown);
}

/** A message when no question is waiting for an answer. */
async function topLevel(current: ConversationState, text: string, turn: Turn, justChecked?: CheckedRequest): Promise<TurnResult> {
  const intent = classify(text);
  switch (intent) {
    case 'greeting':
      return { replies: [say.hello], state: current, summary: { intent } };
    case 'help':
      return { replies: [say.help], state: current, summary: { intent } };
    case 'restart':
      return { replies: [say.restarted], state: freshState(current), summary: { intent } };
    case 'thanks':
      return { replies: [say.thanks], state: current, summary: { intent } };
    case 'goodbye':
      // The end of the conversation: a professional is signed out too.
      return { replies: [say.goodbye], state: initialState(), summary: { intent } };
    case 'empty':
      return { replies: [say.empty], state: current, summary: { intent } };
    case 'unclear':
      return { replies: [say.unclear], state: current, summary: { intent } };
    case 'human':
      return { replies: [say.human(activitiesInView(current))], state: current, summary: { intent } };
    case 'explain':
      return { replies: say.explain, state: current, summary: { intent } };
    case 'hostile':
      return { replies: [say.hostile], state: current, summary: { intent } };
    case 'too-long':
      return { replies: [say.tooLong], state: current, summary: { intent } };
    case 'more':
      // After "My referrals" (a search since would have dropped the list): its next page.
      if (current.listed) return moreReferrals(current, current.listed, turn);
      return more(current);
    case 'sign-in': {
      const session = liveSession(current, turn.now);
      if (session) return { replies: [ask.alreadySignedIn(session)], state: current, summary: { intent } };
      return startSignIn(current);
    }
    case 'sign-out':
      return signOut(current);
    case 'my-referrals':
      return myReferrals(current, turn);
    case 'check-referral':
      return startCheck(current);
    case 'withdraw-referral': {
      // A professional withdraws a referral they made, picked from their list; the public flow
      // (a reference and its secret) is for people who are not signed in, or who give an SP-… reference.
      const reference = readWithdrawal(text);
      const mine = readWithdrawMine(text);
      if (!reference && (liveSession(current, turn.now) || (mine && (current.listed || current.opened)))) return startWithdrawMine(current, mine, turn);
      return startWithdraw(current, reference, justChecked);
    }
    case 'open-referral': {
      const target = readOpen(text)!;
      const known = isReferralId(current, target) || (/^\d{1,3}$/.test(target) && (current.listed !== undefined || liveSession(current, turn.now) !== undefined));
      // "show 10am" from someone with no referrals in view is a search, as it was before.
      if (!known) return startSearch(withoutCaseload(current), text, turn);
      return openReferral(current, target, turn);
    }
    case 'refer':
    case 'join': {
      const action = readAction(text)!;
      const suggestion = suggestionFor(current, action.target);
      current = withoutCaseload(current);
      if (!suggestion) {
        // "join choir" is a search; "join 7" when only three were shown is a slip.
        if (!/^\d+$/.test(action.target)) return startSearch(current, text, turn);
        return { replies: [ask.noSuchSuggestion], state: current, summary: { intent, outcome: 'invalid' } };
      }
      const activity = { id: suggestion.id, name: suggestion.name, organisationName: suggestion.organisationName };
      return intent === 'refer' ? startReferral(current, activity, turn) : startJoin(current, activity, turn);
    }
    case 'search': {
      // A referral's id on its own opens it.
      if (liveSession(current, turn.now) && isReferralId(current, text.trim())) return openReferral(current, text.trim(), turn);
      // A new search: "more" is about its results now, not the list of referrals.
      current = withoutCaseload(current);
      const refinement = readRefinement(text);
      if (refinement && current.search && current.results.length > 0) return refine(current, refinement, turn);
      return startSearch(current, text, turn);
    }
  }
}
