import type { ProviderClient } from '@sp/prisma/provider';
import { TAXONOMY_IDS } from '@sp/prisma/reference/vocabularies';
import { feedTaxonomyId } from './ids';

// Maps taxonomy terms of another directory onto our controlled vocabularies, so an imported
// listing is found by the same filters and search as ours. In order: our term id (our own feed
// re-imported), the term code, then the name or a synonym, case-insensitively. A term that
// matches nothing is reported and skipped; we never add terms to the vocabularies on import.

/** A taxonomy term as an ORUK attribute carries it (any of these may be missing). */
export interface TermReference {
  id?: string | null;
  name?: string | null;
  term?: string | null;
  code?: string | null;
  taxonomy?: string | null;
  taxonomy_id?: string | null;
}

export interface VocabularyTerm {
  id: string;
  taxonomyId: string;
  code: string;
  name: string;
}

/** Where the term is attached: a location takes accessibility features only. */
export type TermUse = 'service' | 'location';

const normalise = (value: string) =>
  value
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

const slug = (value: string) => normalise(value).replace(/'/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

// Ties between taxonomies (a synonym such as "BSL" is in two) go to the earlier one here.
const TAXONOMY_ORDER: string[] = [
  TAXONOMY_IDS.activityType,
  TAXONOMY_IDS.condition,
  TAXONOMY_IDS.group,
  TAXONOMY_IDS.benefit,
  TAXONOMY_IDS.accessibility,
];

function rank(term: VocabularyTerm): number {
  const index = TAXONOMY_ORDER.indexOf(term.taxonomyId);
  return index === -1 ? TAXONOMY_ORDER.length : index;
}

function addTo(map: Map<string, VocabularyTerm[]>, key: string, term: VocabularyTerm) {
  if (!key) return;
  const list = map.get(key);
  if (list) {
    if (!list.includes(term)) list.push(term);
  } else {
    map.set(key, [term]);
  }
}

export interface Vocabulary {
  /** Our term for the reference, or undefined when nothing matches. */
  match(reference: TermReference, use: TermUse): VocabularyTerm | undefined;
}

/** Builds the matcher from the taxonomies and terms in the database (a few hundred rows at most). */
export async function loadVocabulary(db: ProviderClient): Promise<Vocabulary> {
  const [taxonomies, rows] = await Promise.all([
    db.taxonomy.findMany({ select: { id: true, name: true }, take: 1000 }),
    db.taxonomyTerm.findMany({
      select: { id: true, taxonomyId: true, code: true, name: true, synonyms: true },
      take: 20_000,
    }),
  ]);
  const byId = new Map<string, VocabularyTerm>();
  const byCode = new Map<string, VocabularyTerm[]>();
  const byName = new Map<string, VocabularyTerm[]>();
  const bySynonym = new Map<string, VocabularyTerm[]>();
  for (const row of rows) {
    const term: VocabularyTerm = { id: row.id, taxonomyId: row.taxonomyId, code: row.code, name: row.name };
    byId.set(row.id.toLowerCase(), term);
    addTo(byCode, slug(row.code), term);
    addTo(byName, normalise(row.name), term);
    for (const synonym of row.synonyms.split('\n')) addTo(bySynonym, normalise(synonym), term);
  }
  // A taxonomy may be named by our id, its UUID in our feed, or its name.
  const taxonomyKeys = new Map<string, string>();
  for (const taxonomy of taxonomies) {
    for (const key of [taxonomy.id, feedTaxonomyId(taxonomy.id), taxonomy.name]) taxonomyKeys.set(normalise(key), taxonomy.id);
  }

  function pick(candidates: VocabularyTerm[] | undefined, use: TermUse, taxonomyId: string | undefined) {
    const allowed = (candidates ?? []).filter(
      (term) =>
        (use === 'location' ? term.taxonomyId === TAXONOMY_IDS.accessibility : true) &&
        (taxonomyId === undefined || term.taxonomyId === taxonomyId),
    );
    return [...allowed].sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code))[0];
  }

  return {
    match(reference, use) {
      const byOurId = reference.id ? byId.get(reference.id.toLowerCase()) : undefined;
      if (byOurId && (use === 'service' || byOurId.taxonomyId === TAXONOMY_IDS.accessibility)) return byOurId;

      const taxonomyNames = [reference.taxonomy_id, reference.taxonomy].filter((value): value is string => Boolean(value));
      const taxonomyId = taxonomyNames.map((value) => taxonomyKeys.get(normalise(value))).find(Boolean);
      const words = [reference.code, reference.term, reference.name].filter((value): value is string => Boolean(value?.trim()));

      for (const word of words) {
        const found = pick(byCode.get(slug(word)), use, taxonomyId);
        if (found) return found;
      }
      for (const word of words) {
        const found = pick(byName.get(normalise(word)), use, taxonomyId);
        if (found) return found;
      }
      for (const word of words) {
        const found = pick(bySynonym.get(normalise(word)), use, taxonomyId);
        if (found) return found;
      }
      return undefined;
    },
  };
}

/** How a term that matched nothing is named in the import report. */
export function describeTerm(reference: TermReference): string {
  const label = reference.name ?? reference.term ?? reference.code ?? reference.id ?? '(no name)';
  const taxonomy = reference.taxonomy ?? reference.taxonomy_id;
  return taxonomy ? `"${label}" (taxonomy ${taxonomy})` : `"${label}"`;
}
