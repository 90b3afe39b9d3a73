// Every read and change of a referral is written to the audit log (who, role, what, when), which
// admins can query; the log holds ids and codes only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { auditNow, SYSTEM_ACTOR } from '../src/domain/audit';
import { codeOf, CREATE, CREATE_SELF, NHS_NUMBER, READ, referralInput, selfReferralInput, startHarness, UPDATE_STATUS, type Harness } from './support';

const LOG = `query($filter: AuditFilter, $first: Int) {
  referralAuditLog(filter: $filter, first: $first) { edges { node { at actorRole actorId actorOrganizationId action referralId outcome detail requestId } } pageInfo { hasNextPage } }
}`;

describe.each(testDatabaseKinds())('the audit log on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  const entriesFor = async (referralId: string) =>
    (await h.call('admin', LOG, { filter: { referralId }, first: 100 })).data!.referralAuditLog.edges.map((edge: { node: Record<string, unknown> }) => edge.node).reverse();

  it('records who did what to a referral, and when, for every read and change', async () => {
    const created = await h.call('gp', CREATE, { input: referralInput() }, { 'x-request-id': 'audit-create-1' });
    const id = created.data!.createReferral.id as string;
    await h.call('gp', READ, { id });
    await h.call('otherProfessional', READ, { id });
    await h.call('provider', READ, { id });
    await h.call('provider', UPDATE_STATUS, { input: { referralId: id, status: 'ACCEPTED' } });
    await h.call('gp', '{ myReferrals(first: 50) { edges { node { id } } } }');
    await h.call('gp', 'mutation($id: ID!) { recordConsent(input: { referralId: $id, purpose: ANONYMISED_RESEARCH, granted: false, method: VERBAL }) { id } }', { id });
    await h.call('gp', 'mutation($id: ID!) { recordFollowUp(referralId: $id) { id } }', { id });
    await h.call('gp', 'mutation($id: ID!) { recordFeedback(input: { referralId: $id, rating: 4, comment: "Made new friends", personConsented: true }) { id } }', { id });
    await h.call('provider', 'mutation($id: ID!) { recordOutcomeMeasure(input: { referralId: $id, instrument: "ONS4", timepoint: BEFORE, scores: [4, 5, 4, 6] }) { id } }', { id });
    await h.call('otherProvider', UPDATE_STATUS, { input: { referralId: id, status: 'ATTENDING' } });
    await h.call('admin', 'query($id: ID!) { personalDataExport(match: { referralId: $id }) { referralIds } }', { id });
    await h.call('admin', 'mutation($id: ID!) { erasePersonalData(referralIds: [$id]) { erased } }', { id });

    const entries = await entriesFor(id);
    expect(entries.map((entry: Record<string, unknown>) => [entry.actorRole, entry.actorId, entry.action, entry.outcome, entry.detail])).toEqual([
      ['professional', 'gp-1', 'CREATE', 'ALLOWED', 'PROFESSIONAL'],
      ['professional', 'gp-1', 'READ', 'ALLOWED', null],
      ['professional', 'gp-9', 'READ', 'DENIED', null],
      ['provider', 'staff-a', 'STATUS_CHANGE', 'ALLOWED', 'SENT->RECEIVED'],
      ['provider', 'staff-a', 'READ', 'ALLOWED', null],
      ['provider', 'staff-a', 'STATUS_CHANGE', 'ALLOWED', 'RECEIVED->ACCEPTED'],
      ['professional', 'gp-1', 'LIST', 'ALLOWED', 'myReferrals'],
      ['professional', 'gp-1', 'CONSENT_CHANGE', 'ALLOWED', 'ANONYMISED_RESEARCH'],
      ['professional', 'gp-1', 'FOLLOW_UP', 'ALLOWED', null],
      ['professional', 'gp-1', 'FEEDBACK', 'ALLOWED', null],
      ['provider', 'staff-a', 'OUTCOME', 'ALLOWED', 'ONS4'],
      ['provider', 'staff-b', 'STATUS_CHANGE', 'DENIED', null],
      ['admin', 'admin-1', 'EXPORT', 'ALLOWED', null],
      ['admin', 'admin-1', 'ERASE', 'ALLOWED', 'REQUEST'],
    ]);
    expect(entries[0]).toMatchObject({ requestId: 'audit-create-1', actorOrganizationId: 'practice-1', referralId: id });
    for (const entry of entries) expect(Date.parse(entry.at as string)).not.toBeNaN();
  });

  it('records self-referrals and the person’s status checks, with no user id', async () => {
    const receipt = (await h.call('public', CREATE_SELF, { input: selfReferralInput() })).data!.createSelfReferral;
    await h.call('public', 'query($r: String!, $s: String!) { selfReferralStatus(reference: $r, secret: $s) { status } }', { r: receipt.reference, s: receipt.secret });
    await h.call('public', 'query($r: String!, $s: String!) { selfReferralStatus(reference: $r, secret: $s) { status } }', { r: receipt.reference, s: 'WRONG-WRONG-WRONG-WRONG' });
    const { id } = await h.db.referral.findUniqueOrThrow({ where: { referenceCode: receipt.reference } });
    const entries = await entriesFor(id);
    expect(entries.map((entry: Record<string, unknown>) => [entry.actorRole, entry.actorId, entry.action, entry.outcome])).toEqual([
      ['person', null, 'CREATE', 'ALLOWED'],
      ['person', null, 'READ', 'ALLOWED'],
      ['person', null, 'READ', 'DENIED'],
    ]);
  });

  it('lets admins filter by who, what and when, newest first, a page at a time', async () => {
    const byWho = await h.call('admin', LOG, { filter: { actorId: 'staff-b' } });
    expect(byWho.data!.referralAuditLog.edges.map((edge: { node: { action: string } }) => edge.node.action)).toEqual(['STATUS_CHANGE']);
    const denied = await h.call('admin', LOG, { filter: { outcome: 'DENIED' } });
    expect(denied.data!.referralAuditLog.edges).toHaveLength(3);
    const future = await h.call('admin', LOG, { filter: { from: new Date(Date.now() + 60_000).toISOString() } });
    expect(future.data!.referralAuditLog.edges).toEqual([]);
    const page = await h.call('admin', LOG, { first: 2 });
    expect(page.data!.referralAuditLog.edges).toHaveLength(2);
    expect(page.data!.referralAuditLog.pageInfo.hasNextPage).toBe(true);
    expect(codeOf(await h.call('gp', LOG, {}))).toBe('FORBIDDEN');
  });

  it('loses no audit entry when reads run alongside transactions that roll back (racing duplicates)', async () => {
    const readId = await h.refer();
    const before = await h.db.auditEntry.count({ where: { referralId: readId, action: 'READ' } });
    const input = referralInput({ idempotencyKey: `race-${Date.now()}` });
    const racing = Array.from({ length: 12 }, () => h.call('gp', CREATE, { input }));
    const reads = Array.from({ length: 12 }, () => h.call('gp', READ, { id: readId }));
    const results = await Promise.all([...racing, ...reads]);
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(await h.db.auditEntry.count({ where: { referralId: readId, action: 'READ' } })).toBe(before + 12);
  });

  it('keeps an audit entry written while another transaction is open and then rolls back', async () => {
    // On SQLite every query shares one connection: a bare write would join the open transaction and be undone with it.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = h.db
      .$transaction(async (tx) => {
        await tx.auditEntry.create({ data: { actorRole: 'system', action: 'READ', detail: 'rolled-back' } });
        await gate;
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const writing = auditNow(h.db, SYSTEM_ACTOR, null, [{ action: 'READ', detail: 'must-survive' }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await Promise.all([failing, writing]);
    expect(await h.db.auditEntry.count({ where: { detail: 'must-survive' } })).toBe(1);
    expect(await h.db.auditEntry.count({ where: { detail: 'rolled-back' } })).toBe(0);
  });

  it('holds no personal data: ids and codes only', async () => {
    const rows = await h.db.auditEntry.findMany();
    const text = JSON.stringify(rows);
    for (const personal of ['Morag', 'Testperson', 'example.org', '1382123456', NHS_NUMBER.replace(/ /g, ''), 'Sam', 'Selfreferrer', '7911123456', 'friends', 'dancing']) {
      expect(text).not.toContain(personal);
    }
    expect(rows.length).toBeGreaterThan(15);
  });
});
