import { EvidenceRevisionAction, EvidenceStatus, EvidenceStrength, OutcomeDirection, ReviewCommentKind, StudyType } from '@sp/prisma/evidence';
import { builder } from '../builder';

export const StudyTypeEnum = builder.enumType(StudyType, {
  name: 'StudyType',
  description: 'The kind of study or evaluation behind an evidence record.',
});

export const EvidenceStrengthEnum = builder.enumType(EvidenceStrength, {
  name: 'EvidenceStrength',
  description: 'How much weight a record can bear, strongest first; the record gives the reason.',
});

export const EvidenceStatusEnum = builder.enumType(EvidenceStatus, {
  name: 'EvidenceStatus',
  description:
    'Where a record is in curation: DRAFT, then IN_REVIEW, then PUBLISHED by a second admin; CHANGES_REQUESTED sends it back to the author; RETRACTED withdraws a published record, with a public reason.',
});

export const OutcomeDirectionEnum = builder.enumType(OutcomeDirection, {
  name: 'OutcomeDirection',
  description:
    'Which way a result went: a measured amount went up or down (INCREASE, DECREASE), or, where the source describes a change rather than an amount, it got better or worse (IMPROVEMENT, WORSENING). INCONCLUSIVE: the source could not tell; NOT_STATED: the source gives no result.',
});

export const EvidenceRevisionActionEnum = builder.enumType(EvidenceRevisionAction, {
  name: 'EvidenceRevisionAction',
  description: 'What a revision did.',
});

export const ReviewCommentKindEnum = builder.enumType(ReviewCommentKind, {
  name: 'ReviewCommentKind',
  description: 'Why a review comment was written: a plain comment, or with a step of the workflow.',
});
