// Self-referral by the public: explicit consent, a short reference and a secret, a status check
// that shows the status and nothing else, withdrawal, idempotency, and a per-client limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { loadReferralConfig } from '../src/config';
import { ACTIVITY_A, ACTIVITY_A2, codeOf, CREATE_SELF, ORG_A, selfReferralInput, startHarness, type Harness } from './support';

const STATUS = 'query($reference: String!, $secret: String!) { selfReferralStatus(reference: $reference, secret: $secret) { reference status fhirTaskStatus activity { id } updatedAt } }';
const WITHDRAW = 'mutation($reference: String!, $secret: String!) { withdrawSelfReferral(reference: $reference, secret: $secret) { reference status activity { id } } }';

describe.each(testDatabaseKinds())('self-referral on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, {
      settings: {
        selfReferralLimit: { perClient: 4, unidentified: 40, windowSeconds: 3600 },
        selfServiceLimit: { perClient: 30, unidentified: 300, windowSeconds: 3600 },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  let client = 0;
  /** A different client address each time, so the per-client limit only bites where a test means it to. */
  const fresh = () => ({ 'x-forwarded-for': `198.51.100.${++client}` });
  const create = (input: Record<string, unknown>, headers = fresh()) => h.call('public', CREATE_SELF, { input }, headers);

  it('takes a referral from the public and answers with a short reference and a secret', async () => {
    const result = await create(selfReferralInput());
    expect(result.errors).toBeUndefined();
    const receipt = result.data!.createSelfReferral;
    expect(receipt).toMatchObject({ status: 'SENT', activity: { id: ACTIVITY_A } });
    expect(receipt.reference).toMatch(/^SP-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(receipt.secret).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);

    const stored = await h.db.referral.findUniqueOrThrow({ where: { referenceCode: receipt.reference }, include: { person: true, consents: true, events: true } });
    expect(stored).toMatchObject({ source: 'SELF', pathway: 'SELF', referrerSubject: null, activityOrganizationId: ORG_A, followUpDueAt: null });
    expect(stored.person).toMatchObject({ name: 'Sam Selfreferrer', phone: '+447911123456', ageYears: 67, nhsNumber: null });
    expect(stored.consents.map((consent) => [consent.purpose, consent.method, consent.recordedByRole]).sort()).toEqual([
      ['FOLLOW_UP_CONTACT', 'SELF_REFERRAL_FORM', 'person'],
      ['SHARE_WITH_PROVIDER', 'SELF_REFERRAL_FORM', 'person'],
    ]);
    expect(stored.events).toMatchObject([{ kind: 'CREATED', snomedCode: '871731000000106', actorRole: 'person' }]);
    // The secret is derived when needed, never stored.
    expect(JSON.stringify(stored)).not.toContain(receipt.secret);
    expect(JSON.stringify(stored)).not.toContain(receipt.secret.replace(/-/g, ''));
  });

  it('refuses without explicit consent to share with the provider, storing nothing', async () => {
    const before = await h.db.referral.count();
    for (const consents of [undefined, [], [{ purpose: 'SHARE_WITH_PROVIDER', granted: false }]]) {
      expect(codeOf(await create({ ...selfReferralInput(), consents }))).toBe('CONSENT_REQUIRED');
    }
    expect(codeOf(await create(selfReferralInput({ person: { name: 'A', contactPreference: 'EMAIL', email: 'nope', ageYears: 30 } })))).toBe('INVALID_EMAIL');
    expect(codeOf(await create(selfReferralInput({ activityId: 'not-in-the-directory' })))).toBe('UNKNOWN_ACTIVITY');
    expect(await h.db.referral.count()).toBe(before);
  });

  it('shows the status and which activity it is for, and nothing else, to whoever has the reference and the secret', async () => {
    const { reference, secret } = (await create(selfReferralInput({ activityId: ACTIVITY_A2 }))).data!.createSelfReferral;
    const status = await h.call('public', STATUS, { reference, secret }, fresh());
    expect(status.errors).toBeUndefined();
    expect(status.data!.selfReferralStatus).toMatchObject({ reference, status: 'SENT', fhirTaskStatus: 'requested', activity: { id: ACTIVITY_A2 } });
    // Typed loosely, as people do: lower case, no dashes.
    const loosely = await h.call('public', STATUS, { reference: reference.toLowerCase().replace(/-/g, ''), secret: secret.toLowerCase() }, fresh());
    expect(loosely.data!.selfReferralStatus.status).toBe('SENT');
    // Nothing but the status and the activity can be asked for.
    const more = await h.call('public', 'query($r: String!, $s: String!) { selfReferralStatus(reference: $r, secret: $s) { reference person { name } } }', { r: reference, s: secret });
    expect(codeOf(more)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers a wrong secret exactly as an unknown reference: NOT_FOUND', async () => {
    const { reference } = (await create(selfReferralInput())).data!.createSelfReferral;
    const wrongSecret = await h.call('public', STATUS, { reference, secret: 'AAAAA-BBBBB-CCCCC-DDDDD' }, fresh());
    const unknown = await h.call('public', STATUS, { reference: 'SP-00000-00000', secret: 'AAAAA-BBBBB-CCCCC-DDDDD' }, fresh());
    const nonsense = await h.call('public', STATUS, { reference: 'hello', secret: 'x' }, fresh());
    for (const result of [wrongSecret, unknown, nonsense]) {
      expect(codeOf(result)).toBe('NOT_FOUND');
      expect(result.errors![0]!.message).toBe(wrongSecret.errors![0]!.message);
    }
  });

  it('lets the person withdraw, recorded as them declining (SNOMED CT 871711000000103), and says which activity it was for', async () => {
    const { reference, secret } = (await create(selfReferralInput())).data!.createSelfReferral;
    const withdrawn = await h.call('public', WITHDRAW, { reference, secret }, fresh());
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data!.withdrawSelfReferral).toEqual({ reference, status: 'WITHDRAWN', activity: { id: ACTIVITY_A } });
    const stored = await h.db.referral.findUniqueOrThrow({ where: { referenceCode: reference }, include: { events: { orderBy: { at: 'asc' } } } });
    expect(stored.events.at(-1)).toMatchObject({ toStatus: 'WITHDRAWN', reason: 'PERSON_DECLINED', snomedCode: '871711000000103', actorRole: 'person', actorSubject: null });
    expect(stored.closedAt).not.toBeNull();
    expect(codeOf(await h.call('public', WITHDRAW, { reference, secret }, fresh()))).toBe('INVALID_STATUS_TRANSITION');
    expect(codeOf(await h.call('public', WITHDRAW, { reference, secret: 'AAAAA-BBBBB-CCCCC-DDDDD' }, fresh()))).toBe('NOT_FOUND');
  });

  it('reaches the provider of the activity, who can accept it; it has no referrer to see it', async () => {
    const { reference } = (await create(selfReferralInput())).data!.createSelfReferral;
    const { id } = await h.db.referral.findUniqueOrThrow({ where: { referenceCode: reference } });
    const asProvider = await h.call('provider', 'query($id: ID!) { referral(id: $id) { status source referenceCode pathway referrer { id } person { name } } }', { id });
    expect(asProvider.data!.referral).toEqual({ status: 'RECEIVED', source: 'SELF', referenceCode: reference, pathway: ['SELF'], referrer: null, person: { name: 'Sam Selfreferrer' } });
    expect((await h.call('gp', 'query($id: ID!) { referral(id: $id) { id } }', { id })).data!.referral).toBeNull();
  });

  it('returns the same reference and secret on a retry, and stores one referral for concurrent duplicates', async () => {
    const input = selfReferralInput({ idempotencyKey: 'self-8f3a2c1d9e7b' });
    const headers = fresh();
    const results = await Promise.all(Array.from({ length: 3 }, () => create(input, headers)));
    const again = await create(input);
    for (const result of [...results, again]) expect(result.errors).toBeUndefined();
    const receipts = new Set([...results, again].map((result) => `${result.data!.createSelfReferral.reference} ${result.data!.createSelfReferral.secret}`));
    expect(receipts.size).toBe(1);
    expect(await h.db.referral.count({ where: { idempotencyScope: 'public', idempotencyKey: 'self-8f3a2c1d9e7b' } })).toBe(1);
    const conflict = await create(selfReferralInput({ idempotencyKey: 'self-8f3a2c1d9e7b', person: { name: 'Another Person', contactPreference: 'PHONE', phone: '07911 123457', ageYears: 40 } }));
    expect(codeOf(conflict)).toBe('CONFLICT');
  });

  it('limits self-referrals per client, telling them when to try again; other clients are not affected', async () => {
    const busy = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 4; i += 1) expect((await create(selfReferralInput(), busy)).errors).toBeUndefined();
    const before = await h.db.referral.count();
    const limited = await create(selfReferralInput(), busy);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(await h.db.referral.count()).toBe(before);
    // Only the address our proxy (the gateway, on loopback) added counts: a client cannot dodge the limit by adding its own.
    expect(codeOf(await create(selfReferralInput(), { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' }))).toBe('RATE_LIMITED');
    expect((await create(selfReferralInput(), { 'x-forwarded-for': '203.0.113.8' })).errors).toBeUndefined();
  });

  it('believes X-Forwarded-For from a proxy on a private address (the gateway): each client it names has its own bucket', async () => {
    // The test client connects from 127.0.0.1, as the gateway does; the default trusts it.
    for (let i = 1; i <= 6; i += 1) {
      expect((await create(selfReferralInput(), { 'x-forwarded-for': `192.0.2.${i}` })).errors).toBeUndefined();
    }
  });

  it('puts requests with no client address in one shared, larger bucket', async () => {
    let refused = 0;
    for (let i = 0; i < 42; i += 1) if (codeOf(await create(selfReferralInput(), {} as never)) === 'RATE_LIMITED') refused += 1;
    expect(refused).toBe(2);
  });
});

describe.each(testDatabaseKinds())('the client address with REFERRAL_TRUSTED_PROXIES=none, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, {
      settings: {
        selfReferralLimit: { perClient: 3, unidentified: 40, windowSeconds: 3600 },
        selfServiceLimit: { perClient: 3, unidentified: 300, windowSeconds: 3600 },
        trustedProxies: loadReferralConfig({ REFERRAL_TRUSTED_PROXIES: 'none' }).settings.trustedProxies,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts every self-referral from one peer against one bucket, whatever X-Forwarded-For it rotates through', async () => {
    const outcomes: unknown[] = [];
    for (let i = 1; i <= 5; i += 1) {
      outcomes.push(codeOf(await h.call('public', CREATE_SELF, { input: selfReferralInput() }, { 'x-forwarded-for': `203.0.113.${i}` })));
    }
    expect(outcomes).toEqual([undefined, undefined, undefined, 'RATE_LIMITED', 'RATE_LIMITED']);
    // Without the header too: the peer is the client, not one of the unidentified.
    expect(codeOf(await h.call('public', CREATE_SELF, { input: selfReferralInput() }))).toBe('RATE_LIMITED');
  });

  it('does the same for status checks', async () => {
    const outcomes: unknown[] = [];
    for (let i = 1; i <= 4; i += 1) {
      const result = await h.call('public', STATUS, { reference: 'SP-00000-00000', secret: 'AAAAA-BBBBB-CCCCC-DDDDD' }, { 'x-forwarded-for': `198.51.100.${i}` });
      outcomes.push(codeOf(result));
    }
    expect(outcomes).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'RATE_LIMITED']);
  });
});
