// Referrals kept while the directory was unavailable are checked again in the background. Once
// the directory confirms the activity, its organisation's providers can see the referral; if the
// directory says there is no such activity, the referral is flagged NOT_FOUND for admins (it is
// kept, never dropped).
import type { ReferralClient } from '@sp/prisma/referral';
import type { Logger } from '@sp/runtime/logger';
import { SYSTEM_ACTOR, writeAudit } from './audit';
import type { ActivityDirectory } from './directory';
import { newId } from './ids';
import { TRANSACTION_OPTIONS } from './transaction';

export interface ActivityRecheckReport {
  confirmed: number;
  notFound: number;
  stillPending: number;
}

export async function recheckPendingActivities({
  db,
  directory,
  logger,
  now,
  batchSize = 200,
}: {
  db: ReferralClient;
  directory: ActivityDirectory;
  logger: Logger;
  now: Date;
  batchSize?: number;
}): Promise<ActivityRecheckReport> {
  const report: ActivityRecheckReport = { confirmed: 0, notFound: 0, stillPending: 0 };
  const pending = await db.referral.findMany({
    where: { activityCheck: 'PENDING' },
    select: { id: true, activityId: true },
    orderBy: { id: 'asc' },
    take: batchSize,
  });
  const byActivity = new Map<string, string[]>();
  for (const row of pending) byActivity.set(row.activityId, [...(byActivity.get(row.activityId) ?? []), row.id]);

  for (const [activityId, ids] of byActivity) {
    const lookup = await directory.lookup(activityId);
    if (lookup.kind === 'unavailable') {
      report.stillPending += ids.length;
      continue;
    }
    const outcome = lookup.kind === 'found' ? 'CONFIRMED' : 'NOT_FOUND';
    await db.$transaction(
      async (tx) => {
        const still = await tx.referral.findMany({ where: { id: { in: ids }, activityCheck: 'PENDING' }, select: { id: true } });
        const stillIds = still.map((row) => row.id);
        if (stillIds.length === 0) return;
        await tx.referral.updateMany({
          where: { id: { in: stillIds }, activityCheck: 'PENDING' },
          data: {
            activityCheck: outcome,
            activityCheckedAt: now,
            ...(lookup.kind === 'found' ? { activityOrganizationId: lookup.organizationId } : {}),
          },
        });
        await tx.referralEvent.createMany({
          data: stillIds.map((referralId) => ({ id: newId(), referralId, at: now, kind: 'ACTIVITY_CHECKED' as const, reason: outcome, actorRole: 'system' })),
        });
        await writeAudit(tx, SYSTEM_ACTOR, null, stillIds.map((referralId) => ({ action: 'ACTIVITY_CHECK' as const, referralId, detail: outcome })));
        if (outcome === 'CONFIRMED') report.confirmed += stillIds.length;
        else report.notFound += stillIds.length;
      },
      TRANSACTION_OPTIONS,
    );
  }
  if (report.confirmed + report.notFound > 0) logger.info({ ...report }, 'checked referrals whose activity the directory had not confirmed');
  return report;
}
