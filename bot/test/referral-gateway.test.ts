import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConversationService } from '../src/conversation/conversation-service';
import { createMemoryStore, type ConversationStore } from '../src/conversation/state-store';
import type { BotReply } from '../src/conversation/types';
import { createGatewayServices } from '../src/gateway-services';
import { createReferralGateway } from '../src/referrals/referral-gateway';
import { createGatewayClient } from '../src/search/gateway-client';
import { createPlaceDirectory } from '../src/search/place-directory';
import { ACTIVITIES } from './support/activities';
import { startFakeHub, type FakeHub } from './support/fake-hub';
import { captureLogs } from './support/log-capture';
import { gpToken, makeToken } from './support/tokens';

/**
 * The bot's calls to the gateway against a real HTTP server on 127.0.0.1: tokens, the chat
 * user's address, error codes, the list of places, and whole conversations through the
 * conversation service.
 */

let hub: FakeHub;

beforeAll(async () => {
  hub = await startFakeHub({ activities: ACTIVITIES, postcodes: { Dundee: 'DD1 4HN', Glasgow: 'G2 3AB' }, slowMs: 1_000 });
});
afterAll(() => hub.close());
afterEach(() => {
  hub.requests.length = 0;
  hub.referrals.length = 0;
  hub.providerDown = false;
});

function referralsOn(url = hub.url, timeoutMs = 500) {
  const logs = captureLogs();
  const gateway = createGatewayClient({ url, timeoutMs: 2_000 });
  return { referrals: createReferralGateway({ gateway, logger: logs.logger, timeoutMs }), logs };
}

const CREATE = {
  activityId: 'act-teabooks',
  idempotencyKey: 'bot-key-1',
  person: { name: 'Jo Bloggs', contactPreference: 'EMAIL' as const, email: 'jo@example.org', ageYears: 72 },
  consents: [{ purpose: 'SHARE_WITH_PROVIDER' as const, granted: true, method: 'VERBAL' as const }],
  pathway: ['GP' as const],
};

describe('the referral calls', () => {
  it('checks a sign-in with the bearer token and sends the chat user’s address', async () => {
    const { referrals } = referralsOn();
    const token = gpToken();
    expect(await referrals.checkSignIn({ token, clientAddress: '203.0.113.7' })).toEqual({ ok: true, value: undefined });
    expect(hub.requests).toEqual([{ operation: 'BotSignIn', variables: {}, authorization: `Bearer ${token}`, forwardedFor: '203.0.113.7' }]);
    // The gateway answers HTTP 401 for a token it cannot verify.
    expect(await referrals.checkSignIn({ token: makeToken({ sub: 'x', role: 'professional', exp: 1 }) })).toEqual({
      ok: false,
      problem: { code: 'UNAUTHENTICATED' },
    });
  });

  it('sends x-forwarded-for only with an IP address', async () => {
    const { referrals } = referralsOn();
    await referrals.checkSignIn({ token: gpToken(), clientAddress: 'not an address' });
    await referrals.checkSignIn({ token: gpToken(), clientAddress: '::ffff:127.0.0.1' });
    await referrals.checkSignIn({ token: gpToken() });
    expect(hub.requests.map((request) => request.forwardedFor)).toEqual([undefined, '::ffff:127.0.0.1', undefined]);
  });

  it('creates a referral, idempotently, and lists it', async () => {
    const { referrals } = referralsOn();
    const token = gpToken();
    const first = await referrals.createReferral(CREATE, { token });
    const again = await referrals.createReferral(CREATE, { token });
    expect(first).toEqual({ ok: true, value: { id: 'referral-1', status: 'SENT' } });
    expect(again).toEqual(first);
    expect(hub.requests[0]?.variables).toEqual({ input: CREATE });
    const listed = await referrals.myReferrals({ first: 5 }, { token });
    expect(listed).toEqual({
      ok: true,
      value: {
        totalCount: 1,
        referrals: [{ id: 'referral-1', status: 'SENT', createdAt: expect.any(String), activityName: 'TeaBooks sociable book group', personName: 'Jo Bloggs' }],
        nextCursor: null,
      },
    });
  });

  it('returns the gateway’s codes, with the field and the wait, as problems', async () => {
    const { referrals } = referralsOn();
    const token = gpToken();
    expect(await referrals.createReferral({ ...CREATE, person: { ...CREATE.person, email: 'jo@example.com' } }, { token })).toEqual({
      ok: false,
      problem: { code: 'INVALID_EMAIL', field: 'person.email' },
    });
    expect(await referrals.createReferral({ ...CREATE, consents: [] }, { token })).toEqual({ ok: false, problem: { code: 'CONSENT_REQUIRED' } });
    const provider = makeToken({ sub: 'p-1', role: 'provider', org: 'o-1', exp: Date.now() / 1000 + 60 });
    expect(await referrals.createReferral(CREATE, { token: provider })).toEqual({ ok: false, problem: { code: 'FORBIDDEN' } });

    hub.answerNext('BotCreateSelfReferral', {
      status: 429,
      headers: { 'retry-after': '120' },
      body: { errors: [{ message: 'Too many requests.', extensions: { code: 'RATE_LIMITED' } }] },
    });
    const limited = await referrals.createSelfReferral({ ...CREATE, consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true }] }, {});
    expect(limited).toEqual({ ok: false, problem: { code: 'RATE_LIMITED', retryAfterSeconds: 120 } });

    hub.answerNext('BotCreateReferral', { status: 200, body: { data: null, errors: [{ message: 'referral is down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] } });
    expect(await referrals.createReferral(CREATE, { token })).toEqual({ ok: false, problem: { code: 'UNAVAILABLE' } });
    hub.answerNext('BotCreateReferral', { status: 200, body: { data: { createReferral: { id: 42 } } } });
    expect(await referrals.createReferral(CREATE, { token })).toEqual({ ok: false, problem: { code: 'UNAVAILABLE' } });
  });

  it('treats a slow or unreachable gateway as unavailable, and logs no token or personal detail', async () => {
    const { referrals, logs } = referralsOn(hub.url, 200);
    const token = gpToken();
    hub.answerNext('BotCreateReferral', 'slow');
    expect(await referrals.createReferral(CREATE, { token })).toEqual({ ok: false, problem: { code: 'UNAVAILABLE' } });
    const down = referralsOn('http://127.0.0.1:9/graphql');
    expect(await down.referrals.checkSignIn({ token })).toEqual({ ok: false, problem: { code: 'UNAVAILABLE' } });
    const logged = logs.text() + down.logs.text();
    expect(logged).toContain('gateway call refused or failed');
    expect(logged).not.toMatch(new RegExp(`${token.split('.')[1]}|Bloggs|example\\.org`));
  });

  it('checks a self-referral with its reference and secret, and gets the name of its activity', async () => {
    const { referrals } = referralsOn();
    const receipt = await referrals.createSelfReferral({ ...CREATE, consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true }] }, { clientAddress: '192.0.2.1' });
    if (!receipt.ok) throw new Error('expected a receipt');
    expect(await referrals.selfReferralStatus(receipt.value.reference, receipt.value.secret, {})).toEqual({
      ok: true,
      value: { reference: receipt.value.reference, status: 'RECEIVED', updatedAt: expect.any(String), activityName: 'TeaBooks sociable book group' },
    });
    expect(await referrals.selfReferralStatus(receipt.value.reference, 'WRONG', {})).toEqual({ ok: false, problem: { code: 'NOT_FOUND' } });
    expect(hub.requests[0]).toMatchObject({ operation: 'BotCreateSelfReferral', forwardedFor: '192.0.2.1' });
    expect(hub.requests[0]?.authorization).toBeUndefined();
  });

  it('withdraws a self-referral with its reference and secret, once', async () => {
    const { referrals, logs } = referralsOn();
    const receipt = await referrals.createSelfReferral({ ...CREATE, consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true }] }, {});
    if (!receipt.ok) throw new Error('expected a receipt');
    const { reference, secret } = receipt.value;
    expect(await referrals.withdrawSelfReferral(reference, 'WRONG', {})).toEqual({ ok: false, problem: { code: 'NOT_FOUND' } });
    expect(await referrals.withdrawSelfReferral(reference, secret, { clientAddress: '192.0.2.9' })).toEqual({
      ok: true,
      value: { reference, status: 'WITHDRAWN', updatedAt: expect.any(String), activityName: 'TeaBooks sociable book group' },
    });
    expect(await referrals.withdrawSelfReferral(reference, secret, {})).toEqual({ ok: false, problem: { code: 'INVALID_STATUS_TRANSITION' } });
    expect(await referrals.selfReferralStatus(reference, secret, {})).toMatchObject({ ok: true, value: { status: 'WITHDRAWN' } });
    expect(hub.requests[2]).toMatchObject({ operation: 'BotWithdrawSelfReferral', variables: { reference, secret }, forwardedFor: '192.0.2.9' });
    expect(hub.requests[2]?.authorization).toBeUndefined();

    hub.answerNext('BotWithdrawSelfReferral', {
      status: 429,
      headers: { 'retry-after': '90' },
      body: { errors: [{ message: 'Too many requests.', extensions: { code: 'RATE_LIMITED' } }] },
    });
    expect(await referrals.withdrawSelfReferral(reference, secret, {})).toEqual({ ok: false, problem: { code: 'RATE_LIMITED', retryAfterSeconds: 90 } });
    expect(logs.text()).not.toContain(secret);
  });
});

describe('a professional’s referrals: paging, reading one, withdrawing it', () => {
  async function made(count: number, token = gpToken()) {
    const { referrals, logs } = referralsOn();
    for (let number = 1; number <= count; number += 1) {
      await referrals.createReferral({ ...CREATE, idempotencyKey: `bot-key-${number}` }, { token });
    }
    hub.requests.length = 0;
    return { referrals, logs, token };
  }

  it('pages with the connection’s cursor: first five, then the rest after the end cursor', async () => {
    const { referrals, token } = await made(7);
    const first = await referrals.myReferrals({ first: 5 }, { token });
    if (!first.ok) throw new Error('expected a page');
    expect(first.value.totalCount).toBe(7);
    expect(first.value.referrals.map((referral) => referral.id)).toEqual(['referral-7', 'referral-6', 'referral-5', 'referral-4', 'referral-3']);
    expect(first.value.nextCursor).toBe(Buffer.from('GPC:S:referral-3').toString('base64'));
    const rest = await referrals.myReferrals({ first: 5, after: first.value.nextCursor! }, { token });
    expect(rest).toMatchObject({ ok: true, value: { totalCount: 7, nextCursor: null } });
    expect(rest.ok && rest.value.referrals.map((referral) => referral.id)).toEqual(['referral-2', 'referral-1']);
    expect(hub.requests.map((request) => request.variables)).toEqual([{ first: 5 }, { first: 5, after: first.value.nextCursor }]);
  });

  it('reads one with referral(id): what the chat shows and nothing more; null (none you can see) as NOT_FOUND', async () => {
    const { referrals, token } = await made(1);
    expect(await referrals.referral('referral-1', { token, clientAddress: '192.0.2.7' })).toEqual({
      ok: true,
      value: {
        id: 'referral-1',
        status: 'SENT',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        activityName: 'TeaBooks sociable book group',
        personName: 'Jo Bloggs',
        pathway: ['GP'],
        consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true }],
        history: [{ at: expect.any(String), status: 'SENT', reason: null }],
      },
    });
    expect(hub.requests[0]).toMatchObject({ operation: 'BotReferral', variables: { id: 'referral-1' }, authorization: `Bearer ${token}`, forwardedFor: '192.0.2.7' });
    // The query asks for the person's name only: no contact details, NHS number, notes or "what matters to me".
    expect(hub.requests.length).toBe(1);
    // Another practice's GP cannot see it (the service audits the attempt); a colleague in the same organisation can.
    const stranger = gpToken(Date.now(), { sub: 'gp-2', org: 'practice-9' });
    expect(await referrals.referral('referral-1', { token: stranger })).toEqual({ ok: false, problem: { code: 'NOT_FOUND' } });
    const colleague = gpToken(Date.now(), { sub: 'gp-3' });
    expect(await referrals.referral('referral-1', { token: colleague })).toMatchObject({ ok: true, value: { id: 'referral-1' } });
    expect(await referrals.referral('no-such-id', { token })).toEqual({ ok: false, problem: { code: 'NOT_FOUND' } });
  });

  it('takes a null referral beside an error as a failure, not as "none you can see"', async () => {
    const { referrals, token } = await made(1);
    hub.answerNext('BotReferral', {
      status: 200,
      body: { data: { referral: null }, errors: [{ message: 'The referral service is unavailable.', path: ['referral'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] },
    });
    expect(await referrals.referral('referral-1', { token })).toEqual({ ok: false, problem: { code: 'UNAVAILABLE' } });
    hub.providerDown = true;
    expect(await referrals.referral('referral-1', { token })).toMatchObject({ ok: true, value: { id: 'referral-1', activityName: null } });
  });

  it('withdraws with updateReferralStatus, the token and a WITHDRAWN reason, once; then the status says so', async () => {
    const { referrals, token, logs } = await made(1);
    const withdrawn = await referrals.withdrawReferral('referral-1', 'REFERRED_ELSEWHERE', { token, clientAddress: '192.0.2.8' });
    expect(withdrawn).toMatchObject({ ok: true, value: { id: 'referral-1', status: 'WITHDRAWN' } });
    expect(withdrawn.ok && withdrawn.value.history.map(({ status, reason }) => ({ status, reason }))).toEqual([
      { status: 'SENT', reason: null },
      { status: 'WITHDRAWN', reason: 'REFERRED_ELSEWHERE' },
    ]);
    expect(hub.requests[0]).toMatchObject({
      operation: 'BotWithdrawReferral',
      variables: { input: { referralId: 'referral-1', status: 'WITHDRAWN', reason: 'REFERRED_ELSEWHERE' } },
      authorization: `Bearer ${token}`,
      forwardedFor: '192.0.2.8',
    });
    expect(await referrals.referral('referral-1', { token })).toMatchObject({ ok: true, value: { status: 'WITHDRAWN' } });
    expect(await referrals.withdrawReferral('referral-1', 'OTHER', { token })).toEqual({ ok: false, problem: { code: 'INVALID_STATUS_TRANSITION' } });
    expect(logs.text()).not.toMatch(/Bloggs|example\.org/);
  });

  it('returns each refusal with its code: not found, forbidden, run-out sign-in, conflict, rate limited, unavailable', async () => {
    const { referrals, token } = await made(1);
    const stranger = gpToken(Date.now(), { sub: 'gp-2', org: 'practice-9' });
    expect(await referrals.withdrawReferral('referral-1', 'OTHER', { token: stranger })).toEqual({ ok: false, problem: { code: 'NOT_FOUND', field: 'referralId' } });
    expect(await referrals.withdrawReferral('referral-1', 'OTHER', { token: makeToken({ sub: 'gp-1', role: 'professional', exp: 1 }) })).toEqual({
      ok: false,
      problem: { code: 'UNAUTHENTICATED' },
    });
    hub.answerNext(
      'BotWithdrawReferral',
      { status: 200, body: { data: null, errors: [{ message: 'Only the provider can move this referral to WITHDRAWN.', extensions: { code: 'FORBIDDEN' } }] } },
      { status: 200, body: { data: null, errors: [{ message: 'The referral changed while you were updating it.', extensions: { code: 'CONFLICT' } }] } },
      { status: 429, headers: { 'retry-after': '30' }, body: { errors: [{ message: 'Too many requests.', extensions: { code: 'RATE_LIMITED' } }] } },
      { status: 200, body: { data: null, errors: [{ message: 'referral is down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] } },
    );
    for (const code of ['FORBIDDEN', 'CONFLICT', 'RATE_LIMITED', 'UNAVAILABLE']) {
      const refused = await referrals.withdrawReferral('referral-1', 'OTHER', { token });
      expect(refused.ok ? undefined : refused.problem.code).toBe(code);
    }
    expect(hub.referrals[0]?.status).toBe('SENT');
  });
});

describe('a self-referral while the directory is down', () => {
  it('is still answered: the gateway’s partial answer (activity null, with an error) gives the status without the name', async () => {
    const { referrals, logs } = referralsOn();
    const receipt = await referrals.createSelfReferral({ ...CREATE, consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true }] }, {});
    if (!receipt.ok) throw new Error('expected a receipt');
    const { reference, secret } = receipt.value;
    hub.providerDown = true;
    expect(await referrals.selfReferralStatus(reference, secret, {})).toEqual({
      ok: true,
      value: { reference, status: 'RECEIVED', updatedAt: expect.any(String), activityName: null },
    });
    expect(await referrals.withdrawSelfReferral(reference, secret, {})).toEqual({
      ok: true,
      value: { reference, status: 'WITHDRAWN', updatedAt: expect.any(String), activityName: null },
    });
    expect(logs.lines().filter((line) => line.msg === 'answered without the activity name').map((line) => line.operation)).toEqual([
      'BotSelfReferralStatus',
      'BotWithdrawSelfReferral',
    ]);
  });

  it('reads an activity in any other shape as no name, and still gives the status', async () => {
    const { referrals } = referralsOn();
    for (const activity of [{ name: null }, { name: '' }, 'Walking', {}]) {
      hub.answerNext('BotSelfReferralStatus', {
        status: 200,
        body: { data: { selfReferralStatus: { reference: 'SP-4K7QX-M2D9B', status: 'SENT', updatedAt: '2026-05-04T10:00:00.000Z', activity } } },
      });
      expect(await referrals.selfReferralStatus('SP-4K7QX-M2D9B', 'QX7M2-D9BKP-4RTVW-NZ8HC', {}), JSON.stringify(activity)).toEqual({
        ok: true,
        value: { reference: 'SP-4K7QX-M2D9B', status: 'SENT', updatedAt: '2026-05-04T10:00:00.000Z', activityName: null },
      });
    }
  });
});

describe('the list of places', () => {
  it('is fetched page by page through the gateway, with postcodes, and kept', async () => {
    const logs = captureLogs();
    const gateway = createGatewayClient({ url: hub.url, timeoutMs: 2_000 });
    const places = createPlaceDirectory({ gateway, logger: logs.logger, pageSize: 4 });
    const index = await places.get();
    expect(hub.requests.map((request) => request.operation)).toEqual(['BotPlaces', 'BotPlaces', 'BotPlaces']);
    expect(index.exact('dundee')).toBe('Dundee');
    expect(index.exact('tayside')).toBe('NHS Tayside');
    expect(index.fuzzy('merthyr tydfill')).toBe('Merthyr Tydfil');
    expect(index.postcode('DD1')).toBe('Dundee');
    expect(index.postcode('DD2')).toBe('Dundee');
    expect(index.postcode('G2')).toBe('Glasgow');
    await places.get();
    expect(hub.requests).toHaveLength(3);
  });

  it('falls back to an empty list when the gateway cannot answer, and asks again later', async () => {
    const logs = captureLogs();
    let time = 0;
    const gateway = createGatewayClient({ url: hub.url, timeoutMs: 2_000 });
    const places = createPlaceDirectory({ gateway, logger: logs.logger, retryMs: 1_000, now: () => time });
    hub.answerNext('BotPlaces', { status: 500, body: { errors: [{ message: 'Internal server error' }] } });
    expect((await places.get()).size).toBe(0);
    expect((await places.get()).size).toBe(0);
    expect(hub.requests).toHaveLength(1);
    expect(logs.text()).toContain('places could not be loaded; going by wording');
    time = 1_500;
    expect((await places.get()).size).toBeGreaterThan(5);
  });
});

describe('whole conversations through the gateway', () => {
  function service() {
    const logs = captureLogs();
    const gateway = createGatewayServices({ url: hub.url, logger: logs.logger });
    // Every state the service stores, as the store would be given it.
    const stored: string[] = [];
    const memory = createMemoryStore();
    const store: ConversationStore = {
      get: (id) => memory.get(id),
      delete: (id) => memory.delete(id),
      async set(id, state) {
        stored.push(JSON.stringify(state));
        await memory.set(id, state);
      },
    };
    const conversations = createConversationService({ ...gateway, store });
    const said: BotReply[][] = [];
    const context = { clientAddress: '203.0.113.50' };
    return {
      logs,
      said,
      stored,
      async say(text: string) {
        await conversations.handle('c1', { type: 'text', text }, async (replies) => void said.push(replies), context);
        return said.at(-1) ?? [];
      },
    };
  }

  /** A conversation that has asked to join the walking group: its receipt, reference and secret. */
  async function askedToJoinWalking() {
    const chat = service();
    await chat.say('walking');
    await chat.say('Merthyr Tydfil');
    await chat.say('join act-walking-merthyr');
    for (const answer of ['yes', 'Sam', '07912 345678', 'phone call', '67', 'skip']) await chat.say(answer);
    const [, receipt] = await chat.say('send');
    const reference = /Your reference: (\S+)/.exec(receipt?.text ?? '')?.[1];
    const secret = /Your secret: (\S+)/.exec(receipt?.text ?? '')?.[1];
    if (!reference || !secret) throw new Error('expected a reference and a secret');
    return { chat, receipt, reference, secret };
  }

  it('sends the chat user’s address on every call of the turn, and the token only to signed-in calls', async () => {
    const chat = service();
    const token = gpToken();
    await chat.say('sign in');
    await chat.say(token);
    const results = await chat.say('dance in dundeee');
    expect(results[0]?.text).toMatch(/^I found \d+ activit/);
    await chat.say('refer act-dfp-dundee');
    for (const answer of ['Jo Bloggs', 'jo@example.org', '72', 'yes', 'no', 'no', 'no', 'skip', 'just me']) await chat.say(answer);
    const sent = await chat.say('send');
    expect(sent[0]?.text).toBe('Referral sent. Its reference is referral-1. Scottish Ballet will contact Jo Bloggs by email. You can follow its progress under “My referrals”.');
    const listed = await chat.say('my referrals');
    expect(listed[0]?.text).toBe(
      `Your referral:\n1. Dance for Parkinson's – Dundee – for J. B. – sent ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(new Date())} – sent, not opened yet\nOpen one to see it in full.`,
    );

    const calls = hub.requests.filter((request) => request.operation !== 'BotPlaces');
    expect(calls.map((request) => request.operation)).toEqual(['BotSignIn', 'BotSearch', 'BotCreateReferral', 'BotMyReferrals']);
    expect(calls.every((request) => request.forwardedFor === '203.0.113.50')).toBe(true);
    expect(calls.map((request) => request.authorization === `Bearer ${token}`)).toEqual([true, false, true, true]);
    // The misspelt town was read from the directory's places and corrected.
    expect(calls[1]?.variables.query).toBe('dance in Dundee');
    expect(hub.referrals[0]?.input).toMatchObject({ activityId: 'act-dfp-dundee', pathway: ['GP'], person: { name: 'Jo Bloggs', email: 'jo@example.org' } });
    expect(chat.logs.text()).not.toMatch(new RegExp(`${token.split('.')[1]}|Bloggs|example\\.org`));
  });

  it('opens a referral from "My referrals" and withdraws it with a reason, the token on each call, nothing personal logged or kept', async () => {
    const chat = service();
    const token = gpToken();
    await chat.say('sign in');
    await chat.say(token);
    await chat.say('dance in Dundee');
    await chat.say('refer act-dfp-dundee');
    for (const answer of ['Jo Bloggs', 'jo@example.org', '72', 'yes', 'no', 'no', 'no', 'skip', 'just me']) await chat.say(answer);
    await chat.say('send');
    const stored = chat.stored.length;

    const [list] = await chat.say('my referrals');
    expect(list?.quickReplies?.[0]).toEqual({ label: 'Open 1', value: 'open 1' });
    const [opened] = await chat.say('open 1');
    expect(opened?.text.split('\n').slice(0, 3)).toEqual(["Dance for Parkinson's – Dundee, for J. B.", 'Reference: referral-1', expect.stringMatching(/^Status: sent, not opened yet \(since /)]);
    expect(opened?.quickReplies?.[0]).toEqual({ label: 'Withdraw this referral', value: 'withdraw referral referral-1' });
    await chat.say(opened!.quickReplies![0]!.value);
    await chat.say('yes');
    const [done, status] = await chat.say('person declined');
    expect(done?.text).toBe("Done. The referral to Dance for Parkinson's – Dundee has been withdrawn (the person decided not to go). This is where it is now:");
    expect(status?.text).toMatch(/\nStatus: withdrawn \(the person decided not to go\) \(since /);
    expect(hub.referrals[0]?.status).toBe('WITHDRAWN');

    const calls = hub.requests.filter((request) => ['BotMyReferrals', 'BotReferral', 'BotWithdrawReferral'].includes(request.operation));
    expect(calls.map((request) => request.operation)).toEqual(['BotMyReferrals', 'BotReferral', 'BotWithdrawReferral']);
    expect(calls.every((request) => request.authorization === `Bearer ${token}` && request.forwardedFor === '203.0.113.50')).toBe(true);
    expect(calls[2]?.variables).toEqual({ input: { referralId: 'referral-1', status: 'WITHDRAWN', reason: 'PERSON_DECLINED' } });
    // After the referral was sent, the state holds ids, a cursor and the activity's name, never the person.
    expect(chat.stored.slice(stored).some((state) => /Bloggs|example\.org/.test(state))).toBe(false);
    expect(chat.logs.text()).not.toMatch(new RegExp(`${token.split('.')[1]}|Bloggs|example\\.org`));
  });

  it('asks to join, shows the reference and secret, and checks the status with them', async () => {
    const { chat, reference, secret } = await askedToJoinWalking();
    expect(reference).toMatch(/^SP-/);
    expect(hub.referrals[0]).toMatchObject({ source: 'SELF', input: { activityId: 'act-walking-merthyr', person: { contactPreference: 'PHONE', phone: '07912 345678' } } });

    await chat.say('check my referral');
    await chat.say(reference);
    const status = await chat.say(secret);
    expect(status[0]?.text).toMatch(new RegExp(`^Your request to join Gentle walking group \\(${reference}\\): the organiser has seen it and should be in touch\\.`));
    expect(hub.requests.filter((request) => request.operation !== 'BotPlaces').every((request) => request.forwardedFor === '203.0.113.50')).toBe(true);
    expect(chat.logs.text()).not.toContain(secret);
  });

  it('withdraws a request after checking it: offered, confirmed, the secret asked again and never stored, and the status is then withdrawn', async () => {
    const { chat, receipt, reference, secret } = await askedToJoinWalking();

    await chat.say('check my referral');
    await chat.say(reference);
    const [status] = await chat.say(secret);
    expect(status?.quickReplies?.[0]).toEqual({ label: 'Withdraw this referral', value: `withdraw ${reference}` });

    const [confirm] = await chat.say(status!.quickReplies![0]!.value);
    expect(confirm?.text).toBe('Withdraw your request to join Gentle walking group? The organiser will be told you are no longer coming.');
    const [askSecret] = await chat.say('yes');
    expect(askSecret?.inputHint).toBe('secret');
    const [done] = await chat.say(secret);
    expect(done?.text).toMatch(/^Done\. Your request to join Gentle walking group has been withdrawn\./);
    expect(hub.referrals[0]?.status).toBe('WITHDRAWN');

    await chat.say('check my referral');
    await chat.say(reference);
    const [after] = await chat.say(secret);
    expect(after?.text).toMatch(new RegExp(`^Your request to join Gentle walking group \\(${reference}\\): it has been withdrawn\\.`));
    expect(after?.quickReplies?.map((reply) => reply.label)).toEqual(['Start again']);

    // Withdrawing again: the service says it has ended, and the bot says so.
    await chat.say(`withdraw ${reference}`);
    await chat.say('yes');
    const [ended] = await chat.say(secret);
    expect(ended?.text).toMatch(new RegExp(`^Your referral ${reference} has already ended, so it cannot be withdrawn\\.`));

    const operations = hub.requests.map((request) => request.operation).filter((operation) => operation.includes('SelfReferral'));
    expect(operations).toEqual(['BotCreateSelfReferral', 'BotSelfReferralStatus', 'BotWithdrawSelfReferral', 'BotSelfReferralStatus', 'BotWithdrawSelfReferral']);
    expect(hub.requests.filter((request) => request.operation !== 'BotPlaces').every((request) => request.forwardedFor === '203.0.113.50')).toBe(true);
    // The secret is said by the bot once, in the receipt; never again, never stored, never logged.
    expect(chat.said.flat().filter((reply) => reply.text.includes(secret))).toEqual([receipt]);
    expect(chat.stored.length).toBeGreaterThan(10);
    expect(chat.stored.some((state) => state.includes(secret))).toBe(false);
    expect(chat.logs.text()).not.toContain(secret);
  });

  it('checks and withdraws a request by its reference while the directory is down, as the gateway then answers in part', async () => {
    const { chat, reference, secret } = await askedToJoinWalking();

    hub.providerDown = true;
    await chat.say('check my referral');
    await chat.say(reference);
    const [status] = await chat.say(secret);
    expect(status?.text).toMatch(new RegExp(`^Your request ${reference}: the organiser has seen it and should be in touch\\.`));
    const [confirm] = await chat.say(status!.quickReplies![0]!.value);
    expect(confirm?.text).toBe(`Withdraw your referral ${reference}? The organiser will be told you are no longer coming.`);
    await chat.say('yes');
    const [done] = await chat.say(secret);
    expect(done?.text).toMatch(new RegExp(`^Done\\. Your referral ${reference} has been withdrawn\\.`));
    expect(hub.referrals[0]?.status).toBe('WITHDRAWN');
    expect(chat.logs.text()).not.toContain(secret);
  });
});
