import { describe, expect, it, vi } from 'vitest';
import { classify } from '../src/conversation/intent';
import { respond } from '../src/conversation/respond';
import { initialState, type BotReply, type ConversationState, type IncomingMessage } from '../src/conversation/types';
import { SearchUnavailableError, type ActivitySearch, type SearchResult, type Suggestion } from '../src/search/activity-search';
import { toSuggestion } from '../src/search/gateway-search';
import { ACTIVITIES, hit } from './support/activities';
import { fixturePlaces } from './support/places';

const byId = new Map(ACTIVITIES.map((activity) => [activity.id, toSuggestion(hit(activity))]));
function suggestions(...ids: string[]): Suggestion[] {
  return ids.map((id) => {
    const suggestion = byId.get(id);
    if (!suggestion) throw new Error(`no fixture activity ${id}`);
    return suggestion;
  });
}

const PARKINSONS = suggestions('act-dfp-glasgow', 'act-dfp-dundee', 'act-dfp-online', 'act-time-to-dance', 'act-elevate');

/** A search that answers from a table, and records what it was asked. */
function fakeSearch(answers: Record<string, Partial<SearchResult>>): ActivitySearch & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async search(text) {
      calls.push(text);
      const answer = answers[text] ?? {};
      return { suggestions: answer.suggestions ?? [] };
    },
  };
}

/** Plays messages through `respond`, one turn after another, like a channel does. */
async function play(search: ActivitySearch, messages: Array<IncomingMessage | string>, start = initialState()) {
  let state: ConversationState = start;
  const turns: BotReply[][] = [];
  for (const message of messages) {
    const incoming: IncomingMessage = typeof message === 'string' ? { type: 'text', text: message } : message;
    const result = await respond(state, incoming, { search, places: fixturePlaces });
    // State must survive being stored as JSON (a shared store will do exactly that).
    state = JSON.parse(JSON.stringify(result.state)) as ConversationState;
    turns.push(result.replies);
  }
  return { turns, state, last: turns.at(-1) ?? [] };
}

const texts = (replies: BotReply[]) => replies.map((reply) => reply.text);
const labels = (reply: BotReply | undefined) => (reply?.quickReplies ?? []).map((quick) => quick.label);

describe('opening the chat', () => {
  it('greets, explains what to type, asks for no personal details and offers examples', async () => {
    const { last } = await play(fakeSearch({}), [{ type: 'start' }]);
    expect(last).toHaveLength(2);
    expect(last[0]?.text).toMatch(/^Hello\. I can help you find groups and activities/);
    expect(last[1]?.text).toContain('Please do not include your name or contact details.');
    expect(labels(last[1])).toEqual(['Dance', 'Singing', 'Walking', 'Befriending', 'Sign in']);
    expect(last[1]?.text).toContain('If you are a professional, choose “Sign in” to refer someone.');
    expect(last[1]?.quickReplies?.[0]?.value).toBe('dance');
  });

  it('says plainly that a reconnected chat starts afresh', async () => {
    const { last, state } = await play(fakeSearch({}), [{ type: 'start', returning: true }]);
    expect(texts(last)).toEqual([
      "You're connected again. I've started a new conversation, so tell me what you're looking for.",
    ]);
    expect(state).toEqual(initialState());
  });
});

describe('a search turn', () => {
  it('shows three suggestions with who, where, when and cost, then offers more', async () => {
    const search = fakeSearch({ "dance for Parkinson's": { suggestions: PARKINSONS } });
    const { last, state } = await play(search, ["dance for Parkinson's anywhere"]);

    expect(search.calls).toEqual(["dance for Parkinson's"]);
    expect(texts(last)).toEqual([
      'I found 5 activities that might suit you. Here are the first 3:',
      [
        "Dance for Parkinson's – Glasgow",
        'Run by Scottish Ballet',
        'Where: Glasgow, NHS Greater Glasgow and Clyde (in person)',
        'When: Tuesdays, 2pm to 3.15pm',
        'Cost: Free',
        'Places: full, but you can join the waiting list',
      ].join('\n'),
      [
        "Dance for Parkinson's – Dundee",
        'Run by Scottish Ballet',
        'Where: Dundee, NHS Tayside (in person)',
        'When: Every other Wednesday, 1.30pm',
        'Cost: Free',
        'Places: 4 left',
        "What the evidence says: Dance improved balance and mood in people with Parkinson's",
      ].join('\n'),
      [
        "Dance for Parkinson's at home",
        'Run by Scottish Ballet',
        'Where: Online',
        'When: Thursdays, 10.30am',
        'Cost: Free',
      ].join('\n'),
      'Type “more” to see more, or tell me something else to look for. To ask to join one, choose “Ask to join”.',
    ]);
    expect(labels(last.at(-1))).toEqual([
      'More',
      "Ask to join: Dance for Parkinson's – Gla…",
      "Ask to join: Dance for Parkinson's – Dun…",
      "Ask to join: Dance for Parkinson's at ho…",
      'Free only',
      'Step-free',
      'Start again',
    ]);
    expect(last.at(-1)?.quickReplies?.[1]?.value).toBe('join act-dfp-glasgow');
    expect(last.at(-1)?.quickReplies?.[0]?.value).toBe('more');
    expect(state.shown).toBe(3);
    expect(state.results).toHaveLength(5);
  });

  it('pages with "more" until everything is shown, then says so', async () => {
    const search = fakeSearch({ dance: { suggestions: PARKINSONS } });
    const { turns } = await play(search, ['dance anywhere', 'more', 'More!', 'start again', 'more']);

    expect(texts(turns[1] ?? [])[0]).toBe('Here are 2 more:');
    expect(turns[1]).toHaveLength(4);
    expect(turns[1]?.[1]?.text).toMatch(/^Time to Dance\n/);
    expect(turns[1]?.[2]?.text).toMatch(/^Elevate: dance for people with MS\n/);
    expect(labels(turns[1]?.at(-1))).toEqual(['Ask to join: Time to Dance', 'Ask to join: Elevate: dance for people w…', 'Start again']);
    expect(texts(turns[2] ?? [])).toEqual(["That's all I found for that search. Try different words, or type “start again”."]);
    expect(texts(turns[3] ?? [])).toEqual(["OK, let's start again. What kind of activity are you looking for?"]);
    expect(texts(turns[4] ?? [])).toEqual(["Tell me what you're looking for first, for example “dance” or “walking group”."]);
    expect(search.calls).toEqual(['dance']);
  });

  it('words the count for one result, and shows why each matched', async () => {
    const reasoned: Suggestion = { ...suggestions('act-dfp-dundee')[0]!, reasons: ['Free', "For people with Parkinson's", 'In Dundee'] };
    const search = fakeSearch({
      'free dance dundee': { suggestions: [reasoned] },
      'online dance': { suggestions: suggestions('act-dfp-online', 'act-elevate') },
    });
    const { turns } = await play(search, ['free dance dundee', 'online dance']);
    expect(turns[0]?.[0]?.text).toBe('I found 1 activity that might suit you:');
    expect(turns[0]?.[1]?.text).toContain("Why it matched: Free; For people with Parkinson's; In Dundee");
    // Free and a place were asked for already: only step-free is offered.
    expect(labels(turns[0]?.at(-1))).toEqual(["Ask to join: Dance for Parkinson's – Dun…", 'Step-free', 'Start again']);
    expect(turns[1]?.[0]?.text).toBe('I found 2 activities that might suit you:');
    expect(turns[1]?.[2]?.text).toContain('Where: Glasgow, NHS Greater Glasgow and Clyde, or online');
    expect(turns[1]?.[1]?.text).not.toContain('Why it matched');
    expect(turns[1]?.[1]?.text).not.toContain('Places:');
  });

  it('describes every way of taking part, and cost when it is not free', async () => {
    const search = fakeSearch({
      befriending: { suggestions: suggestions('act-phone-befriending', 'act-home-befriending', 'act-singing-memory') },
    });
    const { last } = await play(search, ['befriending', 'anywhere']);
    expect(last[1]?.text).toContain('Where: By telephone');
    expect(last[2]?.text).toContain('Where: At your home (Dundee, NHS Tayside)');
    expect(last[3]?.text).toContain('Cost: £2 a session; carers free');
  });

  it('is honest when it kept only the closest matches', async () => {
    const many = Array.from({ length: 12 }, (_, index) => ({ ...PARKINSONS[index % 5]!, id: `act-${index}` }));
    const search = fakeSearch({ free: { suggestions: many } });
    const { turns } = await play(search, ['free anywhere', 'more', 'more', 'more', 'more']);
    expect(turns[0]?.[0]?.text).toBe('I found 12 or more activities that might suit you. Here are the first 3:');
    expect(turns[3]?.at(-1)?.text).toBe(
      'Those were the 12 closest matches. To find others, add a place or a few more words. To ask to join one, choose “Ask to join”.',
    );
    expect(turns[4]?.[0]?.text).toBe(
      'Those were the 12 closest matches. To find others, add a place or a few more words. Or type “start again”.',
    );
  });

  it('a new search replaces the results of the last one', async () => {
    const search = fakeSearch({
      dance: { suggestions: PARKINSONS },
      garden: { suggestions: suggestions('act-gardening-oxford') },
    });
    const { turns, state } = await play(search, ['dance anywhere', 'garden anywhere', 'more']);
    expect(state.results.map((result) => result.id)).toEqual(['act-gardening-oxford']);
    expect(texts(turns[2] ?? [])[0]).toMatch(/^That's all I found/);
  });
});

describe('when a search finds nothing', () => {
  it('suggests broadening the search and offers examples', async () => {
    const { last, state } = await play(fakeSearch({}), ['free yoga in Dundee']);
    expect(texts(last)).toEqual([
      'Sorry, I could not find anything matching that. ' +
        'You could try fewer or different words, leave out the place, or use a broader word such as “dance”, “singing” or “walking”.',
    ]);
    expect(labels(last[0])).toEqual(['Dance', 'Singing', 'Walking', 'Befriending', 'Help']);
    expect(state).toEqual(initialState());
  });
});

describe('calm answers that need no search', () => {
  it.each([
    ['', 'I did not get a message.'],
    ['   \n ', 'I did not get a message.'],
    ['???!!', 'Sorry, I did not understand that.'],
    ['12345', 'Sorry, I did not understand that.'],
    ['sdfghjk qwrtz', 'Sorry, I did not understand that.'],
    ['x'.repeat(301), 'I work best with a few words'],
    ['help', 'Type what you\'re looking for in a few words'],
    ['?', 'Type what you\'re looking for in a few words'],
    ['Hello there', 'Hello. Tell me in a few words'],
    ['thank you very much', "You're welcome."],
    ['bye', 'Goodbye, and take care.'],
  ])('%j', async (text, expected) => {
    const search = fakeSearch({});
    const { last } = await play(search, [text]);
    expect(last).toHaveLength(1);
    expect(last[0]?.text).toContain(expected);
    expect(search.calls).toEqual([]);
  });

  it('keeps the results of the last search through help and thanks', async () => {
    const search = fakeSearch({ dance: { suggestions: PARKINSONS } });
    const { last } = await play(search, ['dance anywhere', 'help', 'thanks', 'more']);
    expect(last[0]?.text).toBe('Here are 2 more:');
  });
});

describe('when the search fails', () => {
  it('says the directory cannot be reached and keeps the earlier results', async () => {
    let available = true;
    const search: ActivitySearch = {
      async search() {
        if (!available) throw new SearchUnavailableError('gateway down');
        return { suggestions: PARKINSONS };
      },
    };
    const first = await play(search, ['dance anywhere']);
    available = false;
    const { turns, last } = await play(search, ['singing anywhere', 'more'], first.state);
    expect(texts(turns[0] ?? [])).toEqual(['Sorry, I cannot look up activities at the moment. Please try again in a few minutes.']);
    expect(last[0]?.text).toBe('Here are 2 more:');
  });

  it('lets an unexpected error through, for the channel to catch and answer', async () => {
    const search: ActivitySearch = { search: vi.fn().mockRejectedValue(new TypeError('bug in the search')) };
    await expect(respond(initialState(), { type: 'text', text: 'dance online' }, { search })).rejects.toThrow('bug in the search');
  });
});

describe('classify', () => {
  it.each([
    ['hi', 'greeting'],
    ['Good morning!', 'greeting'],
    ["hi, any dance for Parkinson's?", 'search'],
    ['more', 'more'],
    ['Show me more', 'more'],
    ['START AGAIN', 'restart'],
    ['new search', 'restart'],
    ['What can you do?', 'help'],
    ['cheers', 'thanks'],
    ['more dance classes', 'search'],
    ['PD', 'search'],
    ['MS', 'search'],
    ['   ', 'empty'],
    ['🙂', 'unclear'],
  ])('%j is %s', (text, intent) => {
    expect(classify(text)).toBe(intent);
  });
});
