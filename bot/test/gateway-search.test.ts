import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { respond } from '../src/conversation/respond';
import { initialState, type BotReply, type ConversationState } from '../src/conversation/types';
import { SearchUnavailableError } from '../src/search/activity-search';
import { createGatewayClient, GatewayError } from '../src/search/gateway-client';
import { createGatewayActivitySearch } from '../src/search/gateway-search';
import { ACTIVITIES, hit } from './support/activities';
import { startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { captureLogs } from './support/log-capture';

let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startFakeGateway({ activities: ACTIVITIES, slowMs: 1_000 });
});
afterAll(() => gateway.close());
afterEach(() => {
  gateway.behave('normal');
  gateway.requests.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

function searchOn(url = gateway.url) {
  const logs = captureLogs();
  return { ...createGatewayActivitySearch({ url, logger: logs.logger, timeoutMs: 500 }), logs };
}

/** Plays typed messages through the core with the real gateway search. */
async function play(messages: string[]) {
  const { search } = searchOn();
  let state: ConversationState = initialState();
  const turns: BotReply[][] = [];
  for (const text of messages) {
    const result = await respond(state, { type: 'text', text }, { search });
    state = JSON.parse(JSON.stringify(result.state)) as ConversationState;
    turns.push(result.replies);
  }
  return turns;
}

describe('the gateway client', () => {
  it("asks searchActivities for the person's words and the fields the bot shows", async () => {
    const client = createGatewayClient({ url: gateway.url, timeoutMs: 2_000 });
    const page = await client.searchActivities("dance for Parkinson's in Dundee", 12);
    expect(page.skipped).toBe(0);
    expect(page.hits[0]?.activity.id).toBe('act-dfp-dundee');
    expect(page.hits[0]?.reasons).toEqual(["For people with Parkinson's", 'In Dundee']);
    const [request] = gateway.requests;
    expect(request?.variables).toEqual({ query: "dance for Parkinson's in Dundee", first: 12 });
    for (const field of ['score', 'reasons', 'fees', 'scheduleDescription', 'placesRemaining', 'waitingListOpen', 'evidence(first: 1) { headline }']) {
      expect(request?.query).toContain(field);
    }
  });

  it('cuts a query to the 500 characters the gateway accepts', async () => {
    const client = createGatewayClient({ url: gateway.url, timeoutMs: 2_000 });
    await client.searchActivities('dance '.repeat(200), 3);
    expect(String(gateway.requests[0]?.variables.query)).toHaveLength(500);
  });

  it('names the kind of failure in a clear error', async () => {
    const client = createGatewayClient({ url: gateway.url, timeoutMs: 200 });
    gateway.behave('graphql-errors');
    const errors = await failure(client.searchActivities('dance', 3));
    expect(errors.kind).toBe('GRAPHQL_ERRORS');
    expect(errors.message).toBe(`The gateway at ${gateway.url} returned errors: Cannot query field "searchActivities"`);
    gateway.behave('slow');
    expect((await failure(client.searchActivities('dance', 3))).kind).toBe('TIMEOUT');
    gateway.behave('http-500');
    await expect(client.ping()).rejects.toBeInstanceOf(GatewayError);
  });

  it('reports an unreachable gateway and a non-JSON answer', async () => {
    const closed = await startFakeGateway({ activities: [] });
    await closed.close();
    expect((await failure(createGatewayClient({ url: closed.url, timeoutMs: 1_000 }).searchActivities('x', 3))).kind).toBe(
      'UNREACHABLE',
    );
    const html = createGatewayClient({
      url: 'http://gateway.test/graphql',
      timeoutMs: 1_000,
      fetch: async () => new Response('<h1>Bad gateway</h1>', { status: 502 }),
    });
    expect((await failure(html.searchActivities('x', 3))).kind).toBe('HTTP_STATUS');
  });

  it('keeps a partial answer (evidence down) and leaves out hits in an unexpected shape', async () => {
    const good = hit(ACTIVITIES[1]!, ['In Dundee']);
    const withoutEvidence = { ...good, activity: { ...good.activity, evidence: null } };
    const client = createGatewayClient({
      url: 'http://gateway.test/graphql',
      timeoutMs: 1_000,
      fetch: async () =>
        Response.json({
          data: { searchActivities: [withoutEvidence, { activity: { id: 'broken' }, score: 1, reasons: [] }] },
          errors: [{ message: 'evidence subgraph unavailable', path: ['searchActivities', 0, 'activity', 'evidence'] }],
        }),
    });
    const page = await client.searchActivities('dance', 3);
    expect(page.hits).toEqual([withoutEvidence]);
    expect(page.skipped).toBe(1);
  });
});

describe('the gateway search', () => {
  it('maps hits to suggestions: places, waiting list, evidence and reasons', async () => {
    const { search } = searchOn();
    const { suggestions } = await search.search("dance for Parkinson's in Dundee", { limit: 12 });
    expect(suggestions[0]).toEqual({
      id: 'act-dfp-dundee',
      name: "Dance for Parkinson's – Dundee",
      organisationName: 'Scottish Ballet',
      deliveryMode: 'IN_PERSON',
      town: 'Dundee',
      area: 'NHS Tayside',
      isFree: true,
      fees: null,
      scheduleDescription: 'Every other Wednesday, 1.30pm',
      reasons: ["For people with Parkinson's", 'In Dundee'],
      availability: { kind: 'places', remaining: 4 },
      evidenceHeadline: "Dance improved balance and mood in people with Parkinson's",
      contact: { phone: '01632 960123', email: 'dance.dundee@example.net', website: null },
    });
    expect(suggestions.find((suggestion) => suggestion.id === 'act-dfp-glasgow')?.availability).toEqual({ kind: 'waiting-list' });
    expect(suggestions.find((suggestion) => suggestion.id === 'act-dfp-online')?.availability).toEqual({ kind: 'unknown' });
  });

  it('turns a gateway failure into SearchUnavailableError and logs no words of the person', async () => {
    const { search, logs } = searchOn();
    gateway.behave('http-500');
    await expect(search.search('my secret words', { limit: 12 })).rejects.toBeInstanceOf(SearchUnavailableError);
    expect(logs.text()).toContain('search unavailable');
    expect(logs.text()).not.toContain('secret');
  });
});

describe('transcripts through the fake gateway', () => {
  it('shows three at a time with where, when, cost, reasons, places and evidence, then More', async () => {
    const turns = await play(["dance for Parkinson's in Dundee", 'more']);
    const first = turns[0] ?? [];
    expect(first[0]?.text).toMatch(/^I found \d+ activities that might suit you\. Here are the first 3:$/);
    expect(first).toHaveLength(5);
    expect(first[1]?.text).toBe(
      [
        "Dance for Parkinson's – Dundee",
        'Run by Scottish Ballet',
        'Where: Dundee, NHS Tayside (in person)',
        'When: Every other Wednesday, 1.30pm',
        'Cost: Free',
        "Why it matched: For people with Parkinson's; In Dundee",
        'Places: 4 left',
        "What the evidence says: Dance improved balance and mood in people with Parkinson's",
      ].join('\n'),
    );
    expect(first.at(-1)?.quickReplies?.map((quick) => quick.value)).toEqual([
      'more',
      'join act-dfp-dundee',
      'join act-dfp-glasgow',
      'join act-dfp-online',
      'free only',
      'step-free',
      'start again',
    ]);
    expect(turns[1]?.[0]?.text).toMatch(/^Here (are \d+ more|is 1 more):$/);
    expect(gateway.requests).toHaveLength(1);
  });

  it('says so calmly when the gateway is down', async () => {
    gateway.behave('http-500');
    const turns = await play(['dance online']);
    expect(turns[0]?.[0]?.text).toBe('Sorry, I cannot look up activities at the moment. Please try again in a few minutes.');
  });
});

describe('plain English, and the words people use', () => {
  it('explains social prescribing when asked, without searching', async () => {
    const turns = await play(['What is social prescribing?', "what's a link worker"]);
    expect(turns[0]?.[0]?.text).toMatch(/^Social prescribing connects you with activities and support in your community\./);
    expect(turns[0]?.[0]?.text).toContain('A link worker can help you choose.');
    expect(turns[0]?.[1]?.quickReplies?.map((quick) => quick.label)).toEqual(['Dance', 'Singing', 'Walking', 'Befriending']);
    expect(turns[1]?.[0]?.text).toMatch(/^Social prescribing connects you/);
    expect(gateway.requests).toHaveLength(0);
  });

  it.each([
    ['dance for PD', "Dance for Parkinson's"],
    ['MS', 'Elevate: dance for people with MS'],
    ['memory problems', 'Singing for memory'],
    ["can't get out much", 'befriending'],
  ])('%j goes to the server search as typed, which knows what it means', async (text, expected) => {
    // "Where should it be?" is asked unless the words say (can't get out much: from home).
    const turns = await play(text === "can't get out much" ? [text] : [text, 'anywhere']);
    expect(gateway.requests.map((request) => request.variables.query)).toEqual([text]);
    const shown = (turns.at(-1) ?? []).slice(1, -1).map((reply) => reply.text.split('\n')[0]);
    expect(shown.some((name) => name?.includes(expected))).toBe(true);
  });
});
