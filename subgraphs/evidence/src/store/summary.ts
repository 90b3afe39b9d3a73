// How much published evidence there is about an activity type or a condition, by study type and
// strength: what a commissioner asks first.
import type { EvidenceClient, EvidenceStrength, Prisma, StudyType } from '@sp/prisma/evidence';
import { TAXONOMY_IDS } from '@sp/prisma/reference/vocabularies';
import { STRENGTHS, STUDY_TYPES } from '../domain/labels';

export interface EvidenceSummary {
  activityType: string | null;
  condition: string | null;
  total: number;
  byStudyType: Array<{ studyType: StudyType; count: number }>;
  byStrength: Array<{ strength: EvidenceStrength; count: number }>;
  byStudyTypeAndStrength: Array<{ studyType: StudyType; strength: EvidenceStrength; count: number }>;
}

/** Counts published records about the activity type and/or the condition (both must match when both are given). */
export async function summariseEvidence(
  db: EvidenceClient,
  topic: { activityType: string | null; condition: string | null },
): Promise<EvidenceSummary> {
  const about: Prisma.EvidenceRecordWhereInput[] = [];
  if (topic.activityType) about.push({ topics: { some: { taxonomyId: TAXONOMY_IDS.activityType, code: topic.activityType } } });
  if (topic.condition) about.push({ topics: { some: { taxonomyId: TAXONOMY_IDS.condition, code: topic.condition } } });
  const groups = await db.evidenceRecord.groupBy({
    by: ['studyType', 'strength'],
    where: { status: 'PUBLISHED', AND: about },
    _count: { _all: true },
  });
  const cells = groups
    .map((group) => ({ studyType: group.studyType, strength: group.strength, count: group._count._all }))
    .sort((a, b) => STUDY_TYPES.indexOf(a.studyType) - STUDY_TYPES.indexOf(b.studyType) || STRENGTHS.indexOf(a.strength) - STRENGTHS.indexOf(b.strength));
  const sum = (keep: (cell: (typeof cells)[number]) => boolean) => cells.filter(keep).reduce((total, cell) => total + cell.count, 0);
  return {
    activityType: topic.activityType,
    condition: topic.condition,
    total: sum(() => true),
    byStudyType: STUDY_TYPES.map((studyType) => ({ studyType, count: sum((cell) => cell.studyType === studyType) })),
    byStrength: STRENGTHS.map((strength) => ({ strength, count: sum((cell) => cell.strength === strength) })),
    byStudyTypeAndStrength: cells,
  };
}
