import { SearchUnavailableError } from '../search/activity-search';
import * as ask from './flow-replies';
import * as say from './replies';
import { freshState, withoutFlow, type Turn } from './turn';
import { normalise } from './text';
import { understand, type Understanding } from './understand';
import type { BotReply, ConversationState, QuickReply, RememberedWhere, SearchRequest, TurnResult, TurnSummary } from './types';

/** Suggestions shown at a time; "More" shows the next ones. */
export const PAGE_SIZE = 3;
/** Suggestions kept from one search. */
export const MAX_RESULTS = 12;
/** Refinements offered at most, so the buttons stay few. */
const MAX_REFINEMENTS = 2;

const DELIVERY_WORDS = { online: 'online', phone: 'by phone', home: 'at home' } as const;

function page(state: ConversationState): { replies: BotReply[]; state: ConversationState; hasMore: boolean } {
  const next = state.results.slice(state.shown, state.shown + PAGE_SIZE);
  const shown = state.shown + next.length;
  return { replies: next.map(say.suggestion), state: { ...state, shown }, hasMore: shown < state.results.length };
}

/** "Refer" for a signed-in professional, "Ask to join" for everyone else: one per suggestion just shown. */
export function actionButtons(state: ConversationState, from: number, to: number): QuickReply[] {
  return state.results.slice(from, to).map((suggestion) => (state.session ? ask.referButton(suggestion) : ask.joinButton(suggestion)));
}

/** Needs the request has not stated yet: "Free only", "Step-free", "Online". */
function refinementButtons(request: SearchRequest): QuickReply[] {
  const offers: QuickReply[] = [];
  if (!request.free) offers.push(ask.REFINEMENT_REPLIES.free);
  if (!request.stepFree && request.delivery === null) offers.push(ask.REFINEMENT_REPLIES['step-free']);
  if (request.delivery === null && request.place === null) offers.push(ask.REFINEMENT_REPLIES.online);
  return offers.slice(0, MAX_REFINEMENTS);
}

function requestFrom(understood: Understanding, text: string): SearchRequest {
  return {
    text: understood.query.length > 0 ? understood.query : text.trim(),
    place: understood.place,
    delivery: understood.delivery,
    anywhere: understood.anywhere,
    free: understood.free,
    stepFree: understood.stepFree,
  };
}

async function run(
  state: ConversationState,
  request: SearchRequest,
  turn: Turn,
  options: { note?: string; intent?: TurnSummary['intent'] } = {},
): Promise<TurnResult> {
  const intent = options.intent ?? 'search';
  const base = withoutFlow(state);
  let result;
  try {
    result = await turn.deps.search.search(request.text, { limit: MAX_RESULTS, ...turn.call });
  } catch (error) {
    // Only an unavailable directory is expected; anything else is the channel's to catch.
    if (!(error instanceof SearchUnavailableError)) throw error;
    return { replies: [say.unavailable], state: base, summary: { intent, outcome: 'unavailable' } };
  }

  const { suggestions } = result;
  if (suggestions.length === 0) {
    const next: ConversationState = { ...freshState(state), ...(state.where ? { where: state.where } : {}) };
    return { replies: [say.noResults], state: next, summary: { intent, outcome: 'no-results', resultCount: 0 } };
  }

  const kept = suggestions.slice(0, MAX_RESULTS);
  const shown = page({ ...base, results: kept, shown: 0, capped: suggestions.length >= MAX_RESULTS, search: request });
  const found = say.found(kept.length, shown.replies.length, shown.state.capped);
  return {
    replies: [
      options.note ? { ...found, text: `${options.note} ${found.text}` } : found,
      ...shown.replies,
      say.afterResults(shown.hasMore, shown.state, {
        actions: actionButtons(shown.state, 0, shown.state.shown),
        refinements: refinementButtons(request),
        professional: state.session !== undefined,
      }),
    ],
    state: shown.state,
    summary: { intent, outcome: 'results', resultCount: kept.length },
  };
}

/**
 * A search request. When it names no place and does not say online, by phone, at home or
 * anywhere, the bot asks once where it should be (or uses the answer given earlier in this
 * conversation) before searching.
 */
export async function startSearch(state: ConversationState, text: string, turn: Turn): Promise<TurnResult> {
  const understood = understand(text, await turn.places());
  const request = requestFrom(understood, text);
  if (request.place !== null || request.delivery !== null || request.anywhere) return run(state, request, turn);
  if (state.where) {
    const combined = { ...request, text: [request.text, state.where.addition].filter((part) => part.length > 0).join(' ') };
    return run(state, combined, turn, { note: ask.lookingAsBefore(state.where.label) });
  }
  return {
    replies: [ask.wherePlease],
    state: { ...withoutFlow(state), flow: { kind: 'place', request } },
    summary: { intent: 'search', outcome: 'asked', flow: 'place', step: 'place' },
  };
}

const FILLER = new Set(['by', 'in', 'near', 'around', 'round', 'at', 'the', 'please', 'thanks', 'thank', 'you', 'ok', 'okay', 'somewhere', 'area', 'town', 'city', 'nr', 'or', 'and', 'of', 'it', 'should', 'be', 'is', 'fine']);

/** The answer to "Where should it be?", added to the request that was waiting for it. */
export async function answerWhere(state: ConversationState, request: SearchRequest, text: string, turn: Turn): Promise<TurnResult> {
  const understood = understand(text, await turn.places(), { answerToWhere: true });
  const extra = understood.rest.filter((word) => !FILLER.has(word));
  let where: RememberedWhere | undefined;
  if (understood.place !== null) {
    where = { addition: `in ${understood.place}`, label: `in ${understood.place}` };
  } else if (understood.delivery !== null) {
    const words = DELIVERY_WORDS[understood.delivery];
    where = { addition: words, label: words };
  } else if (understood.anywhere || understood.nearMe) {
    where = { addition: '', label: 'anywhere' };
  } else if (understood.topics.length === 0 && extra.length > 0 && extra.length <= 4 && /\p{L}/u.test(text)) {
    // A place the directory does not know ("Kirriemuir"): the search can still use it.
    const place = text
      .trim()
      .split(/\s+/)
      .filter((word) => !FILLER.has(normalise(word)))
      .join(' ')
      .replace(/[.,;:!?]+$/, '');
    where = { addition: `in ${place}`, label: `in ${place}` };
  }
  if (!where) {
    // Not an answer to the question: a new request, which may ask again.
    return startSearch(withoutFlow(state), text, turn);
  }
  // "Dundee, and free please": the needs said with the place count too.
  const additions = [understood.free && !request.free ? 'free' : '', understood.stepFree && !request.stepFree ? 'step-free' : ''];
  const combined: SearchRequest = {
    text: [request.text, where.addition, ...additions].filter((part) => part.length > 0).join(' '),
    place: understood.place ?? request.place,
    delivery: understood.delivery ?? request.delivery,
    anywhere: where.label === 'anywhere',
    free: request.free || understood.free,
    stepFree: request.stepFree || understood.stepFree,
  };
  return run({ ...state, where }, combined, turn, { intent: 'answer' });
}

/** "Free only", "Step-free", "Online": the last search again, with the need added. */
export async function refine(state: ConversationState, kind: 'free' | 'step-free' | 'online', turn: Turn): Promise<TurnResult> {
  const request = state.search!;
  const stated = { free: request.free, 'step-free': request.stepFree, online: request.delivery === 'online' }[kind];
  if (stated) return { replies: [ask.alreadyAsked(kind)], state, summary: { intent: 'refine', outcome: 'no-more' } };
  const refined: SearchRequest = {
    ...request,
    text: `${request.text} ${kind}`,
    free: request.free || kind === 'free',
    stepFree: request.stepFree || kind === 'step-free',
    delivery: kind === 'online' ? 'online' : request.delivery,
  };
  const result = await run(state, refined, turn, { intent: 'refine' });
  // Nothing more specific: keep what was found before.
  if (result.summary.outcome === 'no-results') {
    return { replies: [ask.noRefinedResults(kind)], state, summary: result.summary };
  }
  return result;
}

export function more(state: ConversationState): TurnResult {
  if (state.results.length === 0) {
    return { replies: [say.nothingToShowMore], state, summary: { intent: 'more', outcome: 'no-more' } };
  }
  if (state.shown >= state.results.length) {
    return { replies: [say.noMore(state)], state, summary: { intent: 'more', outcome: 'no-more' } };
  }
  const shown = page(state);
  return {
    replies: [
      say.showingMore(shown.replies.length),
      ...shown.replies,
      say.afterResults(shown.hasMore, shown.state, {
        actions: actionButtons(shown.state, state.shown, shown.state.shown),
        professional: state.session !== undefined,
      }),
    ],
    state: shown.state,
    summary: { intent: 'more', outcome: 'results', resultCount: shown.replies.length },
  };
}
