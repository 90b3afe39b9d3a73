import { randomUUID } from 'node:crypto';
import type { CallOptions } from '../referrals/referral-service';
import { PlaceIndex } from './places';
import { initialState, type ConversationDeps, type ConversationState } from './types';

/** What one turn works with: the dependencies, the time, and the place list (fetched once, when needed). */
export interface Turn {
  deps: ConversationDeps;
  now: number;
  places(): Promise<PlaceIndex>;
  newIdempotencyKey(): string;
  /** Options for calls through the gateway on this turn, without a token. */
  call: CallOptions;
}

export function createTurn(deps: ConversationDeps): Turn {
  let places: Promise<PlaceIndex> | undefined;
  const clientAddress = deps.client?.clientAddress;
  return {
    deps,
    now: (deps.now ?? Date.now)(),
    places: () => (places ??= deps.places ? deps.places.get() : Promise.resolve(PlaceIndex.empty())),
    newIdempotencyKey: deps.newIdempotencyKey ?? (() => `bot-${randomUUID()}`),
    call: clientAddress ? { clientAddress } : {},
  };
}

/** A fresh start that keeps a professional signed in. */
export function freshState(state: ConversationState): ConversationState {
  return state.session ? { ...initialState(), session: state.session } : initialState();
}

/** The state with the current flow (and any draft in it) dropped. */
export function withoutFlow(state: ConversationState): ConversationState {
  const { flow: _flow, ...rest } = state;
  return rest;
}
