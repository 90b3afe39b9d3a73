import { describe, expect, it } from 'vitest';
import { classify, readRefinement } from '../src/conversation/intent';
import { PlaceIndex } from '../src/conversation/places';
import { understand } from '../src/conversation/understand';
import { fakeReferrals } from './support/fake-referrals';
import { FIXTURE_PLACES, fixturePlaces } from './support/places';
import { conversation, labels, suggestions, tableSearch, texts, values } from './support/transcript';

const DUNDEE = suggestions('act-dfp-dundee', 'act-home-befriending');
const PD = suggestions('act-dfp-glasgow', 'act-dfp-dundee', 'act-dfp-online', 'act-time-to-dance');

describe('understanding a request before asking anything', () => {
  it.each([
    ['dance in dundeee', { place: 'Dundee', query: 'dance in Dundee' }],
    ['singing near glasgo please', { place: 'Glasgow', query: 'singing near Glasgow please' }],
    ['walking near DD1 4HN', { place: 'Dundee', query: 'walking near Dundee' }],
    ['gardening, OX1', { place: 'Oxford', query: 'gardening, Oxford' }],
    ['yoga in Kirriemuir', { place: 'Kirriemuir', query: 'yoga in Kirriemuir' }],
    ['free dance Tayside', { place: 'NHS Tayside', query: 'free dance Tayside' }],
  ])('%j names a place', (text, expected) => {
    expect(understand(text, FIXTURE_PLACES)).toMatchObject(expected);
  });

  it.each(['dance for PD', 'MS', 'memory problems', 'something in the evenings', 'help in the garden', 'interested in art', 'near me please', 'dance class'])(
    '%j names no place',
    (text) => {
      expect(understand(text, FIXTURE_PLACES).place).toBeNull();
    },
  );

  it('reads conditions, options and delivery, typos included', () => {
    expect(understand('dance for PD', FIXTURE_PLACES).topics).toContain("Parkinson's");
    expect(understand('MS', FIXTURE_PLACES).topics).toEqual(['multiple sclerosis']);
    expect(understand('memory problems', FIXTURE_PLACES).topics).toContain('dementia');
    expect(understand("something for mum, she can't get out much", FIXTURE_PLACES)).toMatchObject({ delivery: 'home', topics: expect.arrayContaining(['loneliness']) });
    expect(understand('parkinsns dance', FIXTURE_PLACES).topics).toContain("Parkinson's");
    expect(understand('dance onlin', FIXTURE_PLACES).delivery).toBe('online');
    expect(understand('befriending over the phone', FIXTURE_PLACES).delivery).toBe('phone');
    expect(understand('wheelchiar friendly singing', FIXTURE_PLACES).stepFree).toBe(true);
    expect(understand('step-free dance', FIXTURE_PLACES)).toMatchObject({ stepFree: true, free: false });
    expect(understand('gluten free cookery', FIXTURE_PLACES).free).toBe(false);
    expect(understand('free singing', FIXTURE_PLACES).free).toBe(true);
    expect(understand('walking group near me', FIXTURE_PLACES)).toMatchObject({ nearMe: true, place: null });
    expect(understand('dance anywhere', FIXTURE_PLACES)).toMatchObject({ anywhere: true, query: 'dance' });
  });

  it('matches commands with a typo or two, and not other words', () => {
    expect(classify('sign inn')).toBe('sign-in');
    expect(classify("I'm a professional")).toBe('sign-in');
    expect(classify('singing')).toBe('search');
    expect(classify('sign')).toBe('search');
    expect(classify('my referals')).toBe('my-referrals');
    expect(classify('chek my referal')).toBe('check-referral');
    expect(classify('log out')).toBe('sign-out');
    expect(classify('refer act-dfp-dundee')).toBe('refer');
    expect(classify('Ask to join 2')).toBe('join');
    expect(readRefinement('Free only')).toBe('free');
    expect(readRefinement('step-free')).toBe('step-free');
  });
});

describe('asking only for what is missing', () => {
  it('asks once where, then searches with the combined request', async () => {
    const search = tableSearch({ 'dance for PD in Dundee': DUNDEE });
    const chat = conversation({ search, places: fixturePlaces });
    const asked = await chat.say('dance for PD');
    expect(texts(asked.replies)).toEqual(['Where should it be? Type a town or postcode, or say online or anywhere.']);
    expect(labels(asked.replies[0])).toEqual(['Online', 'Anywhere']);
    expect(asked.summary).toEqual({ intent: 'search', outcome: 'asked', flow: 'place', step: 'place' });
    expect(search.calls).toEqual([]);

    const found = await chat.say('dundeee');
    expect(search.calls.map((call) => call.text)).toEqual(['dance for PD in Dundee']);
    expect(found.replies[0]?.text).toBe('I found 2 activities that might suit you:');
    expect(chat.state.flow).toBeUndefined();
  });

  it('does not ask when the request gives a place, online, by phone, at home or anywhere', async () => {
    const search = tableSearch({});
    const chat = conversation({ search, places: fixturePlaces });
    for (const text of ['dance in Glasgow', 'singing online', 'befriending by phone', "my dad can't get out much", 'walking anywhere', 'dance near DD1']) {
      await chat.say(text);
    }
    expect(search.calls.map((call) => call.text)).toEqual(['dance in Glasgow', 'singing online', 'befriending by phone', "my dad can't get out much", 'walking', 'dance near Dundee']);
  });

  it('takes a postcode, online, anywhere or an unknown town as the answer', async () => {
    const search = tableSearch({});
    for (const [answer, query] of [
      ['DD1 4HN', 'singing in Dundee'],
      ['Online', 'singing online'],
      ['anywhere', 'singing'],
      ["don't mind", 'singing'],
      ['Kirriemuir', 'singing in Kirriemuir'],
      ['Dundee, and free please', 'singing in Dundee free'],
    ]) {
      const chat = conversation({ search, places: fixturePlaces });
      await chat.say('singing');
      await chat.say(answer!);
      expect(search.calls.at(-1)?.text).toBe(query);
    }
  });

  it('remembers the answer for the next request, and says so', async () => {
    const search = tableSearch({ 'dance in Dundee': DUNDEE, 'befriending in Dundee': DUNDEE });
    const chat = conversation({ search, places: fixturePlaces });
    await chat.say('dance');
    await chat.say('Dundee');
    const second = await chat.say('befriending');
    expect(second.replies[0]?.text).toBe('Looking in Dundee, as before. I found 2 activities that might suit you:');
    expect(search.calls.map((call) => call.text)).toEqual(['dance in Dundee', 'befriending in Dundee']);
    await chat.say('start again');
    expect((await chat.say('dance')).replies[0]?.text).toMatch(/^Where should it be\?/);
  });

  it('treats a new request given instead of a place as a new request', async () => {
    const search = tableSearch({});
    const chat = conversation({ search, places: fixturePlaces });
    await chat.say('dance');
    const again = await chat.say('actually singing for memory problems');
    expect(again.replies[0]?.text).toMatch(/^Where should it be\?/);
    expect(chat.state.flow).toEqual({ kind: 'place', request: expect.objectContaining({ text: 'actually singing for memory problems' }) });
  });

  it('leaves the question for anything clearly else, and asks it again after nonsense', async () => {
    const search = tableSearch({ 'dance in Dundee': DUNDEE });
    const chat = conversation({ search, places: fixturePlaces, referrals: fakeReferrals() });
    await chat.say('dance in Dundee');
    await chat.say('singing');
    expect(chat.state.flow?.kind).toBe('place');
    expect((await chat.say('???')).replies.map((reply) => reply.text)).toEqual(['Where should it be? Type a town or postcode, or say online or anywhere.']);
    // "Ask to join" on a result still on screen.
    const join = await chat.say('join act-dfp-dundee');
    expect(join.summary).toMatchObject({ intent: 'join', flow: 'join' });
    expect(search.calls.map((call) => call.text)).toEqual(['dance in Dundee']);
  });

  it('still works by wording alone when the place list could not be fetched', async () => {
    const search = tableSearch({});
    const chat = conversation({ search, places: { get: async () => PlaceIndex.empty() } });
    await chat.say('dance in dundee');
    expect(search.calls.map((call) => call.text)).toEqual(['dance in dundee']);
    expect((await chat.say('dance dundee')).replies[0]?.text).toMatch(/^Where should it be\?/);
  });

  it('offers only refinements for needs not stated, and applies them to the last search', async () => {
    const search = tableSearch({ "dance for Parkinson's in Glasgow": PD, "dance for Parkinson's in Glasgow free": PD.slice(0, 1) });
    const chat = conversation({ search, places: fixturePlaces });
    const first = await chat.say("dance for Parkinson's in Glasgow");
    expect(values(first.replies.at(-1))).toEqual([
      'more',
      'join act-dfp-glasgow',
      'join act-dfp-dundee',
      'join act-dfp-online',
      'free only',
      'step-free',
      'start again',
    ]);
    const refined = await chat.say('free only');
    expect(refined.summary).toMatchObject({ intent: 'refine', outcome: 'results', resultCount: 1 });
    expect(search.calls.at(-1)?.text).toBe("dance for Parkinson's in Glasgow free");
    expect(values(refined.replies.at(-1))).toEqual(['join act-dfp-glasgow', 'step-free', 'start again']);

    // Nothing step-free as well: the free results stay.
    const none = await chat.say('Step-free');
    expect(none.replies[0]?.text).toMatch(/^I could not find any that are also step-free\./);
    expect(chat.state.results.map((result) => result.id)).toEqual(['act-dfp-glasgow']);
    expect((await chat.say('free only')).replies[0]?.text).toMatch(/^Your search already asks for free activities/);
  });

  it('does not offer refinements already asked for, or after "more"', async () => {
    const search = tableSearch({ 'free step-free dance online': PD });
    const chat = conversation({ search, places: fixturePlaces });
    const first = await chat.say('free step-free dance online');
    expect(labels(first.replies.at(-1)).filter((label) => !label.startsWith('Ask to join'))).toEqual(['More', 'Start again']);
    const more = await chat.say('more');
    expect(values(more.replies.at(-1))).toEqual(['join act-time-to-dance', 'start again']);
  });

  it('sends the chat user’s address with each search', async () => {
    const search = tableSearch({});
    const chat = conversation({ search, places: fixturePlaces, client: { clientAddress: '203.0.113.9' } });
    await chat.say('dance in Glasgow');
    expect(search.calls).toEqual([{ text: 'dance in Glasgow', clientAddress: '203.0.113.9' }]);
  });

  it('keeps the flow going through help, talk to a person and hostile words, and cancel ends it', async () => {
    const search = tableSearch({});
    const chat = conversation({ search, places: fixturePlaces });
    await chat.say('dance');
    const help = await chat.say('help');
    expect(texts(help.replies)).toEqual([
      'I am finding out where to look. Answer the question below, or type “cancel” to stop. Nothing is sent until you choose to send it at the end.',
      'Where should it be? Type a town or postcode, or say online or anywhere.',
    ]);
    expect((await chat.say('talk to a person')).replies.at(-1)?.text).toMatch(/^Where should it be\?/);
    expect((await chat.say('you are useless')).replies.map((reply) => reply.text)).toEqual([
      "I'm sorry this is frustrating. Let's carry on, or type “cancel” to stop.",
      'Where should it be? Type a town or postcode, or say online or anywhere.',
    ]);
    await chat.say('cancel');
    expect(chat.state).toEqual({ results: [], shown: 0, capped: false });
    expect(search.calls).toEqual([]);
  });

  it('a safety phrase while asking where stops and gives the numbers', async () => {
    const chat = conversation({ search: tableSearch({}), places: fixturePlaces });
    await chat.say('dance');
    const safety = await chat.say('I want to end it all');
    expect(safety.summary.intent).toBe('safety');
    expect(texts(safety.replies).join('\n')).toContain('Samaritans: call 116 123');
    expect(chat.state.flow).toBeUndefined();
  });
});
