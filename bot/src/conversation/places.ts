import Fuse from 'fuse.js';
import { normalise } from './text';

/**
 * The towns, council areas and health boards the directory knows, so that "Dundee", "dundeee",
 * "Tayside" or "DD1 4HN" can be read as a place. Built from the directory through the gateway
 * (search/place-directory.ts); empty when the directory could not be asked, and the conversation
 * then goes by wording alone ("in Kirriemuir").
 */
export interface PlaceList {
  /** Place names as the directory spells them. */
  names: string[];
  /** Postcode outward codes ("DD1") and postcode areas ("DD"), to the town they are in. */
  postcodes: Record<string, string>;
}

/** Where the conversation gets the place list from; it never throws. */
export interface PlaceSource {
  get(): Promise<PlaceIndex>;
}

/** A phrase must be at least this long to be matched loosely ("Perth" yes, "Ayr" exactly only). */
const MIN_FUZZY_LENGTH = 4;
const FUZZY_THRESHOLD = 0.3;

/** Other ways people name the same place: "Tayside" for "NHS Tayside", "Edinburgh" for "City of Edinburgh", "Orkney" for "Orkney Islands". */
function aliases(name: string): string[] {
  const plain = normalise(name);
  const shorter = plain
    .replace(/^nhs /, '')
    .replace(/^(city|county) of /, '')
    .replace(/ (council|city council|county council|city|islands|university health board|health board)$/, '');
  return shorter !== plain && shorter.length > 0 ? [plain, shorter] : [plain];
}

export class PlaceIndex {
  readonly size: number;
  private readonly byName = new Map<string, string>();
  private readonly postcodes = new Map<string, string>();
  private fuse: Fuse<{ key: string; name: string }> | undefined;

  constructor(list: PlaceList) {
    for (const name of list.names) {
      const trimmed = name.trim();
      if (trimmed.length === 0) continue;
      for (const alias of aliases(trimmed)) if (!this.byName.has(alias)) this.byName.set(alias, trimmed);
    }
    for (const [code, town] of Object.entries(list.postcodes)) this.postcodes.set(code.toUpperCase(), town);
    this.size = this.byName.size;
  }

  static empty(): PlaceIndex {
    return new PlaceIndex({ names: [], postcodes: {} });
  }

  /** The place a normalised phrase names exactly ("dundee", "nhs tayside", "tayside"). */
  exact(phrase: string): string | undefined {
    return this.byName.get(phrase);
  }

  /** The place a normalised phrase names with a typo or two ("dundeee", "glasgo"). */
  fuzzy(phrase: string): string | undefined {
    if (phrase.length < MIN_FUZZY_LENGTH || this.byName.size === 0) return undefined;
    const exact = this.exact(phrase);
    if (exact) return exact;
    this.fuse ??= new Fuse(
      [...this.byName].map(([key, name]) => ({ key, name })),
      { keys: ['key'], includeScore: true, threshold: FUZZY_THRESHOLD, ignoreLocation: true },
    );
    for (const hit of this.fuse.search(phrase, { limit: 3 })) {
      // Similar length too: "wales" is not a typo for "new south wales".
      const difference = Math.abs(hit.item.key.length - phrase.length);
      if ((hit.score ?? 1) <= FUZZY_THRESHOLD && difference <= Math.max(2, Math.round(hit.item.key.length * 0.3))) {
        return hit.item.name;
      }
    }
    return undefined;
  }

  /** The town for a postcode's outward code ("DD1"), else for its area ("DD"). */
  postcode(outward: string): string | undefined {
    const code = outward.toUpperCase();
    return this.postcodes.get(code) ?? this.postcodes.get(code.replace(/\d.*$/, ''));
  }
}
