import DataLoader from 'dataloader';
import type { EvidenceClient } from '@sp/prisma/evidence';

/** The ids of records linked to each activity, in one query for all the activities in a response. */
export function createEvidenceIdsLoader(db: EvidenceClient) {
  return new DataLoader<string, string[]>(async (activityIds) => {
    const links = await db.evidenceActivity.findMany({
      where: { activityId: { in: [...activityIds] } },
      select: { activityId: true, recordId: true },
    });
    const byActivity = new Map<string, string[]>();
    for (const link of links) {
      const ids = byActivity.get(link.activityId) ?? [];
      ids.push(link.recordId);
      byActivity.set(link.activityId, ids);
    }
    return activityIds.map((id) => byActivity.get(id) ?? []);
  });
}
