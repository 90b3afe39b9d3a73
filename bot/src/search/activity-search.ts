/**
 * What the conversation needs from a search, and nothing more. The gateway's `searchActivities`
 * ranks the directory (gateway-search.ts), so the bot and partner apps see the same order.
 */

export type DeliveryMode = 'IN_PERSON' | 'ONLINE' | 'HYBRID' | 'TELEPHONE' | 'HOME_VISIT';

/** Places left, as far as the provider records them. */
export type Availability =
  | { kind: 'places'; remaining: number }
  | { kind: 'waiting-list' }
  | { kind: 'full' }
  | { kind: 'unknown' };

/** What the bot shows about one activity. Plain data, so it can be kept in conversation state. */
export interface Suggestion {
  id: string;
  name: string;
  organisationName: string;
  deliveryMode: DeliveryMode;
  town: string | null;
  area: string | null;
  isFree: boolean;
  /** What it costs, in words. */
  fees: string | null;
  scheduleDescription: string | null;
  /** Why it matched, in plain words, from the gateway ("Free", "For people with Parkinson's"). */
  reasons: string[];
  availability: Availability;
  /** The strongest published evidence about it, in one line; null when there is none. */
  evidenceHeadline: string | null;
  /**
   * How to reach the organiser, for "talk to a person": the activity's own details first, else
   * the organisation's. Optional because state saved before it existed may lack it.
   */
  contact?: OrganiserContact;
}

/** Public contact details of whoever runs an activity; any of them may be missing. */
export interface OrganiserContact {
  phone: string | null;
  email: string | null;
  website: string | null;
}

export interface SearchResult {
  /** The best matches, at most `limit`, best first. */
  suggestions: Suggestion[];
}

export interface SearchOptions {
  /** Most suggestions to return, best first. */
  limit: number;
  /** The chat user's address, sent on to the gateway for its per-client rate limits. */
  clientAddress?: string;
}

export interface ActivitySearch {
  /** `text` is what the person typed; the search understands places, cost and synonyms itself. */
  search(text: string, options: SearchOptions): Promise<SearchResult>;
}

/**
 * The search could not run because something it depends on (the gateway) is unavailable.
 * The conversation answers this one itself ("try again in a few minutes"); any other error is
 * unexpected and handled at the channel's edge.
 */
export class SearchUnavailableError extends Error {
  override name = 'SearchUnavailableError';
}
