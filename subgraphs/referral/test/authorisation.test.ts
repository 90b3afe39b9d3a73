// The authorisation matrix: every operation against every role, including another organisation's
// professional and provider. "ok" means allowed; otherwise the expected refusal. Reads of a
// referral someone may not see answer null (its existence is not revealed); changes answer
// NOT_FOUND.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { ACTIVITY_A, codeOf, CREATE_SELF, referralInput, selfReferralInput, startHarness, USERS, type Harness, type Who } from './support';

const ROLES: Who[] = ['gp', 'linkWorker', 'otherProfessional', 'provider', 'otherProvider', 'admin', 'public'];

type Outcome = 'ok' | 'hidden' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

interface Operation {
  name: string;
  expected: Record<Who, Outcome>;
  /** Runs the operation as `who` on a fresh referral made by the GP (at practice-1) to ORG_A's activity. */
  run(h: Harness, who: Who, referralId: string): Promise<{ outcome: Outcome; data?: unknown }>;
}

function outcomeOf(result: { errors?: Array<{ extensions?: Record<string, unknown> }>; data?: Record<string, unknown> | null }, field: string): Outcome {
  const code = codeOf(result);
  if (code) return code as Outcome;
  return result.data?.[field] === null ? 'hidden' : 'ok';
}

const referrerSide = { gp: 'ok', linkWorker: 'ok', otherProfessional: 'NOT_FOUND', provider: 'FORBIDDEN', otherProvider: 'NOT_FOUND', admin: 'ok', public: 'UNAUTHENTICATED' } as const;
const adminOnly = { gp: 'FORBIDDEN', linkWorker: 'FORBIDDEN', otherProfessional: 'FORBIDDEN', provider: 'FORBIDDEN', otherProvider: 'FORBIDDEN', admin: 'ok', public: 'UNAUTHENTICATED' } as const;
const everyone = { gp: 'ok', linkWorker: 'ok', otherProfessional: 'ok', provider: 'ok', otherProvider: 'ok', admin: 'ok', public: 'ok' } as const;

const mutation = (field: string, signature: string, selection = 'id') => async (h: Harness, who: Who, variables: Record<string, unknown>) =>
  outcomeOf(await h.call(who, `mutation(${signature}) { ${field} { ${selection} } }`, variables), field.split('(')[0]!);

const OPERATIONS: Operation[] = [
  {
    name: 'createReferral',
    expected: { gp: 'ok', linkWorker: 'ok', otherProfessional: 'ok', provider: 'FORBIDDEN', otherProvider: 'FORBIDDEN', admin: 'FORBIDDEN', public: 'UNAUTHENTICATED' },
    run: async (h, who) => ({
      outcome: await mutation('createReferral(input: $input)', '$input: CreateReferralInput!')(h, who, {
        input: referralInput({ pathway: who === 'linkWorker' ? ['COMMUNITY_LINK_WORKER'] : undefined }),
      }),
    }),
  },
  {
    name: 'referral(id)',
    expected: { gp: 'ok', linkWorker: 'ok', otherProfessional: 'hidden', provider: 'ok', otherProvider: 'hidden', admin: 'ok', public: 'UNAUTHENTICATED' },
    run: async (h, who, id) => {
      const result = await h.call(who, 'query($id: ID!) { referral(id: $id) { id person { name nhsNumber gpPracticeCode } } }', { id });
      return { outcome: outcomeOf(result, 'referral'), data: result.data?.referral };
    },
  },
  {
    name: 'myReferrals',
    expected: { gp: 'ok', linkWorker: 'hidden', otherProfessional: 'hidden', provider: 'ok', otherProvider: 'hidden', admin: 'ok', public: 'UNAUTHENTICATED' },
    run: async (h, who, id) => {
      const result = await h.call(who, '{ myReferrals(first: 100) { edges { node { id } } } }');
      const code = codeOf(result);
      if (code) return { outcome: code as Outcome };
      const ids = result.data!.myReferrals.edges.map((edge: { node: { id: string } }) => edge.node.id);
      return { outcome: ids.includes(id) ? 'ok' : 'hidden' };
    },
  },
  {
    name: 'unactionedReferrals',
    expected: { gp: 'ok', linkWorker: 'ok', otherProfessional: 'hidden', provider: 'FORBIDDEN', otherProvider: 'FORBIDDEN', admin: 'ok', public: 'UNAUTHENTICATED' },
    run: async (h, who, id) => {
      const result = await h.call(who, '{ unactionedReferrals(olderThanWorkingDays: 0, first: 200) { edges { node { id } } } }');
      const code = codeOf(result);
      if (code) return { outcome: code as Outcome };
      const ids = result.data!.unactionedReferrals.edges.map((edge: { node: { id: string } }) => edge.node.id);
      return { outcome: ids.includes(id) ? 'ok' : 'hidden' };
    },
  },
  {
    name: 'updateReferralStatus to ACCEPTED (a provider move)',
    expected: { gp: 'FORBIDDEN', linkWorker: 'FORBIDDEN', otherProfessional: 'NOT_FOUND', provider: 'ok', otherProvider: 'NOT_FOUND', admin: 'ok', public: 'UNAUTHENTICATED' },
    run: async (h, who, id) => ({
      outcome: await mutation('updateReferralStatus(input: $input)', '$input: UpdateReferralStatusInput!')(h, who, { input: { referralId: id, status: 'ACCEPTED' } }),
    }),
  },
  {
    name: 'updateReferralStatus to WITHDRAWN (a referrer move)',
    expected: referrerSide,
    run: async (h, who, id) => ({
      outcome: await mutation('updateReferralStatus(input: $input)', '$input: UpdateReferralStatusInput!')(h, who, {
        input: { referralId: id, status: 'WITHDRAWN', reason: 'NO_LONGER_NEEDED' },
      }),
    }),
  },
  {
    name: 'updateReferralStatus to CANCELLED (referrer or provider)',
    expected: { ...referrerSide, provider: 'ok' },
    run: async (h, who, id) => ({
      outcome: await mutation('updateReferralStatus(input: $input)', '$input: UpdateReferralStatusInput!')(h, who, {
        input: { referralId: id, status: 'CANCELLED', reason: 'ACTIVITY_CANCELLED' },
      }),
    }),
  },
  {
    name: 'recordConsent',
    expected: referrerSide,
    run: async (h, who, id) => ({
      outcome: await mutation('recordConsent(input: $input)', '$input: RecordConsentInput!')(h, who, {
        input: { referralId: id, purpose: 'ANONYMISED_RESEARCH', granted: false, method: 'VERBAL' },
      }),
    }),
  },
  {
    name: 'recordFollowUp',
    expected: referrerSide,
    run: async (h, who, id) => ({ outcome: await mutation('recordFollowUp(referralId: $id)', '$id: ID!')(h, who, { id }) }),
  },
  {
    name: 'recordFeedback',
    expected: referrerSide,
    run: async (h, who, id) => ({
      outcome: await mutation('recordFeedback(input: $input)', '$input: RecordFeedbackInput!')(h, who, {
        input: { referralId: id, rating: 4, personConsented: true },
      }),
    }),
  },
  {
    name: 'recordOutcomeMeasure',
    expected: { ...referrerSide, provider: 'ok' },
    run: async (h, who, id) => ({
      outcome: await mutation('recordOutcomeMeasure(input: $input)', '$input: RecordOutcomeMeasureInput!')(h, who, {
        input: { referralId: id, instrument: 'ONS4', timepoint: 'BEFORE', scores: [5, 6, 5, 4] },
      }),
    }),
  },
  {
    name: 'referralAuditLog',
    expected: adminOnly,
    run: async (h, who) => ({ outcome: outcomeOf(await h.call(who, '{ referralAuditLog(first: 1) { edges { node { id } } } }'), 'referralAuditLog') }),
  },
  {
    name: 'personalDataExport',
    expected: adminOnly,
    run: async (h, who, id) => ({
      outcome: outcomeOf(await h.call(who, 'query($id: ID!) { personalDataExport(match: { referralId: $id }) { referralIds } }', { id }), 'personalDataExport'),
    }),
  },
  {
    name: 'erasePersonalData',
    expected: adminOnly,
    run: async (h, who, id) => ({ outcome: await mutation('erasePersonalData(referralIds: [$id])', '$id: ID!', 'erased')(h, who, { id }) }),
  },
  {
    name: 'createSelfReferral',
    expected: everyone,
    run: async (h, who) => ({ outcome: outcomeOf(await h.call(who, CREATE_SELF, { input: selfReferralInput() }), 'createSelfReferral') }),
  },
  {
    name: 'Activity.referralStats, outcomeSummary and referralCount (aggregates, no personal data)',
    expected: everyone,
    run: async (h, who) => {
      const result = await h.call(
        who,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Activity { referralCount referralStats { total } outcomeSummary { available } } } }',
        { r: [{ __typename: 'Activity', id: ACTIVITY_A }] },
      );
      return { outcome: outcomeOf(result, '_entities') };
    },
  },
  {
    name: 'outcomeInstruments',
    expected: everyone,
    run: async (h, who) => ({ outcome: outcomeOf(await h.call(who, '{ outcomeInstruments { code } }'), 'outcomeInstruments') }),
  },
];

describe.each(testDatabaseKinds())('who may do what, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { settings: { selfReferralLimit: { perClient: 1000, unidentified: 1000, windowSeconds: 3600 } } });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe.each(OPERATIONS)('$name', (operation) => {
    it.each(ROLES)('as %s', async (who) => {
      const referralId = await h.refer();
      const { outcome, data } = await operation.run(h, who, referralId);
      expect(outcome).toBe(operation.expected[who]);
      if (operation.name === 'referral(id)' && outcome === 'ok') {
        // Providers get what they need to contact the person, never the NHS number or GP practice.
        const person = (data as { person: { name: string; nhsNumber: string | null; gpPracticeCode: string | null } }).person;
        expect(person.name).toBe('Morag Testperson');
        expect(person.nhsNumber).toBe(who === 'provider' ? null : '9434765919');
        expect(person.gpPracticeCode).toBe(who === 'provider' ? null : 'S12345');
      }
    });
  });

  it('refuses a forged, expired or unsigned token with UNAUTHENTICATED (HTTP 401) rather than treating it as the public', async () => {
    const header = { authorization: 'Bearer not.a.token' };
    const result = await h.call('public', '{ outcomeInstruments { code } }', {}, header);
    expect(result.status).toBe(401);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: USERS.admin.subject, role: 'admin', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url')}.`;
    const forged = await h.call('public', '{ referralAuditLog(first: 1) { edges { node { id } } } }', {}, { authorization: `Bearer ${unsigned}` });
    expect(codeOf(forged)).toBe('UNAUTHENTICATED');
  });
});
