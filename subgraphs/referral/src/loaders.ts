import DataLoader from 'dataloader';
import type { ReferralClient } from '@sp/prisma/referral';

/** One grouped query for all the activities in a response. */
export function createReferralCountLoader(db: ReferralClient) {
  return new DataLoader<string, number>(async (activityIds) => {
    const groups = await db.referral.groupBy({
      by: ['activityId'],
      where: { activityId: { in: [...activityIds] } },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((group) => [group.activityId, group._count._all]));
    return activityIds.map((id) => counts.get(id) ?? 0);
  });
}
