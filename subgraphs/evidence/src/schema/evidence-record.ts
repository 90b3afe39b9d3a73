import { StudyType } from '@sp/prisma/evidence';
import { builder } from '../builder';
import { ActivityRef } from './activity';

const StudyTypeEnum = builder.enumType(StudyType, {
  name: 'StudyType',
  description: 'The kind of study or evaluation behind an evidence record.',
});

export const EvidenceRecordType = builder.prismaObject('EvidenceRecord', {
  description: 'A piece of evidence about what an activity, or a kind of activity, achieves.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    summary: t.exposeString('summary', { description: 'What was found, for whom, in plain language.' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true }),
    studyType: t.expose('studyType', { type: StudyTypeEnum }),
    activities: t.field({
      type: [ActivityRef],
      description: 'The activities this record applies to.',
      select: { activities: { select: { activityId: true } } },
      resolve: (record) => record.activities.map((link) => ({ id: link.activityId })),
    }),
  }),
});

builder.queryField('evidenceRecord', (t) =>
  t.prismaField({
    type: 'EvidenceRecord',
    nullable: true,
    description: 'One evidence record by id, or null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.db.evidenceRecord.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
);
