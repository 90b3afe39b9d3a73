import { describe, expect, it } from 'vitest';
import { SearchUnavailableError, type Activity } from '../src/search/activity-search';
import { createFuzzyActivitySearch } from '../src/search/fuzzy-search';
import { GatewayError } from '../src/search/gateway-client';
import { parseRequest, stem, type Place } from '../src/search/parse-request';
import { normalise } from '../src/search/text';
import { ACTIVITIES } from './support/activities';

const search = createFuzzyActivitySearch({ directory: { list: async () => ACTIVITIES } });

async function names(text: string, limit = 12) {
  const result = await search.search(text, { limit });
  return result.suggestions.map((suggestion) => suggestion.name);
}

describe('normalise', () => {
  it('lower-cases and drops accents, apostrophes and punctuation', () => {
    expect(normalise("  Parkinson’s, Dundee!  Café-based ")).toBe('parkinsons dundee cafe based');
  });
});

describe('stem', () => {
  it.each([
    ['dancing', 'danc'],
    ['walks', 'walk'],
    ['parkinsons', 'parkinson'],
    ['loneliness', 'loneliness'],
    ['sing', 'sing'],
    ['ms', 'ms'],
  ])('%s → %s', (word, expected) => expect(stem(word)).toBe(expected));
});

describe('parseRequest', () => {
  const places: Place[] = [
    { label: 'Dundee', key: 'dundee' },
    { label: 'NHS Tayside', key: 'tayside' },
    { label: 'Oxford', key: 'oxford' },
    { label: 'Reading', key: 'reading' },
    { label: 'Merthyr Tydfil', key: 'merthyr tydfil' },
  ];

  it('takes out the place, "free" and filler words, and maps synonyms to the directory’s words', () => {
    expect(parseRequest('Chair-based dance for my dad with PD near Dundee, free please', places)).toEqual({
      terms: ['chair', 'based', 'dance', 'parkinson'],
      place: { label: 'Dundee', key: 'dundee' },
      free: true,
      online: false,
    });
  });

  it('reads "step-free" as access, not cost', () => {
    const parsed = parseRequest('step-free dance', places);
    expect(parsed.free).toBe(false);
    expect(parsed.terms).toEqual(['accessible', 'wheelchair', 'dance']);
  });

  it.each([
    ['memory problems', ['dementia', 'memory']],
    ['my mum is lonely', ['loneliness', 'befriend', 'social']],
    ['MS', ['multiple', 'sclerosi']],
    ["Parkinson's disease", ['parkinson']],
    ['choir for kids', ['sing', 'choir', 'early', 'year', 'familie']],
  ])('%j → %j', (text, terms) => {
    expect(parseRequest(text, places).terms).toEqual(terms);
  });

  it('recognises online, and areas by name without "NHS"', () => {
    expect(parseRequest('online singing in Tayside', places)).toMatchObject({
      terms: ['sing'],
      place: { label: 'NHS Tayside' },
      online: true,
    });
  });

  it('forgives a misspelt place only after "in", "near" and the like', () => {
    expect(parseRequest('walking near Merthyr Tidfil', places).place?.label).toBe('Merthyr Tydfil');
    expect(parseRequest('dance in Dundea', places).place?.label).toBe('Dundee');
    // "dance" is one letter from "dundee" only loosely; never a place on its own.
    expect(parseRequest('dance', places).place).toBeUndefined();
    expect(parseRequest('dundea dance', places).place).toBeUndefined();
  });

  it('treats a place that is also a word as a place only after "in", "near" and the like', () => {
    expect(parseRequest('reading group in Oxford', places)).toMatchObject({ terms: ['read'], place: { label: 'Oxford' } });
    expect(parseRequest('book group in Reading', places)).toMatchObject({ terms: ['book'], place: { label: 'Reading' } });
  });

  it('finds nothing to search for in pure filler', () => {
    expect(parseRequest('I am looking for something for someone', places)).toEqual({ terms: [], free: false, online: false });
  });
});

describe('ranking the directory', () => {
  it('puts Dance for Parkinson’s first for "dance for Parkinson’s"', async () => {
    expect(await names("dance for Parkinson's")).toEqual([
      "Dance for Parkinson's – Glasgow",
      "Dance for Parkinson's – Dundee",
      "Dance for Parkinson's at home",
      'Time to Dance',
      'Elevate: dance for people with MS',
    ]);
  });

  it('narrows to the place it recognises', async () => {
    const result = await search.search('PD dance near Dundee', { limit: 12 });
    expect(result.understood).toEqual({ terms: ['parkinson', 'dance'], place: 'Dundee', free: false, online: false });
    expect(result.suggestions.map((suggestion) => suggestion.name)).toEqual(["Dance for Parkinson's – Dundee"]);
  });

  it('copes with a chatty request from a professional', async () => {
    expect(await names("Chair-based dance for a man with Parkinson's near Dundea, free, step-free")).toEqual([
      "Dance for Parkinson's – Dundee",
    ]);
  });

  it('tolerates typos', async () => {
    expect((await names('parkinsns')).slice(0, 3)).toEqual([
      "Dance for Parkinson's – Glasgow",
      "Dance for Parkinson's – Dundee",
      "Dance for Parkinson's at home",
    ]);
    expect(await names('dementa')).toEqual(expect.arrayContaining(['Time to Dance', 'Singing for memory']));
  });

  it('understands the synonyms people use', async () => {
    expect(await names('memory problems')).toEqual(['Singing for memory', 'Time to Dance']);
    expect((await names('my mum is lonely')).slice(0, 2)).toEqual(['Telephone befriending', 'Home visit befriending']);
    expect(await names('MS')).toEqual(['Elevate: dance for people with MS']);
  });

  it('does not match short words to unrelated ones', async () => {
    expect(await names('singing')).toEqual(['Singing for memory']);
    expect(await names('garden')).toEqual(['Community gardening']);
  });

  it('filters by cost', async () => {
    expect(await names('singing')).toEqual(['Singing for memory']);
    expect(await names('free singing')).toEqual([]);
    expect(await names('creative workshops')).toContain('Creative wellbeing workshops');
    expect(await names('free creative workshops')).not.toContain('Creative wellbeing workshops');
  });

  it('filters to what can be joined online, which is not tied to a place', async () => {
    expect(await names('online')).toEqual(["Dance for Parkinson's at home", 'Elevate: dance for people with MS']);
    expect(await names('online dance in Glasgow')).toEqual([
      "Dance for Parkinson's at home",
      'Elevate: dance for people with MS',
    ]);
  });

  it('lists a place’s activities by name when only a place is given', async () => {
    expect(await names('anything in Oxford?')).toEqual(['Community gardening', 'TeaBooks sociable book group']);
    expect(await names('Merthyr')).toEqual(['Gentle walking group']);
  });

  it('returns nothing, and says what it understood, for filler or nonsense', async () => {
    const filler = await search.search('I am looking for something', { limit: 12 });
    expect(filler).toEqual({ suggestions: [], total: 0, understood: { terms: [], free: false, online: false } });
    expect(await names('asdfghjkl')).toEqual([]);
  });

  it('respects the limit, and counts every match', async () => {
    const result = await search.search('dance', { limit: 2 });
    expect(result.suggestions).toHaveLength(2);
    expect(result.total).toBe(5);
  });

  it('returns suggestions as plain data, apostrophes and all', async () => {
    const [first] = (await search.search("dance for Parkinson's", { limit: 1 })).suggestions;
    expect(first).toEqual({
      id: 'act-dfp-glasgow',
      name: "Dance for Parkinson's – Glasgow",
      organisationName: 'Scottish Ballet',
      deliveryMode: 'IN_PERSON',
      town: 'Glasgow',
      area: 'NHS Greater Glasgow and Clyde',
      isFree: true,
      costDescription: null,
      scheduleDescription: 'Tuesdays, 2pm to 3.15pm',
    });
  });

  it('re-indexes when the directory changes', async () => {
    let current: Activity[] = ACTIVITIES.slice(0, 2);
    const changing = createFuzzyActivitySearch({ directory: { list: async () => current } });
    expect((await changing.search('gardening', { limit: 5 })).suggestions).toEqual([]);
    current = ACTIVITIES;
    expect((await changing.search('gardening', { limit: 5 })).suggestions.map((s) => s.name)).toEqual(['Community gardening']);
  });

  it('reports an unreachable directory as SearchUnavailableError, and lets other errors through', async () => {
    const down = createFuzzyActivitySearch({
      directory: { list: async () => Promise.reject(new GatewayError('UNREACHABLE', 'Could not reach the gateway')) },
    });
    await expect(down.search('dance', { limit: 3 })).rejects.toBeInstanceOf(SearchUnavailableError);
    const broken = createFuzzyActivitySearch({ directory: { list: async () => Promise.reject(new TypeError('bug')) } });
    await expect(broken.search('dance', { limit: 3 })).rejects.toBeInstanceOf(TypeError);
  });
});
