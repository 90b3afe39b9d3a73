import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActivitySearch } from '../src/search/activity-search';
import { createGatewayActivitySearch } from '../src/search/gateway-search';
import { createBotServer, type BotServerDeps, type RunningBotServer } from '../src/server';
import { ACTIVITIES } from './support/activities';
import { openChat, type BotFrame, type ChatClient } from './support/chat-client';
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

const texts = (frames: BotFrame[]) => frames.map((frame) => frame.text);

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
    expect(greeting.at(-1)?.quick_replies).toEqual([
      { title: 'Dance', payload: 'dance' },
      { title: 'Singing', payload: 'singing' },
      { title: 'Walking', payload: 'walking' },
      { title: 'Befriending', payload: 'befriending' },
    ]);

    client.say("dance for Parkinson's");
    const results = await client.turn();
    expect(texts(results)[0]).toBe('I found 5 activities that might suit you. Here are the first 3:');
    // Plain text: the apostrophe arrives as it is, not HTML-escaped as Botkit's templates would.
    expect(results[1]?.text).toMatch(/^Dance for Parkinson's – Glasgow\nRun by Scottish Ballet\n/);
    expect(texts(results).join('\n')).not.toContain('&#39;');
    expect(results.at(-1)?.quick_replies?.map((quick) => quick.payload)).toEqual(['more', 'start again']);

    client.say('more');
    const more = await client.turn();
    expect(texts(more)[0]).toBe('Here are 2 more:');
    expect(more[1]?.text).toMatch(/^Time to Dance\n/);
  });

  it('keeps each connection’s conversation to itself, whatever user id a page claims', async () => {
    const bot = await startBot();
    const alice = await chat(bot.url);
    const mallory = await chat(bot.url);

    alice.say('dance');
    expect(texts(await alice.turn())[0]).toMatch(/^I found 5 activities/);

    // Botkit's web adapter trusts the user id in each frame; the bot overwrites it.
    mallory.send({ type: 'message', text: 'more', user: 'alice', channel: 'alice' });
    expect(texts(await mallory.turn())).toEqual([
      "Tell me what you're looking for first, for example “dance” or “walking group”.",
    ]);
    expect(await alice.quiet(200)).toEqual([]);

    alice.say('more');
    expect(texts(await alice.turn())[0]).toBe('Here are 2 more:');
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
    client.say('singing');
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

    client.say("dance for my dad's Parkinson's");
    expect(texts(await client.turn())).toEqual([
      'Sorry, something went wrong on our side. Please try again, or type “start again”.',
    ]);

    // The same connection, and new ones, still work.
    client.say('help');
    expect(texts(await client.turn())[0]).toMatch(/^Type what you're looking for/);
    const another = await chat(bot.url);
    another.send({ type: 'hello' });
    expect(await another.turn()).toHaveLength(2);
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
