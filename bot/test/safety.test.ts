import { describe, expect, it } from 'vitest';
import { classify } from '../src/conversation/intent';
import { respond } from '../src/conversation/respond';
import { detectConcern } from '../src/conversation/safety';
import { initialState, type BotReply, type ConversationState } from '../src/conversation/types';
import type { ActivitySearch, Suggestion } from '../src/search/activity-search';
import { toSuggestion } from '../src/search/gateway-search';
import { ACTIVITIES, hit } from './support/activities';

const FOUND: Suggestion[] = ACTIVITIES.slice(0, 5).map((activity) => toSuggestion(hit(activity)));

function recordingSearch(): ActivitySearch & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async search(text) {
      calls.push(text);
      return { suggestions: FOUND };
    },
  };
}

async function play(messages: string[]) {
  const search = recordingSearch();
  let state: ConversationState = initialState();
  const turns: BotReply[][] = [];
  const intents: string[] = [];
  for (const text of messages) {
    const result = await respond(state, { type: 'text', text }, { search });
    state = result.state;
    turns.push(result.replies);
    intents.push(result.summary.intent);
  }
  return { turns, intents, state, search, all: (turn: number) => (turns[turn] ?? []).map((reply) => reply.text).join('\n') };
}

describe('safety first, every turn', () => {
  it.each([
    ['I want to end it all', 'suicide'],
    ["I can't go on", 'suicide'],
    ['i cant go on anymore', 'suicide'],
    ["I don't want to go on any more", 'suicide'],
    ['i dont want to go on', 'suicide'],
    ["I just can't carry on like this", 'suicide'],
    ["I don't want to be alive anymore", 'suicide'],
    ['thinking about suicide', 'suicide'],
    ['feeling sucidal', 'suicide'],
    ['I keep wanting to hurt myself', 'suicide'],
    ['self-harm', 'suicide'],
    ['everyone would be better off without me', 'suicide'],
    ['I want to kill myself', 'suicide'],
    ['he hits me', 'abuse'],
    ['My husband beats me when he drinks', 'abuse'],
    ["I don't feel safe at home", 'abuse'],
    ['I am scared of my partner', 'abuse'],
    ['I have chest pain', 'emergency'],
    ['crushing chest pains and dizzy', 'emergency'],
    ["my dad can't breathe", 'emergency'],
    ['I think she is having a stroke', 'emergency'],
    ['took an overdoze', 'emergency'],
  ])('%j stops the flow and gives the numbers (%s)', async (text, concern) => {
    expect(detectConcern(text)).toBe(concern);
    const { turns, intents, state, search, all } = await play(['dance anywhere', text]);
    expect(intents[1]).toBe('safety');
    expect(search.calls).toEqual(['dance']);
    expect(state).toEqual(initialState());
    const said = all(1);
    expect(said).toContain('999');
    expect(said).toContain('not a medical or crisis service');
    expect(said).toContain('NHS 24 on 111');
    if (concern !== 'emergency') expect(said).toContain('Samaritans: call 116 123');
    expect(said).not.toMatch(/\?/); // it does not try to triage with questions
    expect(turns[1]?.at(-1)?.quickReplies?.map((quick) => quick.label)).toEqual(['Start again']);
  });

  it('checks a very long message too, not only short ones', async () => {
    const { intents } = await play([`${'I have been feeling low. '.repeat(20)}Honestly I want to end it all.`]);
    expect(intents).toEqual(['safety']);
  });

  it.each([
    'killing time before my appointment',
    "I'm dying to try dance",
    'groups for people who had a stroke',
    'exercise after a heart attack last year',
    'outside walking group',
    'keep fit class',
    'something to take my mind off things',
    'support for carers in Dundee',
    'my knitting is overdue',
    "I don't want to go on the bus",
    'carry on singing group',
  ])('%j is not a crisis', async (text) => {
    expect(detectConcern(text)).toBeNull();
    const { intents, search, all } = await play([text, 'anywhere']);
    expect(intents[0]).toBe('search');
    expect(all(0) + all(1)).not.toContain('999');
    expect(search.calls[0]).toBe(text);
  });
});

describe('ways out that work at any point', () => {
  it('cancel and restart clear the results', async () => {
    const { intents, state } = await play(['dance', 'cancel']);
    expect(intents).toEqual(['search', 'restart']);
    expect(state).toEqual(initialState());
    expect((await play(['dance', 'restart'])).intents).toEqual(['search', 'restart']);
  });

  it('help mentions talking to a person and that it is not a medical service', async () => {
    const { all, turns } = await play(['dance anywhere', 'help']);
    expect(all(1)).toContain('talk to a person');
    expect(all(1)).toContain('I am not a medical service');
    expect(turns[1]?.[0]?.quickReplies?.map((quick) => quick.label)).toContain('Talk to a person');
  });

  it.each(['talk to a person', 'Can I speak to someone?', 'I want a real person', 'human please'])(
    '%j says who to contact, and keeps the results',
    async (text) => {
      const { all, intents, state } = await play(['dance anywhere', text, 'more']);
      expect(intents).toEqual(['search', 'human', 'more']);
      expect(all(1)).toContain('contact its organiser');
      expect(all(1)).toContain('Samaritans are on 116 123');
      expect(state.shown).toBe(5);
    },
  );

  it('names the organisers of the activities on screen, and only those', async () => {
    const { all } = await play(['dance anywhere', 'talk to a person', 'more', 'talk to a person']);
    // The first page: Glasgow (no details recorded), Dundee (phone and email), at home (website).
    expect(all(1)).toContain("Dance for Parkinson's – Dundee (Scottish Ballet): phone 01632 960123, or email dance.dundee@example.net.");
    expect(all(1)).toContain("Dance for Parkinson's at home (Scottish Ballet): see https://dance-at-home.example.net.");
    expect(all(1)).not.toContain("Dance for Parkinson's – Glasgow (");
    // After "more", the page on screen has changed, and so have the organisers.
    expect(all(3)).not.toContain('01632 960123');
  });

  it('before any search, says where organisers can be found', async () => {
    const { all } = await play(['talk to a person']);
    expect(all(0)).toContain('I can show their details once we have found an activity');
    expect(all(0)).toContain('link worker');
  });
});

describe('calm answers to awkward input', () => {
  it.each(['you are fucking useless', 'Stupid bot', 'shut up'])('%j gets a calm answer and no search', async (text) => {
    const { all, intents, search } = await play([text]);
    expect(intents).toEqual(['hostile']);
    expect(all(0)).toMatch(/^I'm sorry this is frustrating\./);
    expect(search.calls).toEqual([]);
  });

  it.each([
    ['', 'empty'],
    ['zxcvbnm qwrtp', 'unclear'],
    ['a'.repeat(5_000), 'too-long'],
    ['\u0000\u0001', 'unclear'],
  ])('%#: nonsense, empty or very long input is answered calmly', async (text, intent) => {
    const { intents, turns } = await play([text]);
    expect(intents).toEqual([intent]);
    expect(turns[0]?.[0]?.text.length).toBeGreaterThan(0);
  });

  it('classifies the new intents', () => {
    expect(classify('stop')).toBe('restart');
    expect(classify('speak with a human')).toBe('human');
    expect(classify('What is social prescribing?')).toBe('explain');
  });
});
