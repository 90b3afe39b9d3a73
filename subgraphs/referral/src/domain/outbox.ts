// The closed loop's outbox. A status change writes its messages in the same transaction as the
// change, so a change is never made without its messages; a dispatcher then hands them to a sink
// (pluggable; the default writes a log line with ids only) and records the delivery status,
// retrying with back-off.
import type { ConsentPurpose, ContactPreference, MessageRecipient, Prisma, ReferralClient, ReferralStatus } from '@sp/prisma/referral';
import type { Logger } from '@sp/runtime/logger';
import { hasConsent } from './consent';
import { FHIR_TASK_STATUS, isClosed } from './lifecycle';
import { inTransaction } from './transaction';

export interface MessagePlanInput {
  referralId: string;
  referrerSubject: string | null;
  consents: ReadonlyArray<{ purpose: ConsentPurpose | string; granted: boolean }>;
  /** Null when the person's details have been erased. */
  person: { gpPracticeCode: string | null } | null;
}

/**
 * Who hears of a change to `status`: the referrer always (self-referrals have none); the person
 * when they agreed to follow-up contact; their GP practice when the referral closes and they
 * agreed to the GP being told the outcome.
 */
export function plannedMessages(input: MessagePlanInput, status: ReferralStatus) {
  const recipients: MessageRecipient[] = [];
  if (input.referrerSubject) recipients.push('REFERRER');
  if (input.person && hasConsent(input.consents, 'FOLLOW_UP_CONTACT')) recipients.push('PERSON');
  if (input.person?.gpPracticeCode && isClosed(status) && hasConsent(input.consents, 'TELL_GP_OUTCOME')) recipients.push('GP_PRACTICE');
  return recipients.map((recipient) => ({ referralId: input.referralId, recipient, status }));
}

export type MessageAddress =
  | { kind: 'referrer'; subject: string; organizationId: string | null }
  | { kind: 'person'; name: string; contactPreference: ContactPreference; email: string | null; phone: string | null }
  | { kind: 'gp-practice'; odsCode: string };

export interface OutgoingMessage {
  id: string;
  referralId: string;
  recipient: MessageRecipient;
  status: ReferralStatus;
  fhirTaskStatus: string;
  /** The self-referral's reference, for a message to the person to quote. */
  referenceCode: string | null;
  /** Personal data for the sink to address the message; never logged here. */
  to: MessageAddress;
}

/** Where messages go: email, text messages, a GP system, or (by default) the log. */
export interface MessageSink {
  deliver(message: OutgoingMessage): Promise<void>;
}

/** The default sink: one log line per message, with ids and codes only. */
export function createLogSink(logger: Logger): MessageSink {
  return {
    async deliver(message) {
      logger.info(
        { messageId: message.id, referralId: message.referralId, recipient: message.recipient, status: message.status },
        'referral message delivered to the log',
      );
    },
  };
}

export interface OutboxDispatcherOptions {
  db: ReferralClient;
  sink: MessageSink;
  logger: Logger;
  now?: () => Date;
  batchSize?: number;
  maxAttempts?: number;
  /** How long a claimed message is held by this sender before another may try it. */
  leaseMs?: number;
}

export interface DispatchReport {
  sent: number;
  retrying: number;
  failed: number;
}

/** Seconds before the next attempt: 30 s doubling, at most an hour. */
function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export function createOutboxDispatcher(options: OutboxDispatcherOptions) {
  const { db, sink, logger } = options;
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 8;
  const leaseMs = options.leaseMs ?? 60_000;

  /** Each write in a transaction of its own (see ./transaction). */
  async function record(id: string, data: Prisma.OutboxMessageUpdateInput) {
    await inTransaction(db, (tx) => tx.outboxMessage.update({ where: { id }, data }));
  }

  async function addressFor(message: { referralId: string; recipient: MessageRecipient }) {
    const referral = await db.referral.findUnique({
      where: { id: message.referralId },
      select: { referrerSubject: true, referrerOrganizationId: true, referenceCode: true, person: true },
    });
    if (!referral) return null;
    const { person } = referral;
    let to: MessageAddress | null = null;
    if (message.recipient === 'REFERRER' && referral.referrerSubject) {
      to = { kind: 'referrer', subject: referral.referrerSubject, organizationId: referral.referrerOrganizationId };
    }
    if (message.recipient === 'PERSON' && person) {
      to = { kind: 'person', name: person.name, contactPreference: person.contactPreference, email: person.email, phone: person.phone };
    }
    if (message.recipient === 'GP_PRACTICE' && person?.gpPracticeCode) {
      to = { kind: 'gp-practice', odsCode: person.gpPracticeCode };
    }
    return to ? { to, referenceCode: referral.referenceCode } : null;
  }

  async function runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0 };
    const due = await db.outboxMessage.findMany({
      where: { deliveryStatus: 'PENDING', nextAttemptAt: { lte: now() } },
      orderBy: { nextAttemptAt: 'asc' },
      take: batchSize,
    });
    for (const message of due) {
      // Claim it: only one sender moves nextAttemptAt from the value it read.
      const claimed = await inTransaction(db, (tx) =>
        tx.outboxMessage.updateMany({
          where: { id: message.id, deliveryStatus: 'PENDING', nextAttemptAt: message.nextAttemptAt },
          data: { nextAttemptAt: new Date(now().getTime() + leaseMs), attempts: { increment: 1 } },
        }),
      );
      if (claimed.count !== 1) continue;
      const attempts = message.attempts + 1;
      const addressed = await addressFor(message);
      if (!addressed) {
        await record(message.id, { deliveryStatus: 'FAILED', lastError: 'NO_ADDRESS' });
        report.failed += 1;
        continue;
      }
      try {
        await sink.deliver({
          id: message.id,
          referralId: message.referralId,
          recipient: message.recipient,
          status: message.status,
          fhirTaskStatus: FHIR_TASK_STATUS[message.status],
          referenceCode: addressed.referenceCode,
          to: addressed.to,
        });
        await record(message.id, { deliveryStatus: 'SENT', deliveredAt: now(), lastError: null });
        report.sent += 1;
      } catch (error) {
        // The sink's own message may quote an address: log and keep only the error's kind.
        const errorName = error instanceof Error ? error.name : 'Error';
        const giveUp = attempts >= maxAttempts;
        await record(
          message.id,
          giveUp
            ? { deliveryStatus: 'FAILED', lastError: 'DELIVERY_FAILED' }
            : { nextAttemptAt: new Date(now().getTime() + backoffMs(attempts)), lastError: 'DELIVERY_FAILED' },
        );
        logger.warn({ messageId: message.id, attempts, errorName, gaveUp: giveUp }, 'referral message not delivered');
        if (giveUp) report.failed += 1;
        else report.retrying += 1;
      }
    }
    return report;
  }

  return { runOnce };
}
