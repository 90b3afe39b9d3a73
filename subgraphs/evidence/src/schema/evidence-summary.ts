import type { EvidenceStrength, StudyType } from '@sp/prisma/evidence';
import { TAXONOMY_IDS } from '@sp/prisma/reference/vocabularies';
import { userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import { EvidenceErrorCode } from '../domain/errors';
import { summariseEvidence, type EvidenceSummary } from '../store/summary';
import { EvidenceStrengthEnum, StudyTypeEnum } from './enums';
import { checkTermCode } from '../domain/validation';

const StudyTypeCount = builder.objectRef<{ studyType: StudyType; count: number }>('StudyTypeCount').implement({
  fields: (t) => ({ studyType: t.expose('studyType', { type: StudyTypeEnum }), count: t.exposeInt('count') }),
});

const StrengthCount = builder.objectRef<{ strength: EvidenceStrength; count: number }>('StrengthCount').implement({
  fields: (t) => ({ strength: t.expose('strength', { type: EvidenceStrengthEnum }), count: t.exposeInt('count') }),
});

const StudyTypeStrengthCount = builder
  .objectRef<{ studyType: StudyType; strength: EvidenceStrength; count: number }>('StudyTypeStrengthCount')
  .implement({
    fields: (t) => ({
      studyType: t.expose('studyType', { type: StudyTypeEnum }),
      strength: t.expose('strength', { type: EvidenceStrengthEnum }),
      count: t.exposeInt('count'),
    }),
  });

const EvidenceSummaryType = builder.objectRef<EvidenceSummary>('EvidenceSummary').implement({
  description: 'How much published evidence there is about an activity type or a condition.',
  fields: (t) => ({
    activityType: t.exposeString('activityType', { nullable: true }),
    condition: t.exposeString('condition', { nullable: true }),
    total: t.exposeInt('total', { description: 'Published records about it.' }),
    byStudyType: t.field({
      type: [StudyTypeCount],
      description: 'Every study type, in the enum’s order, with its count (0 included).',
      resolve: (summary) => summary.byStudyType,
    }),
    byStrength: t.field({
      type: [StrengthCount],
      description: 'Every strength grade, strongest first, with its count (0 included).',
      resolve: (summary) => summary.byStrength,
    }),
    byStudyTypeAndStrength: t.field({
      type: [StudyTypeStrengthCount],
      description: 'The counts of each study type and strength together; combinations with no records are left out.',
      resolve: (summary) => summary.byStudyTypeAndStrength,
    }),
  }),
});

builder.queryField('evidenceSummary', (t) =>
  t.field({
    type: EvidenceSummaryType,
    description: 'Counts the published records about an activity type, a condition, or both, by study type and strength.',
    args: {
      activityType: t.arg.string({ description: 'An activity type code (sp-activity-type), such as "dance".' }),
      condition: t.arg.string({ description: 'A condition code (sp-condition), such as "parkinsons".' }),
    },
    resolve: (_root, args, context) => {
      if (!args.activityType && !args.condition) {
        throw userError(EvidenceErrorCode.INVALID_FIELD, 'Give an activity type, a condition, or both.', { field: 'activityType' });
      }
      checkTermCode(TAXONOMY_IDS.activityType, args.activityType, 'activityType');
      checkTermCode(TAXONOMY_IDS.condition, args.condition, 'condition');
      return summariseEvidence(context.db, { activityType: args.activityType ?? null, condition: args.condition ?? null });
    },
  }),
);
