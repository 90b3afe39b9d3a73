import { requireRole } from '@sp/auth/authorisation';
import type { EvidenceStatus, EvidenceStrength, OutcomeDirection, Prisma, StudyType } from '@sp/prisma/evidence';
import { TAXONOMY_IDS, VOCABULARIES } from '@sp/prisma/reference/vocabularies';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import { checkTermCode } from '../domain/validation';
import { figureText, headlineOf, resultText } from '../domain/wording';
import { isAdmin, listedStatuses, statusesById } from '../store/visibility';
import { ActivityRef } from './activity';
import { EvidenceStatusEnum, EvidenceStrengthEnum, OutcomeDirectionEnum, StudyTypeEnum } from './enums';

interface Topic {
  code: string;
  name: string;
  taxonomy: string;
}

/** Terms of one vocabulary in the vocabulary's own order, with their names. */
function topicsOf(taxonomyId: string, codes: Iterable<string>): Topic[] {
  const wanted = new Set(codes);
  const vocabulary = VOCABULARIES.find((candidate) => candidate.id === taxonomyId);
  return (vocabulary?.terms ?? []).filter((term) => wanted.has(term.code)).map((term) => ({ code: term.code, name: term.name, taxonomy: taxonomyId }));
}

const EvidenceTopicType = builder.objectRef<Topic>('EvidenceTopic').implement({
  description: 'What a record is about: an activity type or a condition from the directory’s vocabularies.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The directory’s code, such as "dance" or "parkinsons".' }),
    name: t.exposeString('name'),
    taxonomy: t.exposeString('taxonomy', { description: 'The vocabulary: "sp-activity-type" or "sp-condition".' }),
  }),
});

interface Population {
  ageGroup: string | null;
  setting: string | null;
  region: string | null;
  conditions: Topic[];
}

const EvidencePopulationType = builder.objectRef<Population>('EvidencePopulation').implement({
  description: 'Who the evidence is about. A field is null when the source does not say.',
  fields: (t) => ({
    ageGroup: t.exposeString('ageGroup', { nullable: true }),
    setting: t.exposeString('setting', { nullable: true, description: 'Where and how, such as "arts on prescription, referred from primary care".' }),
    region: t.exposeString('region', { nullable: true }),
    conditions: t.field({ type: [EvidenceTopicType], resolve: (population) => population.conditions }),
  }),
});

interface Outcome {
  measured: string;
  measure: string;
  statement: string | null;
  figure: number | null;
  figureHigh: number | null;
  unit: string | null;
  direction: OutcomeDirection;
  comparison: string | null;
}

const EvidenceOutcomeType = builder.objectRef<Outcome>('EvidenceOutcome').implement({
  description: 'One result: what was measured, how, the figure with its unit, which way it went, and against what.',
  fields: (t) => ({
    measured: t.exposeString('measured', { description: 'What was measured, such as "GP consultation rate".' }),
    measure: t.exposeString('measure', { description: 'How it was measured, such as "interviews" or "hospital admissions".' }),
    statement: t.exposeString('statement', { nullable: true, description: 'The result in the source’s own words.' }),
    figure: t.exposeFloat('figure', { nullable: true, description: 'Null when the source gives no figure.' }),
    figureHigh: t.exposeFloat('figureHigh', { nullable: true, description: 'The top of a range, such as 11 in "£4 to £11".' }),
    unit: t.exposeString('unit', { nullable: true, description: 'Such as "%" or "£ per £1 invested".' }),
    direction: t.expose('direction', { type: OutcomeDirectionEnum }),
    comparison: t.exposeString('comparison', { nullable: true, description: 'Compared with what; null when the source does not say.' }),
    result: t.string({
      description: 'The figure and direction in words ("37% decrease"), or that the source gives no figure.',
      resolve: (outcome) => resultText(outcome),
    }),
    figureText: t.string({ nullable: true, description: 'The figure with its unit ("£4–£11 per £1 invested").', resolve: (outcome) => figureText(outcome) }),
  }),
});

const adminOnly = (identity: Parameters<typeof requireRole>[0]) => requireRole(identity, 'admin');

export const EvidenceRecordType = builder.prismaObject('EvidenceRecord', {
  description: 'A piece of evidence about what an activity, or a kind of activity, achieves, and where it is in curation.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    summary: t.exposeString('summary', { description: 'What was found, for whom, in plain language.' }),
    keyFinding: t.exposeString('keyFinding', { description: 'The finding in a short phrase, as used in the headline.' }),
    headline: t.string({
      description: 'One line a professional can read in a chat: "Systematic review, moderate strength: <finding>".',
      select: { studyType: true, strength: true, keyFinding: true, status: true },
      resolve: (record) => headlineOf(record),
    }),
    citation: t.exposeString('citation', { description: 'The full reference: authors, year, title, journal or publisher.' }),
    url: t.exposeString('url', { nullable: true }),
    doi: t.exposeString('doi', { nullable: true, description: 'The DOI alone, such as 10.1000/182.' }),
    doiUrl: t.string({
      nullable: true,
      description: 'The DOI as a link.',
      select: { doi: true },
      resolve: (record) => (record.doi ? `https://doi.org/${record.doi}` : null),
    }),
    sourceUrl: t.string({
      nullable: true,
      deprecationReason: 'Use url, or doiUrl.',
      select: { url: true, doi: true },
      resolve: (record) => record.url ?? (record.doi ? `https://doi.org/${record.doi}` : null),
    }),
    publisher: t.exposeString('publisher', { nullable: true, description: 'The journal or the publishing organisation.' }),
    publicationDate: t.exposeString('publicationDate', {
      nullable: true,
      description: 'As precise as the source gives it: "2017", "2023-03" or "2026-01-03".',
    }),
    studyType: t.expose('studyType', { type: StudyTypeEnum }),
    strength: t.expose('strength', { type: EvidenceStrengthEnum }),
    strengthReason: t.exposeString('strengthReason', { description: 'Why the record has its strength grade.' }),
    population: t.field({
      type: EvidencePopulationType,
      select: { ageGroup: true, setting: true, region: true, topics: true },
      resolve: (record) => ({
        ageGroup: record.ageGroup,
        setting: record.setting,
        region: record.region,
        conditions: topicsOf(TAXONOMY_IDS.condition, record.topics.filter((topic) => topic.taxonomyId === TAXONOMY_IDS.condition).map((topic) => topic.code)),
      }),
    }),
    sampleSize: t.exposeInt('sampleSize', { nullable: true, description: 'Null when the source gives none.' }),
    sampleDescription: t.exposeString('sampleDescription', { nullable: true, description: 'Who or what the sample was, such as "14 professionals".' }),
    limitations: t.exposeString('limitations', { nullable: true }),
    activityTypes: t.field({
      type: [EvidenceTopicType],
      description: 'The kinds of activity it is about (directory vocabulary sp-activity-type).',
      select: { topics: true },
      resolve: (record) => topicsOf(TAXONOMY_IDS.activityType, record.topics.filter((topic) => topic.taxonomyId === TAXONOMY_IDS.activityType).map((topic) => topic.code)),
    }),
    conditions: t.field({
      type: [EvidenceTopicType],
      description: 'The conditions it is about (directory vocabulary sp-condition).',
      select: { topics: true },
      resolve: (record) => topicsOf(TAXONOMY_IDS.condition, record.topics.filter((topic) => topic.taxonomyId === TAXONOMY_IDS.condition).map((topic) => topic.code)),
    }),
    outcomes: t.field({
      type: [EvidenceOutcomeType],
      select: { outcomes: { orderBy: { position: 'asc' } } },
      resolve: (record) => record.outcomes,
    }),
    activities: t.field({
      type: [ActivityRef],
      description: 'The directory activities this record names, resolved by the gateway.',
      select: { activities: { select: { activityId: true } } },
      resolve: (record) => record.activities.map((link) => ({ id: link.activityId })),
    }),
    organizationIds: t.field({
      type: ['ID'],
      description: 'Ids of the directory organisations this record names.',
      select: { organizations: { select: { organizationId: true } } },
      resolve: (record) => record.organizations.map((link) => link.organizationId).sort(),
    }),
    status: t.expose('status', { type: EvidenceStatusEnum }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    retractedAt: t.expose('retractedAt', { type: 'DateTime', nullable: true }),
    retractionReason: t.exposeString('retractionReason', { nullable: true, description: 'Why a retracted record was withdrawn, for the public.' }),
    revision: t.exposeInt('revision', { description: 'The latest revision number; pass it back as expectedRevision when changing the record.' }),
    isSampleData: t.exposeBoolean('isSampleData', { description: 'True for the sample evidence loaded into an empty database.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    lastEditedBy: t.string({
      description: 'Who last changed the content ("admin:<id>"). Admins only.',
      select: { lastEditedBy: true },
      resolve: (record, _args, context) => {
        adminOnly(context.identity);
        return record.lastEditedBy;
      },
    }),
  }),
});

const EvidenceRecordFilter = builder.inputType('EvidenceRecordFilter', {
  description: 'Narrows the list; every field is optional and all given must hold.',
  fields: (t) => ({
    status: t.field({ type: [EvidenceStatusEnum], description: 'Admins only, except PUBLISHED.' }),
    activityType: t.string({ description: 'An activity type code (sp-activity-type).' }),
    condition: t.string({ description: 'A condition code (sp-condition).' }),
    studyType: t.field({ type: [StudyTypeEnum] }),
    strength: t.field({ type: [EvidenceStrengthEnum] }),
    activityId: t.id({ description: 'Records that name this directory activity.' }),
    organizationId: t.id({ description: 'Records that name this directory organisation.' }),
  }),
});

builder.queryFields((t) => ({
  evidenceRecord: t.prismaField({
    type: 'EvidenceRecord',
    nullable: true,
    description:
      'One evidence record by id, or null when there is none you may see. Published and retracted records are public; admins see every record.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) => {
      const statuses = statusesById(context.identity);
      return context.db.evidenceRecord.findFirst({
        ...query,
        where: { id: String(args.id), ...(statuses ? { status: { in: statuses } } : {}) },
      });
    },
  }),
  evidenceRecords: t.prismaConnection({
    type: 'EvidenceRecord',
    cursor: 'id',
    description: 'Evidence records, most recently changed first. The public sees published records; admins see every record (the review queue is status IN_REVIEW).',
    args: { filter: t.arg({ type: EvidenceRecordFilter }) },
    resolve: (query, _root, args, context) => {
      const filter = args.filter ?? {};
      const asked = filter.status ?? undefined;
      if (asked && asked.some((status) => status !== 'PUBLISHED') && !isAdmin(context.identity)) {
        throw userError(ErrorCode.FORBIDDEN, 'Only administrators can see records that are not published.');
      }
      checkTermCode(TAXONOMY_IDS.activityType, filter.activityType, 'activityType');
      checkTermCode(TAXONOMY_IDS.condition, filter.condition, 'condition');
      const statuses: EvidenceStatus[] | undefined = asked ?? listedStatuses(context.identity);
      const where: Prisma.EvidenceRecordWhereInput = {
        ...(statuses ? { status: { in: statuses } } : {}),
        ...(filter.studyType ? { studyType: { in: filter.studyType as StudyType[] } } : {}),
        ...(filter.strength ? { strength: { in: filter.strength as EvidenceStrength[] } } : {}),
        ...(filter.activityId ? { activities: { some: { activityId: String(filter.activityId) } } } : {}),
        ...(filter.organizationId ? { organizations: { some: { organizationId: String(filter.organizationId) } } } : {}),
        AND: [
          ...(filter.activityType ? [{ topics: { some: { taxonomyId: TAXONOMY_IDS.activityType, code: filter.activityType } } }] : []),
          ...(filter.condition ? [{ topics: { some: { taxonomyId: TAXONOMY_IDS.condition, code: filter.condition } } }] : []),
        ],
      };
      return context.db.evidenceRecord.findMany({ ...query, where, orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }] });
    },
  }),
}));

