// Making a referral: the person, consent per purpose, the pathway, validation that stores nothing,
// and idempotency (retries and concurrent duplicates give one referral).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { printSubgraphSdl } from '@sp/runtime/subgraph';
import { referralSchema } from '../src/schema/index';
import {
  ACTIVITY_A,
  ACTIVITY_B,
  ALL_CONSENTS,
  codeOf,
  CREATE,
  NHS_NUMBER,
  ORG_A,
  personInput,
  READ,
  referralInput,
  startHarness,
  type Harness,
} from './support';

describe('the committed schema', () => {
  it('matches the schema the code prints (run `npm run print-schema` after changing types)', async () => {
    const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSubgraphSdl(referralSchema)).toBe(committed);
  });
});

describe.each(testDatabaseKinds())('making referrals on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  const countAll = async () => ({
    referrals: await h.db.referral.count(),
    people: await h.db.referralPerson.count(),
    consents: await h.db.referralConsent.count(),
    events: await h.db.referralEvent.count(),
  });

  it('records the person, consents, pathway, referrer and SNOMED code, as SENT', async () => {
    const result = await h.call('linkWorker', CREATE, {
      input: referralInput({ pathway: ['GP', 'COMMUNITY_LINK_WORKER'] }),
    });
    expect(result.errors).toBeUndefined();
    const referral = result.data!.createReferral;
    expect(referral).toMatchObject({
      status: 'SENT',
      fhirTaskStatus: 'requested',
      source: 'PROFESSIONAL',
      activityCheck: 'CONFIRMED',
      pathway: ['GP', 'COMMUNITY_LINK_WORKER'],
      referenceCode: null,
      activity: { id: ACTIVITY_A },
      referrer: { id: 'clw-1', profession: 'COMMUNITY_LINK_WORKER', organizationId: 'practice-1' },
      person: {
        name: 'Morag Testperson',
        contactPreference: 'EMAIL',
        email: 'morag.testperson@example.org',
        phone: '+441382123456',
        dateOfBirth: '1950-04-02',
        ageYears: null,
        postcodeArea: 'DD1',
        nhsNumber: '9434765919',
        gpPracticeCode: 'S12345',
        whatMattersToMe: 'Getting out of the house and dancing again',
      },
      history: [{ kind: 'CREATED', fromStatus: null, toStatus: 'SENT', snomedCode: '871731000000106', actorRole: 'professional', actorId: 'clw-1' }],
      ageBand: '75-84',
      dueForFollowUp: false,
    });
    expect(referral.consents).toEqual(
      ['SHARE_WITH_PROVIDER', 'FOLLOW_UP_CONTACT', 'TELL_GP_OUTCOME', 'ANONYMISED_RESEARCH'].map((purpose) => ({
        purpose,
        granted: true,
        method: 'VERBAL',
        recordedAt: expect.any(String),
        recordedByRole: 'professional',
        recordedBy: 'clw-1',
      })),
    );
    const stored = await h.db.referral.findUniqueOrThrow({ where: { id: referral.id } });
    expect(stored).toMatchObject({ activityOrganizationId: ORG_A, postcodeArea: 'DD', idempotencyScope: 'user:clw-1' });

    const read = await h.call('linkWorker', READ, { id: referral.id });
    expect(read.data!.referral).toEqual(referral);
  });

  it('records consent refused for a purpose, and when, how and by whom it was given', async () => {
    const recordedAt = new Date(h.clock.now.getTime() - 3_600_000).toISOString();
    const result = await h.call('gp', CREATE, {
      input: referralInput({
        consents: [
          { purpose: 'SHARE_WITH_PROVIDER', granted: true, method: 'WRITTEN', recordedAt },
          { purpose: 'ANONYMISED_RESEARCH', granted: false, method: 'WRITTEN', recordedAt },
        ],
      }),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createReferral.consents).toEqual([
      { purpose: 'SHARE_WITH_PROVIDER', granted: true, method: 'WRITTEN', recordedAt, recordedByRole: 'professional', recordedBy: 'gp-1' },
      { purpose: 'ANONYMISED_RESEARCH', granted: false, method: 'WRITTEN', recordedAt, recordedByRole: 'professional', recordedBy: 'gp-1' },
    ]);
    expect(result.data!.createReferral.pathway).toEqual(['GP']);
  });

  it('refuses a referral without consent to share with the provider, storing nothing', async () => {
    const before = await countAll();
    for (const consents of [undefined, [], [{ purpose: 'SHARE_WITH_PROVIDER', granted: false, method: 'VERBAL' }], [{ purpose: 'FOLLOW_UP_CONTACT', granted: true, method: 'VERBAL' }]]) {
      const result = await h.call('gp', CREATE, { input: { ...referralInput(), consents } });
      expect(codeOf(result)).toBe('CONSENT_REQUIRED');
    }
    expect(await countAll()).toEqual(before);
  });

  it.each([
    ['an invalid email', { person: personInput({ email: 'not-an-email' }) }, 'INVALID_EMAIL', 'person.email'],
    ['an invalid phone number', { person: personInput({ phone: '12345' }) }, 'INVALID_PHONE', 'person.phone'],
    ['email preferred but no email', { person: personInput({ email: null }) }, 'CONTACT_DETAILS_REQUIRED', 'person.email'],
    ['phone preferred but no phone', { person: personInput({ contactPreference: 'TEXT_MESSAGE', phone: ' ' }) }, 'CONTACT_DETAILS_REQUIRED', 'person.phone'],
    ['a date of birth in the future', { person: personInput({ dateOfBirth: '2999-01-01' }) }, 'DATE_OF_BIRTH_IN_FUTURE', 'person.dateOfBirth'],
    ['a date of birth that is not a date', { person: personInput({ dateOfBirth: '1950-02-30' }) }, 'INVALID_DATE_OF_BIRTH', 'person.dateOfBirth'],
    ['no age or date of birth', { person: personInput({ dateOfBirth: null }) }, 'AGE_REQUIRED', 'person.dateOfBirth'],
    ['an NHS number with a wrong check digit', { person: personInput({ nhsNumber: '9434765918' }) }, 'INVALID_NHS_NUMBER', 'person.nhsNumber'],
    ['a postcode area that is not one', { person: personInput({ postcodeArea: 'NOT A POSTCODE' }) }, 'INVALID_POSTCODE_AREA', 'person.postcodeArea'],
    ['a GP practice code that is not an ODS code', { person: personInput({ gpPracticeCode: 'PRAC-XYZ' }) }, 'INVALID_GP_PRACTICE_CODE', 'person.gpPracticeCode'],
    ['a blank name', { person: personInput({ name: '  ' }) }, 'BAD_USER_INPUT', 'person.name'],
    ['a pathway not ending with the referrer', { pathway: ['GP', 'CONSULTANT'] }, 'INVALID_PATHWAY', 'pathway'],
    ['a pathway with SELF', { pathway: ['SELF', 'GP'] }, 'INVALID_PATHWAY', 'pathway'],
    ['an unknown activity id', { activityId: 'no-such-activity' }, 'UNKNOWN_ACTIVITY', 'activityId'],
    ['a blank activity id', { activityId: '  ' }, 'BAD_USER_INPUT', 'activityId'],
    ['a malformed idempotency key', { idempotencyKey: 'x' }, 'BAD_USER_INPUT', 'idempotencyKey'],
  ])('refuses %s with a specific code, storing nothing and echoing nothing', async (_name, change, code, field) => {
    const before = await countAll();
    const result = await h.call('gp', CREATE, { input: { ...referralInput(), ...change } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
    // The message never repeats what was sent.
    expect(result.errors?.[0]?.message).not.toMatch(/not-an-email|12345|9434765918|NOT A POSTCODE|PRAC-XYZ|no-such-activity/);
    expect(await countAll()).toEqual(before);
  });

  it('keeps only the first part of a full postcode, and takes an age instead of a date of birth', async () => {
    const result = await h.call('gp', CREATE, {
      input: referralInput({ person: personInput({ postcodeArea: 'ox4 1aa', dateOfBirth: null, ageYears: 34, nhsNumber: null, gpPracticeCode: null }) }),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createReferral.person).toMatchObject({ postcodeArea: 'OX4', ageYears: 34, dateOfBirth: null, nhsNumber: null });
    expect(result.data!.createReferral.ageBand).toBe('25-34');
  });

  it('returns the same referral when a request is retried with its idempotency key', async () => {
    const input = referralInput({ activityId: ACTIVITY_B, idempotencyKey: 'retry-key-0001' });
    const first = await h.call('gp', CREATE, { input });
    const second = await h.call('gp', CREATE, { input });
    expect(second.errors).toBeUndefined();
    expect(second.data!.createReferral.id).toBe(first.data!.createReferral.id);
    expect(await h.db.referral.count({ where: { idempotencyKey: 'retry-key-0001' } })).toBe(1);
  });

  it('stores one referral when the same key arrives many times at once', async () => {
    const input = referralInput({ activityId: ACTIVITY_B, idempotencyKey: 'concurrent-key-0001' });
    const results = await Promise.all(Array.from({ length: 16 }, () => h.call('gp', CREATE, { input })));
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(new Set(results.map((result) => result.data!.createReferral.id)).size).toBe(1);
    expect(await h.db.referral.count({ where: { idempotencyKey: 'concurrent-key-0001' } })).toBe(1);
    expect(await h.db.referralEvent.count({ where: { referralId: results[0]!.data!.createReferral.id } })).toBe(1);
  });

  it('refuses to reuse a key for a different referral with CONFLICT, changing nothing', async () => {
    const before = await countAll();
    const otherActivity = await h.call('gp', CREATE, { input: referralInput({ activityId: ACTIVITY_A, idempotencyKey: 'retry-key-0001' }) });
    expect(otherActivity.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    const otherPerson = await h.call('gp', CREATE, {
      input: referralInput({ activityId: ACTIVITY_B, idempotencyKey: 'retry-key-0001', person: personInput({ name: 'Someone Else' }) }),
    });
    expect(codeOf(otherPerson)).toBe('CONFLICT');
    expect(await countAll()).toEqual(before);
  });

  it('keeps keys apart per caller: another professional’s same key makes their own referral', async () => {
    const input = referralInput({ activityId: ACTIVITY_B, idempotencyKey: 'retry-key-0001' });
    const theirs = await h.call('otherProfessional', CREATE, { input });
    expect(theirs.errors).toBeUndefined();
    const mine = await h.call('gp', CREATE, { input });
    expect(theirs.data!.createReferral.id).not.toBe(mine.data!.createReferral.id);
    expect(theirs.data!.createReferral.referrer.id).toBe('gp-9');
  });

  it('counts referrals per activity for the gateway, in one batch', async () => {
    const result = await h.call(
      'public',
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Activity { id referralCount } } }`,
      {
        representations: [
          { __typename: 'Activity', id: ACTIVITY_A },
          { __typename: 'Activity', id: ACTIVITY_B },
          { __typename: 'Activity', id: 'no-referrals-yet' },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    const counts = await h.db.referral.groupBy({ by: ['activityId'], _count: { _all: true } });
    const countOf = (id: string) => counts.find((row) => row.activityId === id)?._count._all ?? 0;
    expect(result.data!._entities).toEqual([
      { id: ACTIVITY_A, referralCount: countOf(ACTIVITY_A) },
      { id: ACTIVITY_B, referralCount: countOf(ACTIVITY_B) },
      { id: 'no-referrals-yet', referralCount: 0 },
    ]);
    expect(countOf(ACTIVITY_B)).toBe(3);
  });

  it('never writes the person’s details to the logs', () => {
    const logs = h.logs();
    expect(logs).toContain('referral created');
    for (const personal of ['Morag', 'Testperson', 'morag.testperson', '1382123456', NHS_NUMBER.replace(/ /g, ''), 'dancing again', '1950-04-02']) {
      expect(logs).not.toContain(personal);
    }
  });

  it('keeps every referral across a restart', async () => {
    const before = await h.db.referral.findMany({ orderBy: { id: 'asc' }, include: { person: true, consents: true } });
    await h.restart();
    const after = await h.db.referral.findMany({ orderBy: { id: 'asc' }, include: { person: true, consents: true } });
    expect(after).toEqual(before);
    expect(after.length).toBeGreaterThanOrEqual(6);
  });

  it('uses consents only as given: every referral stored has consent to share with the provider', async () => {
    const withoutConsent = await h.db.referral.count({ where: { consents: { none: { purpose: 'SHARE_WITH_PROVIDER', granted: true } } } });
    expect(withoutConsent).toBe(0);
    expect(ALL_CONSENTS[0]!.purpose).toBe('SHARE_WITH_PROVIDER');
  });
});
