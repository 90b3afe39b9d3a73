// The lifecycle: legal moves with a full history, illegal ones refused with a specific code,
// reasons for the exits, FHIR Task statuses, SNOMED CT codes, and the provider's view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { ReferralStatus } from '@sp/prisma/referral';
import { FHIR_TASK_STATUS, TRANSITIONS } from '../src/domain/lifecycle';
import { codeOf, READ, startHarness, UPDATE_STATUS, type Harness, type Who } from './support';

describe.each(testDatabaseKinds())('the referral lifecycle on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  const move = (who: Who, referralId: string, status: string, extra: Record<string, unknown> = {}) =>
    h.call(who, UPDATE_STATUS, { input: { referralId, status, ...extra } });

  it('goes SENT → RECEIVED → ACCEPTED → ATTENDING → COMPLETED with who and when at each step', async () => {
    const id = await h.refer();
    const steps: Array<[string, string]> = [
      ['RECEIVED', 'received'],
      ['ACCEPTED', 'accepted'],
      ['ATTENDING', 'in-progress'],
      ['COMPLETED', 'completed'],
    ];
    for (const [status, fhir] of steps) {
      h.clock.now = new Date(h.clock.now.getTime() + 86_400_000);
      const result = await move('provider', id, status);
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateReferralStatus).toMatchObject({ status, fhirTaskStatus: fhir });
    }
    const read = await h.call('gp', READ, { id });
    const referral = read.data!.referral;
    expect(referral.history.map((event: { kind: string; fromStatus: string | null; toStatus: string; actorRole: string; actorId: string }) => [event.kind, event.fromStatus, event.toStatus, event.actorRole, event.actorId])).toEqual([
      ['CREATED', null, 'SENT', 'professional', 'gp-1'],
      ['STATUS_CHANGED', 'SENT', 'RECEIVED', 'provider', 'staff-a'],
      ['STATUS_CHANGED', 'RECEIVED', 'ACCEPTED', 'provider', 'staff-a'],
      ['STATUS_CHANGED', 'ACCEPTED', 'ATTENDING', 'provider', 'staff-a'],
      ['STATUS_CHANGED', 'ATTENDING', 'COMPLETED', 'provider', 'staff-a'],
    ]);
    expect(referral.closedAt).toBe(h.clock.now.toISOString());
    expect(Date.parse(referral.firstResponseAt) - Date.parse(referral.createdAt)).toBe(86_400_000);
  });

  it('maps every status to a FHIR Task status', () => {
    expect(FHIR_TASK_STATUS).toEqual({
      SENT: 'requested',
      RECEIVED: 'received',
      ACCEPTED: 'accepted',
      ATTENDING: 'in-progress',
      COMPLETED: 'completed',
      DECLINED: 'rejected',
      DID_NOT_ATTEND: 'failed',
      WITHDRAWN: 'cancelled',
      CANCELLED: 'cancelled',
    });
    expect(Object.keys(TRANSITIONS).sort()).toEqual(Object.values(ReferralStatus).sort());
  });

  it('refuses every illegal move with INVALID_STATUS_TRANSITION, changing nothing', async () => {
    const id = await h.refer();
    await move('provider', id, 'DECLINED', { reason: 'FULL' });
    const before = await h.db.referralEvent.count({ where: { referralId: id } });
    for (const status of Object.values(ReferralStatus)) {
      const result = await move('admin', id, status, status === 'WITHDRAWN' ? { reason: 'OTHER' } : status === 'CANCELLED' ? { reason: 'OTHER' } : status === 'DECLINED' ? { reason: 'FULL' } : {});
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', from: 'DECLINED', to: status, allowedStatuses: [] });
    }
    const skipping = await h.refer();
    const attend = await move('provider', skipping, 'ATTENDING');
    expect(attend.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', from: 'SENT', to: 'ATTENDING' });
    expect(await h.db.referralEvent.count({ where: { referralId: id } })).toBe(before);
    expect((await h.db.referral.findUniqueOrThrow({ where: { id: skipping } })).status).toBe('SENT');
  });

  it('needs a reason from the right list for DECLINED, WITHDRAWN and CANCELLED, and none for the rest', async () => {
    const id = await h.refer();
    expect(codeOf(await move('provider', id, 'DECLINED'))).toBe('REASON_REQUIRED');
    expect(codeOf(await move('provider', id, 'DECLINED', { reason: 'PERSON_DECLINED' }))).toBe('REASON_NOT_ALLOWED');
    expect(codeOf(await move('provider', id, 'RECEIVED', { reason: 'FULL' }))).toBe('REASON_NOT_ALLOWED');
    expect(codeOf(await move('gp', id, 'WITHDRAWN'))).toBe('REASON_REQUIRED');
    expect(codeOf(await move('gp', id, 'CANCELLED', { reason: 'FULL' }))).toBe('REASON_NOT_ALLOWED');
    expect((await h.db.referral.findUniqueOrThrow({ where: { id } })).status).toBe('SENT');

    const declined = await move('provider', id, 'DECLINED', { reason: 'NOT_ELIGIBLE', note: 'Class is for over-60s only' });
    expect(declined.data!.updateReferralStatus).toMatchObject({ status: 'DECLINED', fhirTaskStatus: 'rejected' });
    expect(declined.data!.updateReferralStatus.history.at(-1)).toMatchObject({ reason: 'NOT_ELIGIBLE', note: 'Class is for over-60s only', snomedCode: null });
  });

  it('records SNOMED CT 871711000000103 when the person declines, and not for other exits', async () => {
    const declinedByPerson = await h.refer();
    const withdrawn = await move('gp', declinedByPerson, 'WITHDRAWN', { reason: 'PERSON_DECLINED' });
    expect(withdrawn.data!.updateReferralStatus).toMatchObject({ status: 'WITHDRAWN', fhirTaskStatus: 'cancelled' });
    expect(withdrawn.data!.updateReferralStatus.history.at(-1)).toMatchObject({ toStatus: 'WITHDRAWN', reason: 'PERSON_DECLINED', snomedCode: '871711000000103' });

    const noLongerNeeded = await h.refer();
    const other = await move('linkWorker', noLongerNeeded, 'WITHDRAWN', { reason: 'NO_LONGER_NEEDED' });
    expect(other.data!.updateReferralStatus.history.at(-1)).toMatchObject({ snomedCode: null, actorId: 'clw-1' });

    const coded = await h.db.referralEvent.findMany({ where: { snomedCode: { not: null } }, select: { kind: true, snomedCode: true } });
    expect(new Set(coded.map((event) => `${event.kind}:${event.snomedCode}`))).toEqual(new Set(['CREATED:871731000000106', 'STATUS_CHANGED:871711000000103']));
  });

  it('marks a SENT referral RECEIVED when its provider opens it, once, and not when others read it', async () => {
    const id = await h.refer();
    await h.call('gp', READ, { id });
    await h.call('admin', READ, { id });
    expect((await h.db.referral.findUniqueOrThrow({ where: { id } })).status).toBe('SENT');
    const opened = await Promise.all([h.call('provider', READ, { id }), h.call('provider', READ, { id })]);
    for (const result of opened) expect(result.data!.referral.status).toBe('RECEIVED');
    const received = await h.db.referralEvent.count({ where: { referralId: id, toStatus: 'RECEIVED' } });
    expect(received).toBe(1);
    const stored = await h.db.referral.findUniqueOrThrow({ where: { id } });
    expect(stored.firstResponseAt).not.toBeNull();
  });

  it('shows providers what they need and nothing more: no NHS number, no GP practice, no messages, only shared feedback', async () => {
    const id = await h.refer();
    await h.call('gp', 'mutation($id: ID!) { recordFeedback(input: { referralId: $id, rating: 5, comment: "Loved it", shareWithProvider: true, personConsented: true }) { id } }', { id });
    await h.call('gp', 'mutation($id: ID!) { recordFeedback(input: { referralId: $id, rating: 2, comment: "Private to my link worker", personConsented: true }) { id } }', { id });
    const query = 'query($id: ID!) { referral(id: $id) { person { name email nhsNumber gpPracticeCode whatMattersToMe } feedback { rating comment } messages { recipient } } }';
    const asProvider = (await h.call('provider', query, { id })).data!.referral;
    expect(asProvider.person).toEqual({
      name: 'Morag Testperson',
      email: 'morag.testperson@example.org',
      nhsNumber: null,
      gpPracticeCode: null,
      whatMattersToMe: 'Getting out of the house and dancing again',
    });
    expect(asProvider.feedback).toEqual([{ rating: 5, comment: 'Loved it' }]);
    expect(asProvider.messages).toEqual([]);
    const asReferrer = (await h.call('gp', query, { id })).data!.referral;
    expect(asReferrer.person.nhsNumber).toBe('9434765919');
    expect(asReferrer.feedback).toHaveLength(2);
    expect(asReferrer.messages.length).toBeGreaterThan(0);
  });

  it('lets only one of two simultaneous changes win; the other is refused and nothing is half-written', async () => {
    const id = await h.refer();
    await move('provider', id, 'RECEIVED');
    const [accept, decline] = await Promise.all([move('provider', id, 'ACCEPTED'), move('provider', id, 'DECLINED', { reason: 'FULL' })]);
    const succeeded = [accept, decline].filter((result) => !result.errors);
    expect(succeeded).toHaveLength(1);
    const failed = [accept, decline].find((result) => result.errors)!;
    expect(['CONFLICT', 'INVALID_STATUS_TRANSITION']).toContain(codeOf(failed));
    const events = await h.db.referralEvent.findMany({ where: { referralId: id, kind: 'STATUS_CHANGED' } });
    expect(events).toHaveLength(2);
    const stored = await h.db.referral.findUniqueOrThrow({ where: { id } });
    expect(events.at(-1)!.toStatus).toBe(stored.status);
  });
});
