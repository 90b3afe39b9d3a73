/**
 * What the conversation needs from a search, and nothing more. Today the bot ranks a cached copy
 * of the directory itself (fuzzy-search.ts); a server-side search in the gateway can replace it
 * by implementing the same interface.
 */

export type DeliveryMode = 'IN_PERSON' | 'ONLINE' | 'HYBRID' | 'TELEPHONE' | 'HOME_VISIT';

/** An activity as the gateway describes it. */
export interface Activity {
  id: string;
  name: string;
  description: string;
  deliveryMode: DeliveryMode;
  town: string | null;
  area: string | null;
  isFree: boolean;
  costDescription: string | null;
  scheduleDescription: string | null;
  suitableFor: string[];
  organization: { id: string; name: string };
}

/** What the bot shows about one activity. Plain data, so it can be kept in conversation state. */
export interface Suggestion {
  id: string;
  name: string;
  organisationName: string;
  deliveryMode: DeliveryMode;
  town: string | null;
  area: string | null;
  isFree: boolean;
  costDescription: string | null;
  scheduleDescription: string | null;
}

/** The constraints the search understood in the person's words, so the bot can say what it did. */
export interface UnderstoodRequest {
  /** The words it searched for after taking out places, constraints and filler words. */
  terms: string[];
  /** A place from the directory (town or area), as the directory spells it. */
  place?: string;
  free: boolean;
  online: boolean;
}

export interface SearchResult {
  /** The best matches, at most `limit`. */
  suggestions: Suggestion[];
  /** How many activities matched in all, which may be more than were returned. */
  total: number;
  understood: UnderstoodRequest;
}

export interface SearchOptions {
  /** Most suggestions to return, best first. */
  limit: number;
}

export interface ActivitySearch {
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

export function toSuggestion(activity: Activity): Suggestion {
  return {
    id: activity.id,
    name: activity.name,
    organisationName: activity.organization.name,
    deliveryMode: activity.deliveryMode,
    town: activity.town,
    area: activity.area,
    isFree: activity.isFree,
    costDescription: activity.costDescription,
    scheduleDescription: activity.scheduleDescription,
  };
}
