// Words for the codes, as a professional reads them, and the order used for ranking.
import type { EvidenceStatus, EvidenceStrength, OutcomeDirection, StudyType } from '@sp/prisma/evidence';

export const STUDY_TYPE_LABELS: Record<StudyType, string> = {
  SYSTEMATIC_REVIEW: 'Systematic review',
  META_ANALYSIS: 'Meta-analysis',
  RANDOMISED_CONTROLLED_TRIAL: 'Randomised controlled trial',
  COHORT_OR_BEFORE_AFTER: 'Cohort or before-and-after study',
  QUALITATIVE: 'Qualitative study',
  SERVICE_EVALUATION: 'Service evaluation',
  SOCIAL_RETURN_ON_INVESTMENT: 'Social return on investment analysis',
  CASE_STUDY: 'Case study',
  PARTICIPANT_TESTIMONY: 'Participant testimony',
};

export const STUDY_TYPES = Object.keys(STUDY_TYPE_LABELS) as StudyType[];

export const STRENGTH_LABELS: Record<EvidenceStrength, string> = {
  HIGH: 'high',
  MODERATE: 'moderate',
  LOW: 'low',
  VERY_LOW: 'very low',
};

/** Strongest first. */
export const STRENGTHS = Object.keys(STRENGTH_LABELS) as EvidenceStrength[];

/** Higher is stronger: HIGH 4 ... VERY_LOW 1. */
export function strengthRank(strength: EvidenceStrength): number {
  return STRENGTHS.length - STRENGTHS.indexOf(strength);
}

export const STATUS_LABELS: Record<EvidenceStatus, string> = {
  DRAFT: 'a draft',
  IN_REVIEW: 'in review',
  CHANGES_REQUESTED: 'sent back for changes',
  PUBLISHED: 'published',
  RETRACTED: 'retracted',
};

export const DIRECTION_LABELS: Record<OutcomeDirection, string> = {
  INCREASE: 'increase',
  DECREASE: 'decrease',
  IMPROVEMENT: 'improvement',
  WORSENING: 'worsening',
  NO_CHANGE: 'no change',
  MIXED: 'mixed results',
  INCONCLUSIVE: 'inconclusive',
  NOT_STATED: 'direction not stated',
};
