// Retention and the person's rights: after a configurable period from closure, personal fields
// are erased and the anonymised record is kept (status, dates, pathway, age band, postcode area
// letters, outcome scores); an admin can export everything held about a person and erase it.
import type { ReferralClient } from '@sp/prisma/referral';
import type { Logger } from '@sp/runtime/logger';
import { writeAudit, type AuditActor } from './audit';
import { addDays } from './working-days';
import { newId } from './ids';
import { TRANSACTION_OPTIONS } from './transaction';

export type ErasureReason = 'RETENTION' | 'REQUEST';

/** Erases one referral's personal data; false when it was already erased. */
export async function erasePersonalData(
  db: ReferralClient,
  referralId: string,
  { actor, requestId, now, reason }: { actor: AuditActor; requestId: string | null; now: Date; reason: ErasureReason },
): Promise<boolean> {
  return db.$transaction(
    async (tx) => {
      const erased = await tx.referral.updateMany({
        where: { id: referralId, erasedAt: null },
        data: { erasedAt: now, requestFingerprint: null },
      });
      if (erased.count === 0) return false;
      await tx.referralPerson.deleteMany({ where: { referralId } });
      await tx.referralEvent.updateMany({ where: { referralId, note: { not: null } }, data: { note: null } });
      await tx.referralFeedback.updateMany({ where: { referralId, comment: { not: null } }, data: { comment: null } });
      await tx.referralEvent.create({
        data: {
          id: newId(),
          referralId,
          at: now,
          kind: 'PERSONAL_DATA_ERASED',
          reason,
          actorRole: actor.actorRole,
          actorSubject: actor.actorSubject,
          actorOrganizationId: actor.actorOrganizationId,
        },
      });
      await writeAudit(tx, actor, requestId, [{ action: 'ERASE', referralId, detail: reason }]);
      return true;
    },
    TRANSACTION_OPTIONS,
  );
}

export interface RetentionOptions {
  db: ReferralClient;
  logger: Logger;
  retentionDays: number;
  now: Date;
  batchSize?: number;
}

/** Erases every referral closed longer ago than the retention period. Returns how many. */
export async function eraseExpiredPersonalData({ db, logger, retentionDays, now, batchSize = 200 }: RetentionOptions): Promise<number> {
  const closedBefore = addDays(now, -retentionDays);
  const actor: AuditActor = { actorRole: 'system', actorSubject: 'retention', actorOrganizationId: null };
  let erased = 0;
  for (;;) {
    const due = await db.referral.findMany({
      where: { erasedAt: null, closedAt: { lte: closedBefore } },
      select: { id: true },
      orderBy: { closedAt: 'asc' },
      take: batchSize,
    });
    if (due.length === 0) break;
    for (const { id } of due) {
      if (await erasePersonalData(db, id, { actor, requestId: null, now, reason: 'RETENTION' })) erased += 1;
    }
    if (due.length < batchSize) break;
  }
  if (erased > 0) logger.info({ erased, retentionDays }, 'erased personal data of referrals past their retention period');
  return erased;
}

export interface PersonMatch {
  nhsNumber?: string | null;
  email?: string | null;
  phone?: string | null;
  referenceCode?: string | null;
  referralId?: string | null;
}

/** The referrals whose person matches every identifier given. */
export async function findPersonReferrals(db: ReferralClient, match: PersonMatch): Promise<string[]> {
  const rows = await db.referral.findMany({
    where: {
      ...(match.referralId ? { id: match.referralId } : {}),
      ...(match.referenceCode ? { referenceCode: match.referenceCode } : {}),
      ...(match.nhsNumber || match.email || match.phone
        ? {
            person: {
              ...(match.nhsNumber ? { nhsNumber: match.nhsNumber } : {}),
              ...(match.email ? { email: match.email } : {}),
              ...(match.phone ? { phone: match.phone } : {}),
            },
          }
        : {}),
    },
    select: { id: true },
    orderBy: { id: 'asc' },
    take: 1000,
  });
  return rows.map((row) => row.id);
}

/** Everything held about the referrals, as one JSON-ready document (subject access request). */
export async function exportReferrals(db: ReferralClient, referralIds: readonly string[], now: Date) {
  const referrals = await db.referral.findMany({
    where: { id: { in: [...referralIds] } },
    orderBy: { id: 'asc' },
    include: {
      person: true,
      consents: { orderBy: { purpose: 'asc' } },
      events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      feedback: { orderBy: { recordedAt: 'asc' } },
      outcomes: { orderBy: { recordedAt: 'asc' } },
      messages: { orderBy: { createdAt: 'asc' }, select: { id: true, recipient: true, status: true, deliveryStatus: true, createdAt: true, deliveredAt: true } },
    },
  });
  const audit = await db.auditEntry.findMany({
    where: { referralId: { in: [...referralIds] } },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
    select: { at: true, actorRole: true, actorSubject: true, actorOrganizationId: true, action: true, referralId: true, outcome: true, detail: true },
  });
  return {
    generatedAt: now.toISOString(),
    about: 'Everything the referral service holds about these referrals and the person referred, and who has read or changed them.',
    referrals: referrals.map(({ requestFingerprint: _fingerprint, idempotencyScope: _scope, ...referral }) => ({
      ...referral,
      accessLog: audit.filter((entry) => entry.referralId === referral.id),
    })),
  };
}
