// The closed loop: each status change messages the referrer (and the person, and their GP,
// where they consented) through an outbox with a delivery status; referrals nobody has acted on;
// how quickly providers reply; and a link worker's caseload with the follow-ups due.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import type { MessageSink, OutgoingMessage } from '../src/domain/outbox';
import { ACTIVITY_A2, ACTIVITY_B, codeOf, CREATE_SELF, selfReferralInput, startHarness, UPDATE_STATUS, type Harness, type Who } from './support';

const DAY = 86_400_000;
/** Monday 2 March 2026, 09:00 UTC. */
const MONDAY = new Date('2026-03-02T09:00:00Z');

describe.each(testDatabaseKinds())('the closed loop on %s', (kind) => {
  let h: Harness;
  const delivered: OutgoingMessage[] = [];
  let failuresToCome = 0;
  const sink: MessageSink = {
    async deliver(message) {
      if (failuresToCome > 0) {
        failuresToCome -= 1;
        throw new Error(`SMTP refused ${message.to.kind === 'person' ? message.to.email : ''}`);
      }
      delivered.push(message);
    },
  };

  beforeAll(async () => {
    h = await startHarness(kind, { sink });
    h.clock.now = MONDAY;
  });
  afterAll(async () => {
    await h?.close();
  });

  const move = (who: Who, referralId: string, status: string, reason?: string) =>
    h.call(who, UPDATE_STATUS, { input: { referralId, status, ...(reason ? { reason } : {}) } });

  describe('messages on every status change', () => {
    it('writes one to the referrer and, with consent, the person; the GP practice hears the outcome', async () => {
      const id = await h.refer();
      await move('provider', id, 'ACCEPTED');
      await move('provider', id, 'DID_NOT_ATTEND');
      const messages = await h.db.outboxMessage.findMany({ where: { referralId: id }, orderBy: { id: 'asc' } });
      expect(messages.map((message) => [message.status, message.recipient, message.deliveryStatus])).toEqual([
        ['ACCEPTED', 'REFERRER', 'PENDING'],
        ['ACCEPTED', 'PERSON', 'PENDING'],
        ['DID_NOT_ATTEND', 'REFERRER', 'PENDING'],
        ['DID_NOT_ATTEND', 'PERSON', 'PENDING'],
        ['DID_NOT_ATTEND', 'GP_PRACTICE', 'PENDING'],
      ]);
    });

    it('writes none to the person without consent to follow-up contact, and none to the GP without consent', async () => {
      const id = await h.refer({ consents: [{ purpose: 'SHARE_WITH_PROVIDER', granted: true, method: 'VERBAL' }, { purpose: 'FOLLOW_UP_CONTACT', granted: false, method: 'VERBAL' }] });
      await move('provider', id, 'DECLINED', 'FULL');
      const messages = await h.db.outboxMessage.findMany({ where: { referralId: id } });
      expect(messages.map((message) => message.recipient)).toEqual(['REFERRER']);
    });

    it('delivers them through the sink and records the delivery; the log sink logs ids only', async () => {
      delivered.length = 0;
      const report = await h.server.jobs.deliverMessages();
      expect(report).toEqual({ sent: 6, retrying: 0, failed: 0 });
      expect(await h.db.outboxMessage.count({ where: { deliveryStatus: 'PENDING' } })).toBe(0);
      const toPerson = delivered.find((message) => message.recipient === 'PERSON')!;
      expect(toPerson).toMatchObject({ to: { kind: 'person', contactPreference: 'EMAIL', email: 'morag.testperson@example.org' }, fhirTaskStatus: 'accepted' });
      const toGp = delivered.find((message) => message.recipient === 'GP_PRACTICE')!;
      expect(toGp.to).toEqual({ kind: 'gp-practice', odsCode: 'S12345' });
      expect(delivered.find((message) => message.recipient === 'REFERRER')!.to).toEqual({ kind: 'referrer', subject: 'gp-1', organizationId: 'practice-1' });
      const sent = await h.db.outboxMessage.findFirstOrThrow({ where: { recipient: 'PERSON' } });
      expect(sent).toMatchObject({ deliveryStatus: 'SENT', attempts: 1 });
      expect(sent.deliveredAt).not.toBeNull();
    });

    it('retries a failed delivery with back-off, gives up after eight attempts, and never logs the address', async () => {
      const receipt = (await h.call('public', CREATE_SELF, { input: selfReferralInput() })).data!.createSelfReferral;
      const { id } = await h.db.referral.findUniqueOrThrow({ where: { referenceCode: receipt.reference } });
      await move('provider', id, 'ACCEPTED');
      failuresToCome = 100;
      expect(await h.server.jobs.deliverMessages()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      // Not due again yet.
      expect(await h.server.jobs.deliverMessages()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      let report = { sent: 0, retrying: 0, failed: 0 };
      for (let attempt = 2; attempt <= 8; attempt += 1) {
        h.clock.now = new Date(h.clock.now.getTime() + 2 * 3_600_000);
        report = await h.server.jobs.deliverMessages();
      }
      expect(report).toEqual({ sent: 0, retrying: 0, failed: 1 });
      const message = await h.db.outboxMessage.findFirstOrThrow({ where: { referralId: id } });
      expect(message).toMatchObject({ recipient: 'PERSON', deliveryStatus: 'FAILED', attempts: 8, lastError: 'DELIVERY_FAILED' });
      expect(h.logs()).toContain('referral message not delivered');
      expect(h.logs()).not.toContain('7911123456');
      failuresToCome = 0;
      const asAdmin = await h.call('admin', 'query($id: ID!) { referral(id: $id) { messages { recipient status deliveryStatus attempts } } }', { id });
      expect(asAdmin.data!.referral.messages).toEqual([{ recipient: 'PERSON', status: 'ACCEPTED', deliveryStatus: 'FAILED', attempts: 8 }]);
    });
  });

  describe('referrals nobody has acted on', () => {
    it('lists SENT and RECEIVED referrals older than the given working days, for the referrer and admins', async () => {
      h.clock.now = MONDAY;
      const untouched = await h.refer({ activityId: ACTIVITY_B });
      const opened = await h.refer({ activityId: ACTIVITY_B });
      const accepted = await h.refer({ activityId: ACTIVITY_B });
      await move('otherProvider', opened, 'RECEIVED');
      await move('otherProvider', accepted, 'ACCEPTED');
      const unactioned = async (who: Who, days?: number) => {
        const result = await h.call(who, 'query($days: Int) { unactionedReferrals(olderThanWorkingDays: $days, first: 200) { totalCount edges { node { id status } } } }', days === undefined ? {} : { days });
        return result.data!.unactionedReferrals.edges.map((edge: { node: { id: string } }) => edge.node.id) as string[];
      };
      // Six working days after Monday is the Tuesday of the next week; the default is 6.
      h.clock.now = new Date(MONDAY.getTime() + 8 * DAY - 60_000);
      expect(await unactioned('gp')).not.toContain(untouched);
      h.clock.now = new Date(MONDAY.getTime() + 8 * DAY + 60_000);
      const listed = await unactioned('gp');
      expect(listed).toEqual(expect.arrayContaining([untouched, opened]));
      expect(listed).not.toContain(accepted);
      expect(await unactioned('linkWorker')).toEqual(expect.arrayContaining([untouched, opened]));
      expect(await unactioned('admin')).toEqual(expect.arrayContaining([untouched, opened]));
      expect(await unactioned('otherProfessional')).toEqual([]);
      expect(await unactioned('gp', 10)).not.toContain(untouched);
      expect(codeOf(await h.call('provider', '{ unactionedReferrals { totalCount } }'))).toBe('FORBIDDEN');
      expect(codeOf(await h.call('gp', '{ unactionedReferrals(olderThanWorkingDays: -1) { totalCount } }'))).toBe('BAD_USER_INPUT');
    });
  });

  describe('how quickly a provider replies', () => {
    it('gives counts by status and the median days to a first answer, without personal data', async () => {
      h.clock.now = MONDAY;
      const ids = [await h.refer({ activityId: ACTIVITY_A2 }), await h.refer({ activityId: ACTIVITY_A2 }), await h.refer({ activityId: ACTIVITY_A2 }), await h.refer({ activityId: ACTIVITY_A2 })];
      const answerAfter = async (id: string, days: number, status: string, reason?: string) => {
        h.clock.now = new Date(MONDAY.getTime() + days * DAY);
        await move('provider', id, status, reason);
      };
      await answerAfter(ids[0]!, 1, 'ACCEPTED');
      await answerAfter(ids[1]!, 3, 'RECEIVED');
      await answerAfter(ids[2]!, 6, 'DECLINED', 'FULL');
      const result = await h.call(
        'public',
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Activity { referralCount referralStats { total responses medianDaysToFirstResponse byStatus { status count } } } } }',
        { r: [{ __typename: 'Activity', id: ACTIVITY_A2 }, { __typename: 'Activity', id: 'nobody-referred' }] },
      );
      expect(result.errors).toBeUndefined();
      const [stats, empty] = result.data!._entities;
      expect(stats.referralCount).toBe(4);
      expect(stats.referralStats).toMatchObject({ total: 4, responses: 3, medianDaysToFirstResponse: 3 });
      expect(stats.referralStats.byStatus.filter((row: { count: number }) => row.count > 0)).toEqual([
        { status: 'SENT', count: 1 },
        { status: 'RECEIVED', count: 1 },
        { status: 'ACCEPTED', count: 1 },
        { status: 'DECLINED', count: 1 },
      ]);
      expect(empty.referralStats).toMatchObject({ total: 0, responses: 0, medianDaysToFirstResponse: null });
    });
  });

  describe('a link worker’s caseload', () => {
    it('pages through their own referrals, filters by status, and shows which are due a follow-up', async () => {
      h.clock.now = MONDAY;
      const mine = [];
      for (let i = 0; i < 5; i += 1) mine.push(await h.refer({ pathway: ['GP', 'COMMUNITY_LINK_WORKER'] }, 'linkWorker'));
      await move('provider', mine[0]!, 'ACCEPTED');
      await move('provider', mine[1]!, 'DECLINED', 'NOT_ELIGIBLE');
      const query = `query($status: [ReferralStatus!], $due: Boolean, $after: String) {
        myReferrals(status: $status, dueForFollowUp: $due, first: 2, after: $after) {
          totalCount followUpDueCount pageInfo { hasNextPage endCursor } edges { node { id status dueForFollowUp followUpDueAt } }
        }
      }`;
      const first = (await h.call('linkWorker', query, {})).data!.myReferrals;
      expect(first.totalCount).toBe(5);
      expect(first.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([mine[4], mine[3]]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = (await h.call('linkWorker', query, { after: first.pageInfo.endCursor })).data!.myReferrals;
      expect(second.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([mine[2], mine[1]]);
      // The declined one is due a follow-up at once: talk to the person about alternatives.
      expect(first.followUpDueCount).toBe(1);
      const due = (await h.call('linkWorker', query, { due: true })).data!.myReferrals;
      expect(due.edges.map((edge: { node: { id: string; status: string } }) => [edge.node.id, edge.node.status])).toEqual([[mine[1], 'DECLINED']]);
      const accepted = (await h.call('linkWorker', query, { status: ['ACCEPTED'] })).data!.myReferrals;
      expect(accepted.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([mine[0]]);

      // Two weeks on, the accepted one is due a check that the person started; unanswered ones are due a chase.
      h.clock.now = new Date(MONDAY.getTime() + 15 * DAY);
      const later = (await h.call('linkWorker', query, { due: true })).data!.myReferrals;
      expect(later.totalCount).toBe(5);
      const follow = await h.call('linkWorker', 'mutation($id: ID!) { recordFollowUp(referralId: $id, nextFollowUpInDays: 7) { dueForFollowUp followUpDueAt history { kind } } }', { id: mine[0] });
      expect(follow.data!.recordFollowUp).toMatchObject({ dueForFollowUp: false, followUpDueAt: new Date(h.clock.now.getTime() + 7 * DAY).toISOString() });
      expect(follow.data!.recordFollowUp.history.at(-1)).toEqual({ kind: 'FOLLOW_UP_RECORDED' });
      const closed = await h.call('linkWorker', 'mutation($id: ID!) { recordFollowUp(referralId: $id) { followUpDueAt } }', { id: mine[1] });
      expect(closed.data!.recordFollowUp.followUpDueAt).toBeNull();
      expect((await h.call('linkWorker', query, { due: true })).data!.myReferrals.totalCount).toBe(3);
    });
  });
});
