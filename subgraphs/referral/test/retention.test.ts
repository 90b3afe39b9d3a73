// Retention and the person's rights: personal data is erased a configurable time after closure,
// keeping the anonymised record; an admin can export everything held about one person and erase
// it on request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { codeOf, personInput, READ, startHarness, UPDATE_STATUS, type Harness } from './support';

const DAY = 86_400_000;
const EXPORT = 'query($match: PersonMatchInput!) { personalDataExport(match: $match) { referralIds document } }';
const ERASE = 'mutation($ids: [ID!]!) { erasePersonalData(referralIds: $ids) { erased alreadyErased notFound } }';

describe.each(testDatabaseKinds())('retention and subject rights on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { settings: { retentionDays: 30 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const close = async (id: string) => {
    await h.call('provider', UPDATE_STATUS, { input: { referralId: id, status: 'DECLINED', reason: 'OTHER', note: 'Spoke to Morag, she prefers evenings' } });
  };

  it('erases personal data once a referral has been closed longer than the retention period, keeping the anonymised record', async () => {
    const start = new Date('2026-01-05T10:00:00Z');
    h.clock.now = start;
    const closed = await h.refer();
    const open = await h.refer();
    await h.call('gp', 'mutation($id: ID!) { recordFeedback(input: { referralId: $id, rating: 2, comment: "Morag found it too far", personConsented: true }) { id } }', { id: closed });
    await h.call('gp', 'mutation($id: ID!) { recordOutcomeMeasure(input: { referralId: $id, instrument: "ONS4", timepoint: BEFORE, scores: [3, 4, 3, 7] }) { id } }', { id: closed });
    h.clock.now = new Date(start.getTime() + 2 * DAY);
    await close(closed);

    h.clock.now = new Date(start.getTime() + 31 * DAY);
    expect(await h.server.jobs.eraseExpiredPersonalData()).toBe(0);
    h.clock.now = new Date(start.getTime() + 33 * DAY);
    expect(await h.server.jobs.eraseExpiredPersonalData()).toBe(1);
    expect(await h.server.jobs.eraseExpiredPersonalData()).toBe(0);

    const after = (await h.call('gp', READ, { id: closed })).data!.referral;
    expect(after).toMatchObject({ status: 'DECLINED', person: null, ageBand: '75-84', pathway: ['GP'], erasedAt: h.clock.now.toISOString() });
    expect(after.history.map((event: { note: string | null }) => event.note)).toEqual([null, null, null, null, null]);
    expect(after.history.at(-1)).toMatchObject({ kind: 'PERSONAL_DATA_ERASED', reason: 'RETENTION', actorRole: 'system' });
    const stored = await h.db.referral.findUniqueOrThrow({ where: { id: closed }, include: { feedback: true, outcomes: true, person: true } });
    expect(stored).toMatchObject({ person: null, requestFingerprint: null, postcodeArea: 'DD' });
    expect(stored.feedback).toMatchObject([{ rating: 2, comment: null }]);
    expect(stored.outcomes).toMatchObject([{ instrument: 'ONS4', scores: '3,4,3,7' }]);
    expect(JSON.stringify(stored)).not.toMatch(/Morag|example\.org|9434765919/);

    expect((await h.db.referralPerson.findUnique({ where: { referralId: open } }))?.name).toBe('Morag Testperson');
    const audit = await h.db.auditEntry.findFirstOrThrow({ where: { referralId: closed, action: 'ERASE' } });
    expect(audit).toMatchObject({ actorRole: 'system', actorSubject: 'retention', detail: 'RETENTION' });
  });

  it('exports everything held about a person, matched on every identifier given', async () => {
    const first = await h.refer({ person: personInput({ email: 'ailsa@example.org', nhsNumber: '401 023 2137', name: 'Ailsa Export' }) });
    const second = await h.refer({ person: personInput({ email: 'ailsa@example.org', nhsNumber: '401 023 2137', name: 'Ailsa Export' }) }, 'linkWorker');
    const someoneSharingTheEmail = await h.refer({ person: personInput({ email: 'ailsa@example.org', nhsNumber: null, name: 'Her Husband' }) });
    await h.call('provider', READ, { id: first });

    const byNhs = await h.call('admin', EXPORT, { match: { nhsNumber: '4010232137' } });
    expect(byNhs.errors).toBeUndefined();
    expect([...byNhs.data!.personalDataExport.referralIds].sort()).toEqual([first, second].sort());
    const both = await h.call('admin', EXPORT, { match: { nhsNumber: '401-023-2137', email: 'AILSA@example.org' } });
    expect(both.data!.personalDataExport.referralIds).not.toContain(someoneSharingTheEmail);

    const document = JSON.parse(byNhs.data!.personalDataExport.document);
    const exported = document.referrals.find((referral: { id: string }) => referral.id === first);
    expect(exported.person).toMatchObject({ name: 'Ailsa Export', nhsNumber: '4010232137', email: 'ailsa@example.org' });
    expect(exported.consents).toHaveLength(4);
    expect(exported.events.map((event: { kind: string }) => event.kind)).toEqual(['CREATED', 'STATUS_CHANGED']);
    expect(exported.accessLog.map((entry: { action: string; actorRole: string }) => `${entry.actorRole}:${entry.action}`)).toEqual([
      'professional:CREATE',
      'provider:STATUS_CHANGE',
      'provider:READ',
      'admin:EXPORT',
    ]);
    expect(exported).not.toHaveProperty('requestFingerprint');
    expect(await h.db.auditEntry.count({ where: { referralId: first, action: 'EXPORT' } })).toBe(2);

    expect(codeOf(await h.call('admin', EXPORT, { match: {} }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await h.call('admin', EXPORT, { match: { nhsNumber: '123' } }))).toBe('INVALID_NHS_NUMBER');
    expect((await h.call('admin', EXPORT, { match: { email: 'nobody@example.org' } })).data!.personalDataExport.referralIds).toEqual([]);
  });

  it('erases a person’s data on request, reporting what it did', async () => {
    const ids = (await h.call('admin', EXPORT, { match: { nhsNumber: '4010232137' } })).data!.personalDataExport.referralIds as string[];
    const result = await h.call('admin', ERASE, { ids: [...ids, 'no-such-referral'] });
    expect(result.errors).toBeUndefined();
    expect([...result.data!.erasePersonalData.erased].sort()).toEqual([...ids].sort());
    expect(result.data!.erasePersonalData.notFound).toEqual(['no-such-referral']);
    expect((await h.call('admin', ERASE, { ids })).data!.erasePersonalData.alreadyErased.sort()).toEqual([...ids].sort());
    expect((await h.call('admin', EXPORT, { match: { nhsNumber: '4010232137' } })).data!.personalDataExport.referralIds).toEqual([]);
    const read = await h.call('provider', READ, { id: ids[0] });
    expect(read.data!.referral).toMatchObject({ person: null, history: expect.arrayContaining([expect.objectContaining({ kind: 'PERSONAL_DATA_ERASED', reason: 'REQUEST', actorRole: 'admin' })]) });
    // Nothing about the person can be added to an erased referral.
    const feedback = await h.call('gp', 'mutation($id: ID!) { recordFeedback(input: { referralId: $id, rating: 4, personConsented: true }) { id } }', { id: ids[0] });
    expect(codeOf(feedback)).toBe('PERSONAL_DATA_ERASED');
    expect(await h.db.referralPerson.count({ where: { nhsNumber: '4010232137' } })).toBe(0);
    // A message still waiting for the person cannot be addressed any more, and is marked so.
    await h.server.jobs.deliverMessages();
    const toPerson = await h.db.outboxMessage.findMany({ where: { referralId: { in: ids }, recipient: 'PERSON' } });
    expect(toPerson.length).toBeGreaterThan(0);
    for (const message of toPerson) expect(message).toMatchObject({ deliveryStatus: 'FAILED', lastError: 'NO_ADDRESS' });
  });
});
