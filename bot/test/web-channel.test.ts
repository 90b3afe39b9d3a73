import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationService } from '../src/conversation/conversation-service';
import { createMemoryStore } from '../src/conversation/state-store';
import type { BotReply, IncomingMessage } from '../src/conversation/types';
import type { ActivitySearch } from '../src/search/activity-search';
import { createGatewayActivitySearch } from '../src/search/gateway-search';
import { createBotServer, type BotServerDeps, type RunningBotServer } from '../src/server';
import { ACTIVITIES } from './support/activities';
import { FOUND_SIX, openChat, SEARCH, searchForDance, texts, type BotFrame, type ChatClient } from './support/chat-client';
import { startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { captureLogs } from './support/log-capture';

/**
 * The bot as it runs: its HTTP server on port 0, a fake gateway on port 0, and a websocket
 * client that speaks to it the way the page does.
 */

let gateway: FakeGateway;
const running: RunningBotServer[] = [];
const chats: ChatClient[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

async function startBot(overrides: Partial<BotServerDeps> = {}) {
  const logs = captureLogs();
  const gatewaySearch = createGatewayActivitySearch({ url: gateway.url, logger: logs.logger, timeoutMs: 1_000 });
  const bot = createBotServer({ logger: logs.logger, ...gatewaySearch, ...overrides });
  const server = await bot.listen(0, '127.0.0.1');
  running.push(server);
  return { ...server, logs };
}

async function chat(url: string, options?: { origin?: string }) {
  const client = await openChat(url, options);
  chats.push(client);
  return client;
}

const payloads = (frames: BotFrame[]) => frames.at(-1)?.quick_replies?.map((quick) => quick.payload) ?? [];

beforeAll(async () => {
  gateway = await startFakeGateway({ activities: ACTIVITIES });
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  gateway.behave('normal');
  await Promise.all(chats.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((server) => server.close()));
  expect(unhandled).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await gateway.close();
});

describe('the chat page', () => {
  it('serves the page with the attributes tests and tools use, and its own script and styles', async () => {
    const bot = await startBot();
    const response = await fetch(bot.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toMatch(/<label for="chat-input"[^>]*>Your message<\/label>/);
    expect(html).toMatch(/<input[^>]*id="chat-input"[^>]*data-testid="chat-input"/s);
    expect(html).toMatch(/<button[^>]*data-testid="chat-send"/);
    expect(html).toMatch(/role="log" aria-live="polite"/);
    // Nothing is loaded from anywhere else.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

    const script = await fetch(new URL('/chat.js', bot.url));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const js = await script.text();
    for (const testId of ['bot-message', 'user-message', 'quick-reply']) expect(js).toContain(`'${testId}'`);
    expect(js).not.toContain('innerHTML');
    expect((await fetch(new URL('/chat.css', bot.url))).status).toBe(200);
  });

  it('answers /health without the gateway and /ready only when the gateway answers', async () => {
    const bot = await startBot();
    expect(await (await fetch(new URL('/health', bot.url))).json()).toEqual({ status: 'ok' });
    const ready = await fetch(new URL('/ready', bot.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', ready: true, checks: { gateway: { ok: true } } });

    gateway.behave('http-500');
    expect((await fetch(new URL('/health', bot.url))).status).toBe(200);
    const notReady = await fetch(new URL('/ready', bot.url));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'not ready', checks: { gateway: { ok: false } } });
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    const bot = await startBot();
    expect((await fetch(new URL('/nope', bot.url))).status).toBe(404);
    expect((await fetch(new URL('/../package.json', bot.url))).status).toBe(404);
    expect((await fetch(bot.url, { method: 'POST', body: '{}' })).status).toBe(405);
  });
});

describe('chatting over the websocket', () => {
  it('greets, finds Dance for Parkinson’s through the gateway, and pages with More', async () => {
    const bot = await startBot();
    const client = await chat(bot.url);

    client.send({ type: 'hello' });
    const greeting = await client.turn();
    expect(texts(greeting)[0]).toMatch(/^Hello\. I can help you find groups and activities/);
    expect(greeting.at(-1)?.quick_replies).toEqual(
      expect.arrayContaining([
        { title: 'Dance', payload: 'dance' },
        { title: 'Singing', payload: 'singing' },
        { title: 'Walking', payload: 'walking' },
        { title: 'Befriending', payload: 'befriending' },
      ]),
    );

    client.say(SEARCH);
    const results = await client.turn();
    expect(texts(results)[0]).toBe(FOUND_SIX);
    // Plain text: the apostrophe arrives as it is, not HTML-escaped as Botkit's templates would.
    expect(results[1]?.text).toMatch(/^Dance for Parkinson's – Glasgow\nRun by Scottish Ballet\n/);
    expect(texts(results).join('\n')).not.toContain('&#39;');
    expect(payloads(results)).toContain('more');

    client.say('more');
    const more = await client.turn();
    expect(texts(more)[0]).toBe('Here are 3 more:');
    expect(more[1]?.text).toMatch(/^Time to Dance\n/);
  });

  it('keeps each connection’s conversation to itself, whatever user id a page claims', async () => {
    const bot = await startBot();
    const alice = await chat(bot.url);
    const mallory = await chat(bot.url);

    alice.say(SEARCH);
    expect(texts(await alice.turn())[0]).toBe(FOUND_SIX);

    // Botkit's web adapter trusts the user id in each frame; the bot overwrites it.
    mallory.send({ type: 'message', text: 'more', user: 'alice', channel: 'alice' });
    expect(texts(await mallory.turn())).toEqual([
      "Tell me what you're looking for first, for example “dance” or “walking group”.",
    ]);
    expect(await alice.quiet(200)).toEqual([]);

    alice.say('more');
    expect(texts(await alice.turn())[0]).toBe('Here are 3 more:');
  });

  it('ignores frames that are not chat messages and carries on', async () => {
    const bot = await startBot();
    const client = await chat(bot.url);
    client.sendRaw('not json');
    client.sendRaw(Buffer.from([1, 2, 3]));
    client.send({ type: 'message', text: 42 });
    client.send({ type: 'something_else', text: 'hi' });
    client.send(['message']);
    expect(await client.quiet(200)).toEqual([]);
    client.say('help');
    expect(texts(await client.turn())[0]).toMatch(/^Type what you're looking for/);
    expect(bot.logs.text()).toContain('frame ignored: not a chat frame');
  });

  it('closes a connection that sends too much, too fast, or too big', async () => {
    const bot = await startBot({ web: { rateLimit: { messages: 3, perMs: 60_000 }, maxFrameBytes: 1_024 } });
    const fast = await chat(bot.url);
    for (let index = 0; index < 4; index += 1) fast.say('hi');
    expect(await fast.closed).toEqual({ code: 1008, reason: 'Too many messages' });

    const big = await chat(bot.url);
    big.say('x'.repeat(2_000));
    expect((await big.closed).code).toBe(1009);

    const fine = await chat(bot.url);
    fine.say('hi');
    expect(texts(await fine.turn())[0]).toMatch(/^Hello\. Tell me/);
  });

  it('refuses a websocket opened from another site', async () => {
    const bot = await startBot();
    await expect(openChat(bot.url, { origin: 'https://elsewhere.example' })).rejects.toThrow(/403/);
    const page = new URL(bot.url);
    const sameSite = await chat(bot.url, { origin: `http://${page.host}` });
    sameSite.say('hi');
    expect(await sameSite.turn()).toHaveLength(1);
    await expect(openChat(bot.url, { path: '/elsewhere' })).rejects.toThrow(/404/);
  });

  it('tells the person when the directory cannot be reached', async () => {
    gateway.behave('http-500');
    const bot = await startBot();
    const client = await chat(bot.url);
    client.say('singing in Glasgow');
    expect(texts(await client.turn())).toEqual([
      'Sorry, I cannot look up activities at the moment. Please try again in a few minutes.',
    ]);
  });
});

describe('when a handler fails', () => {
  const throwingSearch: ActivitySearch = {
    async search() {
      throw new TypeError('search exploded');
    },
  };

  it('apologises, logs the error without the person’s words, and keeps serving', async () => {
    const bot = await startBot({ search: throwingSearch });
    const client = await chat(bot.url);

    client.say("dance for my dad's Parkinson's in Glasgow");
    expect(texts(await client.turn())).toEqual([
      'Sorry, something went wrong on our side. Please try again, or type “start again”.',
    ]);

    // The same connection, and new ones, still work.
    client.say('help');
    expect(texts(await client.turn())[0]).toMatch(/^Type what you're looking for/);
    const another = await chat(bot.url);
    another.send({ type: 'hello' });
    expect(texts(await another.turn())[0]).toMatch(/^Hello\. I can help you find/);
    expect((await fetch(new URL('/health', bot.url))).status).toBe(200);

    const failed = bot.logs.lines().find((line) => line.msg === 'turn failed; sent an apology');
    expect(failed).toMatchObject({ level: 50, err: { type: 'TypeError', message: 'search exploded' } });
    // Whole words only: a random hex id may well contain "dad".
    expect(bot.logs.text()).not.toMatch(/\bdad\b|parkinson/i);
  });

  it('apologises when the conversation store fails too', async () => {
    const bot = await startBot({
      store: {
        get: async () => Promise.reject(new Error('store down')),
        set: async () => undefined,
        delete: async () => undefined,
      },
    });
    const client = await chat(bot.url);
    client.say('dance');
    expect(texts(await client.turn())[0]).toMatch(/^Sorry, something went wrong on our side/);
  });
});

describe('closing', () => {
  it('closes open chats and the server, and can be called twice', async () => {
    const bot = await startBot();
    const client = await chat(bot.url);
    client.say('hi');
    await client.turn();
    await bot.close();
    expect((await client.closed).code).toBe(1001);
    await expect(fetch(new URL('/health', bot.url))).rejects.toThrow();
    await bot.close();
  });
});

describe('resuming a conversation', () => {
  const WELCOME_BACK_FRESH = /^You're connected again\. I've started a new conversation/;

  /** A chat that has searched and seen 3 of 6; returns its resume token. */
  async function searchedForDance(url: string) {
    const client = await chat(url);
    return { client, resume: await searchForDance(client) };
  }

  it('gives each connection its own unguessable resume token, before any reply, and never logs it', async () => {
    const bot = await startBot();
    const first = await chat(bot.url);
    const second = await chat(bot.url);
    first.send({ type: 'hello' });
    second.say('hi');
    await first.turn();
    await second.turn();
    const tokens = [(await first.session()).resume, (await second.session()).resume];
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(first.sessions).toHaveLength(1);
    for (const token of tokens) expect(bot.logs.text()).not.toContain(token);
  });

  it('carries on where it left off after the connection drops: "more" shows the next results', async () => {
    const bot = await startBot();
    const { client, resume } = await searchedForDance(bot.url);
    await client.close();

    const again = await chat(bot.url);
    again.send({ type: 'welcome_back', resume });
    expect(await again.session()).toEqual({ type: 'session', resume, resumed: true });
    // No new greeting: the page keeps its transcript.
    expect(await again.quiet(150)).toEqual([]);
    again.say('more');
    const more = await again.turn();
    expect(texts(more)[0]).toBe('Here are 3 more:');
    expect(more[1]?.text).toMatch(/^Time to Dance\n/);
    expect(bot.logs.text()).not.toContain(resume);
  });

  it('resumes after a reload too (the page sends its stored token with hello)', async () => {
    const bot = await startBot();
    const { client, resume } = await searchedForDance(bot.url);
    await client.close();
    const reloaded = await chat(bot.url);
    reloaded.send({ type: 'hello', resume });
    expect((await reloaded.session()).resumed).toBe(true);
    reloaded.say('more');
    expect(texts(await reloaded.turn())[0]).toBe('Here are 3 more:');
  });

  it('gives a made-up, malformed or expired token a fresh conversation and a new token', async () => {
    const bot = await startBot();
    for (const resume of [randomBytes(16).toString('base64url'), 'x'.repeat(22), 'not a token', 'A'.repeat(300), 42]) {
      const client = await chat(bot.url);
      client.send({ type: 'welcome_back', resume });
      const session = await client.session();
      expect(session.resumed).toBe(false);
      expect(session.resume).not.toBe(resume);
      expect(texts(await client.turn())[0]).toMatch(WELCOME_BACK_FRESH);
      client.say('more');
      expect(texts(await client.turn())[0]).toMatch(/^Tell me what you're looking for first/);
      await client.close();
    }
  });

  it('never hands a conversation to a second connection while the first holds it', async () => {
    const bot = await startBot();
    const { client: alice, resume } = await searchedForDance(bot.url);

    const mallory = await chat(bot.url);
    mallory.send({ type: 'welcome_back', resume });
    const session = await mallory.session();
    expect(session).toMatchObject({ resumed: false });
    expect(session.resume).not.toBe(resume);
    expect(texts(await mallory.turn())[0]).toMatch(WELCOME_BACK_FRESH);
    mallory.say('more');
    expect(texts(await mallory.turn())[0]).toMatch(/^Tell me what you're looking for first/);

    // Alice's conversation is untouched, and only Alice's connection hears it.
    alice.say('more');
    expect(texts(await alice.turn())[0]).toBe('Here are 3 more:');
    expect(await mallory.quiet(100)).toEqual([]);
    expect(bot.logs.text()).toContain('"reason":"in use"');
  });

  it('lets only the first frame resume, so a connection never switches conversation mid-way', async () => {
    const bot = await startBot();
    const { client: alice, resume } = await searchedForDance(bot.url);
    await alice.close();

    const other = await chat(bot.url);
    other.say('hi');
    await other.turn();
    other.send({ type: 'welcome_back', resume });
    expect(texts(await other.turn())[0]).toMatch(WELCOME_BACK_FRESH);
    expect(other.sessions).toHaveLength(1);
    expect(other.sessions[0]!.resume).not.toBe(resume);

    // The conversation is still there for its own page.
    const back = await chat(bot.url);
    back.send({ type: 'welcome_back', resume });
    expect((await back.session()).resumed).toBe(true);
  });

  it('forgets state on close when resuming is off', async () => {
    const store = createMemoryStore();
    const bot = await startBot({ store, web: { conversationExists: undefined } });
    const client = await chat(bot.url);
    client.say(SEARCH);
    await client.turn();
    expect(store.size()).toBe(1);
    await client.close();
    await expect.poll(() => store.size()).toBe(0);
  });

  it('starts afresh, and apologises for the turn, when the store cannot answer a resume', async () => {
    const bot = await startBot({
      store: { get: async () => Promise.reject(new Error('store down')), set: async () => undefined, delete: async () => undefined },
    });
    const client = await chat(bot.url);
    client.send({ type: 'welcome_back', resume: randomBytes(16).toString('base64url') });
    expect((await client.session()).resumed).toBe(false);
    expect(texts(await client.turn())[0]).toMatch(/^Sorry, something went wrong on our side/);
    expect((await fetch(new URL('/health', bot.url))).status).toBe(200);
  });
});

describe('secret input and the client address', () => {
  /** A scripted conversation service: asks for a token, then says whether one arrived. */
  function scripted() {
    const calls: Array<{ conversationId: string; message: IncomingMessage; context: unknown }> = [];
    const ask: BotReply = { text: 'Paste your sign-in token.', inputHint: 'secret', quickReplies: [{ label: 'Cancel', value: 'cancel' }] };
    const service: ConversationService = {
      async handle(conversationId, message, deliver, context) {
        calls.push({ conversationId, message, context });
        const replies: BotReply[] =
          message.type === 'start' ? [ask] : [{ text: `Received ${message.text.length} characters.`, quickReplies: [{ label: 'Start again', value: 'start again' }] }];
        await deliver(replies);
        return { intent: 'start' };
      },
      end: async () => undefined,
      idle: async () => undefined,
    };
    return { service, calls };
  }

  it('marks a reply that asks for a secret with "input":"secret", and only that one', async () => {
    const { service } = scripted();
    const bot = await startBot({ conversations: service });
    const client = await chat(bot.url);
    client.send({ type: 'hello' });
    expect(await client.turn()).toEqual([
      { type: 'message', text: 'Paste your sign-in token.', input: 'secret', quick_replies: [{ title: 'Cancel', payload: 'cancel' }] },
    ]);
    client.say('eyJhbGciOiJFZERTQSJ9.not-a-real-token');
    const [reply] = await client.turn();
    expect(reply).toEqual({ type: 'message', text: 'Received 37 characters.', quick_replies: [{ title: 'Start again', payload: 'start again' }] });
    // The token reached the conversation, and the logs never saw it.
    expect(bot.logs.text()).not.toContain('not-a-real-token');
  });

  it('carries the hint for the bot’s own sign-in prompt, and not for the reply after it', async () => {
    const bot = await startBot();
    const client = await chat(bot.url);
    client.say('sign in');
    const prompt = await client.turn();
    expect(prompt.at(-1)).toMatchObject({ text: expect.stringMatching(/sign-in token/), input: 'secret' });
    client.say('cancel');
    for (const frame of await client.turn()) expect(frame.input).toBeUndefined();
  });

  it('passes the address the websocket came from to the conversation', async () => {
    const { service, calls } = scripted();
    const bot = await startBot({ conversations: service });
    const client = await chat(bot.url);
    client.send({ type: 'hello' });
    await client.turn();
    expect(calls[0]).toMatchObject({ message: { type: 'start' }, context: { clientAddress: '127.0.0.1' } });
  });
});
