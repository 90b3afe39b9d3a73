// One status change, all or nothing: the check that the move is legal and the actor may make it,
// the new status, the history entry (with its SNOMED CT code), the outbox messages and the audit
// entry are written in one transaction. A change that lost a race to another is refused.
import type { ReferralClient, ReferralStatus } from '@sp/prisma/referral';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { writeAudit, type AuditActor } from './audit';
import { ReferralErrorCode } from './codes';
import {
  allowedNextStatuses,
  followUpDueAfter,
  isClosed,
  reasonsFor,
  snomedCodeForChange,
  whoMayMove,
  type LifecycleActor,
} from './lifecycle';
import { plannedMessages } from './outbox';
import { newId } from './ids';
import { TRANSACTION_OPTIONS } from './transaction';

export interface StatusChangeRequest {
  referralId: string;
  to: ReferralStatus;
  reason?: string | null;
  note?: string | null;
  /** The part the caller plays in this referral (from access.partIn). */
  part: LifecycleActor;
  actor: AuditActor;
  requestId: string | null;
  now: Date;
}

/** A provider's first answer: the moves out of SENT that only the provider side makes. */
const PROVIDER_RESPONSES: ReadonlySet<ReferralStatus> = new Set(['RECEIVED', 'ACCEPTED', 'DECLINED']);

const PART_NAMES: Record<LifecycleActor, string> = {
  provider: 'the provider',
  referrer: 'the referrer',
  person: 'the person referred',
  admin: 'an administrator',
  system: 'the system',
};

/** Checks the reason and note for a move, before anything is read or written. */
export function checkReason(to: ReferralStatus, reason: string | null | undefined, note: string | null | undefined) {
  const allowed = reasonsFor(to);
  if (allowed.length > 0 && !reason) {
    throw userError(ReferralErrorCode.REASON_REQUIRED, `Moving a referral to ${to} needs a reason: ${allowed.join(', ')}.`, {
      field: 'reason',
      allowedReasons: [...allowed],
    });
  }
  if (reason && !allowed.includes(reason)) {
    throw userError(
      ReferralErrorCode.REASON_NOT_ALLOWED,
      allowed.length > 0 ? `${reason} is not a reason for ${to}; use one of ${allowed.join(', ')}.` : `Moving a referral to ${to} takes no reason.`,
      { field: 'reason', allowedReasons: [...allowed] },
    );
  }
  if (note !== null && note !== undefined && note.length > 1000) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'note must be at most 1000 characters.', { field: 'note' });
  }
}

export async function changeStatus(db: ReferralClient, request: StatusChangeRequest): Promise<void> {
  const { referralId, to, part, now } = request;
  const reason = request.reason ?? null;
  const note = request.note?.trim() || null;
  checkReason(to, reason, note);
  await db.$transaction(
    async (tx) => {
      const current = await tx.referral.findUniqueOrThrow({
        where: { id: referralId },
        select: {
          status: true,
          source: true,
          referrerSubject: true,
          firstResponseAt: true,
          consents: { select: { purpose: true, granted: true } },
          person: { select: { gpPracticeCode: true } },
        },
      });
      const from = current.status;
      const mayMove = whoMayMove(from, to);
      if (!mayMove) {
        throw userError(ReferralErrorCode.INVALID_STATUS_TRANSITION, `A referral that is ${from} cannot become ${to}.`, {
          from,
          to,
          allowedStatuses: allowedNextStatuses(from),
        });
      }
      if (!mayMove.includes(part)) {
        const who = mayMove.filter((actor) => actor !== 'admin').map((actor) => PART_NAMES[actor]);
        throw userError(ErrorCode.FORBIDDEN, `Only ${who.join(' or ')} can move this referral to ${to}.`, { from, to });
      }
      const firstResponse = current.firstResponseAt === null && from === 'SENT' && PROVIDER_RESPONSES.has(to);
      const changed = await tx.referral.updateMany({
        where: { id: referralId, status: from },
        data: {
          status: to,
          closedAt: isClosed(to) ? now : null,
          followUpDueAt: followUpDueAfter(to, now, current.source),
          ...(firstResponse ? { firstResponseAt: now } : {}),
        },
      });
      if (changed.count !== 1) {
        throw userError(ErrorCode.CONFLICT, 'The referral changed while you were updating it. Reload it and try again.');
      }
      await tx.referralEvent.create({
        data: {
          id: newId(),
          referralId,
          at: now,
          kind: 'STATUS_CHANGED',
          fromStatus: from,
          toStatus: to,
          reason,
          note,
          snomedCode: snomedCodeForChange(to, reason, part),
          actorRole: part === 'person' ? 'person' : request.actor.actorRole,
          actorSubject: request.actor.actorSubject,
          actorOrganizationId: request.actor.actorOrganizationId,
        },
      });
      const messages = plannedMessages({ referralId, referrerSubject: current.referrerSubject, consents: current.consents, person: current.person }, to);
      if (messages.length > 0) await tx.outboxMessage.createMany({ data: messages.map((message) => ({ id: newId(), ...message, nextAttemptAt: now, createdAt: now })) });
      await writeAudit(tx, request.actor, request.requestId, [{ action: 'STATUS_CHANGE', referralId, detail: `${from}->${to}` }]);
    },
    TRANSACTION_OPTIONS,
  );
}
