// Per-request batch loaders for the fields this subgraph adds to Activity, so a list of
// activities from the gateway costs one query per field rather than one per activity.
import DataLoader from 'dataloader';
import type { ReferralClient, ReferralStatus } from '@sp/prisma/referral';
import { ReferralStatus as Statuses } from '@sp/prisma/referral';
import { scoresFromColumn, summarise, type InstrumentRegistry, type MeasurePair, type OutcomeSummary } from './domain/outcomes';
import { addDays, daysBetween } from './domain/working-days';

export interface ReferralStats {
  total: number;
  byStatus: Array<{ status: ReferralStatus; count: number }>;
  /** Referrals of the last year that the provider has answered. */
  responses: number;
  medianDaysToFirstResponse: number | null;
}

/** How far back the "usually replies in" figure looks, so it reflects how a provider replies now. */
export const RESPONSE_WINDOW_DAYS = 365;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function createReferralLoaders(db: ReferralClient, instruments: InstrumentRegistry, now: () => Date) {
  const referralCounts = new DataLoader<string, number>(async (activityIds) => {
    const groups = await db.referral.groupBy({
      by: ['activityId'],
      where: { activityId: { in: [...activityIds] } },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((group) => [group.activityId, group._count._all]));
    return activityIds.map((id) => counts.get(id) ?? 0);
  });

  const referralStats = new DataLoader<string, ReferralStats>(async (activityIds) => {
    const ids = [...activityIds];
    const [groups, answered] = await Promise.all([
      db.referral.groupBy({ by: ['activityId', 'status'], where: { activityId: { in: ids } }, _count: { _all: true } }),
      db.referral.findMany({
        where: { activityId: { in: ids }, firstResponseAt: { not: null }, createdAt: { gte: addDays(now(), -RESPONSE_WINDOW_DAYS) } },
        select: { activityId: true, createdAt: true, firstResponseAt: true },
      }),
    ]);
    return ids.map((activityId) => {
      const counts = new Map(groups.filter((group) => group.activityId === activityId).map((group) => [group.status, group._count._all]));
      const days = answered.filter((row) => row.activityId === activityId).map((row) => daysBetween(row.createdAt, row.firstResponseAt!));
      const middle = median(days);
      return {
        total: [...counts.values()].reduce((sum, count) => sum + count, 0),
        byStatus: Object.values(Statuses).map((status) => ({ status, count: counts.get(status) ?? 0 })),
        responses: days.length,
        medianDaysToFirstResponse: middle === null ? null : Math.round(middle * 10) / 10,
      };
    });
  });

  const outcomeSummaries = new DataLoader<string, OutcomeSummary[]>(async (activityIds) => {
    const enabled = instruments.enabled();
    const rows = await db.outcomeMeasure.findMany({
      where: {
        activityId: { in: [...activityIds] },
        instrument: { in: enabled.map((instrument) => instrument.code) },
        // Only people who agreed to their answers being used, anonymised, count.
        referral: { consents: { some: { purpose: 'ANONYMISED_RESEARCH', granted: true } } },
      },
      select: { activityId: true, referralId: true, instrument: true, timepoint: true, scores: true },
    });
    return activityIds.map((activityId) =>
      enabled.map((instrument) => {
        const byReferral = new Map<string, Partial<MeasurePair>>();
        for (const row of rows) {
          if (row.activityId !== activityId || row.instrument !== instrument.code) continue;
          const pair = byReferral.get(row.referralId) ?? {};
          pair[row.timepoint === 'BEFORE' ? 'before' : 'after'] = scoresFromColumn(row.scores);
          byReferral.set(row.referralId, pair);
        }
        const pairs = [...byReferral.values()].filter((pair): pair is MeasurePair => pair.before !== undefined && pair.after !== undefined);
        return summarise(instrument, pairs);
      }),
    );
  });

  return { referralCounts, referralStats, outcomeSummaries };
}

export type ReferralLoaders = ReturnType<typeof createReferralLoaders>;
