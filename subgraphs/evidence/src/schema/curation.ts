// Curation: admins write and edit drafts, send them for review, and another admin publishes
// them (four-eyes) or sends them back; a published record can be retracted with a public reason.
// Every change is a revision with its field-level changes; review comments are kept.
import { requireRole } from '@sp/auth/authorisation';
import type { Identity, UserIdentity } from '@sp/auth/identity';
import type { EvidenceClient, EvidenceRevisionAction, ReviewCommentKind } from '@sp/prisma/evidence';
import { builder } from '../builder';
import type { RecordInput } from '../domain/record-fields';
import type { CurationStep } from '../domain/workflow';
import { addReviewComment, createRecord, transitionRecord, updateRecord } from '../store/records';
import {
  EvidenceRevisionActionEnum,
  EvidenceStrengthEnum,
  OutcomeDirectionEnum,
  ReviewCommentKindEnum,
  StudyTypeEnum,
} from './enums';
import { EvidenceRecordType } from './evidence-record';

/** How an admin is named in revisions and comments, and compared for the four-eyes rule. */
export const actorOf = (user: UserIdentity) => `${user.role}:${user.subject}`;

const requireAdmin = (identity: Identity) => requireRole(identity, 'admin');

interface FieldChangeShape {
  field: string;
  previousValue: string | null;
  newValue: string | null;
}

const EvidenceFieldChangeType = builder.objectRef<FieldChangeShape>('EvidenceFieldChange').implement({
  description: 'One field of a revision, from what to what. Lists are one item per line; an outcome’s parts are named like "outcomes[0].measure".',
  fields: (t) => ({
    field: t.exposeString('field'),
    previousValue: t.exposeString('previousValue', { nullable: true }),
    newValue: t.exposeString('newValue', { nullable: true }),
  }),
});

interface RevisionShape {
  number: number;
  action: EvidenceRevisionAction;
  actor: string;
  createdAt: Date;
  changes: FieldChangeShape[];
}

const EvidenceRevisionType = builder.objectRef<RevisionShape>('EvidenceRevision').implement({
  description: 'One change to a record: its content or its status, by whom and when.',
  fields: (t) => ({
    number: t.exposeInt('number'),
    action: t.expose('action', { type: EvidenceRevisionActionEnum }),
    actor: t.exposeString('actor', { description: 'Who: "admin:<id>", "import:<name>" or "sample-data".' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    changes: t.field({ type: [EvidenceFieldChangeType], resolve: (revision) => revision.changes }),
  }),
});

interface CommentShape {
  id: string;
  kind: ReviewCommentKind;
  author: string;
  body: string;
  createdAt: Date;
}

const EvidenceReviewCommentType = builder.objectRef<CommentShape>('EvidenceReviewComment').implement({
  description: 'A review comment, kept for the life of the record.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: ReviewCommentKindEnum }),
    author: t.exposeString('author'),
    body: t.exposeString('body'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(EvidenceRecordType, (t) => ({
  revisions: t.field({
    type: [EvidenceRevisionType],
    description: 'The history of the record, oldest first: who changed which field from what to what. Admins only.',
    select: {
      revisions: {
        orderBy: { number: 'asc' },
        include: { changes: { orderBy: { position: 'asc' }, select: { field: true, previousValue: true, newValue: true } } },
      },
    },
    resolve: (record, _args, context) => {
      requireAdmin(context.identity);
      return record.revisions;
    },
  }),
  reviewComments: t.field({
    type: [EvidenceReviewCommentType],
    description: 'Review comments, oldest first. Admins only.',
    select: { comments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    resolve: (record, _args, context) => {
      requireAdmin(context.identity);
      return record.comments;
    },
  }),
}));

const EvidenceOutcomeInput = builder.inputType('EvidenceOutcomeInput', {
  description: 'One result. measured, measure and direction are required; a figure needs a unit.',
  fields: (t) => ({
    measured: t.string({ description: 'What was measured, such as "GP consultation rate".' }),
    measure: t.string({ description: 'How it was measured. Required: an outcome without one is refused (OUTCOME_MEASURE_REQUIRED).' }),
    statement: t.string({ description: 'The result in the source’s own words.' }),
    figure: t.float({ description: 'Leave out when the source gives no figure.' }),
    figureHigh: t.float({ description: 'The top of a range.' }),
    unit: t.string({ description: 'Such as "%" or "£ per £1 invested".' }),
    direction: t.field({ type: OutcomeDirectionEnum }),
    comparison: t.string({ description: 'Compared with what; leave out when the source does not say.' }),
  }),
});

const EvidencePopulationInput = builder.inputType('EvidencePopulationInput', {
  fields: (t) => ({
    ageGroup: t.string(),
    setting: t.string(),
    region: t.string(),
  }),
});

export const EvidenceRecordInput = builder.inputType('EvidenceRecordInput', {
  description:
    'The content of a record. On create, title, summary, keyFinding, citation, studyType, strength and strengthReason are required. On update, only the fields given change, null clears an optional field, and a list given replaces the old list.',
  fields: (t) => ({
    title: t.string(),
    summary: t.string({ description: 'What was found, for whom, in plain language.' }),
    keyFinding: t.string({ description: 'One line for the headline, such as "dance improved balance and mood in people with Parkinson’s".' }),
    citation: t.string({ description: 'The full reference.' }),
    url: t.string({ description: 'A web address, https:// or http://.' }),
    doi: t.string({ description: 'A DOI ("10.1000/182"); a doi.org link is accepted.' }),
    publisher: t.string(),
    publicationDate: t.string({ description: '"2017", "2023-03" or "2026-01-03"; not in the future.' }),
    studyType: t.field({ type: StudyTypeEnum }),
    strength: t.field({ type: EvidenceStrengthEnum }),
    strengthReason: t.string(),
    population: t.field({ type: EvidencePopulationInput }),
    sampleSize: t.int(),
    sampleDescription: t.string(),
    limitations: t.string(),
    activityTypes: t.stringList({ description: 'Activity type codes (sp-activity-type).' }),
    conditions: t.stringList({ description: 'Condition codes (sp-condition).' }),
    organizationIds: t.idList({ description: 'Directory organisations the record is about.' }),
    activityIds: t.idList({ description: 'Directory activities the record is about.' }),
    outcomes: t.field({ type: [EvidenceOutcomeInput] }),
  }),
});

type RecordInputShape = typeof EvidenceRecordInput.$inferInput;

/** GraphQL's input as the curation code's input (ids as strings). */
export function recordInputFrom(input: RecordInputShape): RecordInput {
  const { organizationIds, activityIds, ...rest } = input;
  return {
    ...rest,
    ...(organizationIds !== undefined ? { organizationIds: organizationIds?.map(String) ?? null } : {}),
    ...(activityIds !== undefined ? { activityIds: activityIds?.map(String) ?? null } : {}),
  };
}

/** The record as the client asked for it, after a change. */
const reload = (context: { db: EvidenceClient }, query: object, id: string) =>
  context.db.evidenceRecord.findUniqueOrThrow({ ...query, where: { id } });

const STEP_MUTATIONS: Record<CurationStep, string> = {
  submit: 'submitEvidenceRecord',
  requestChanges: 'requestEvidenceChanges',
  publish: 'publishEvidenceRecord',
  retract: 'retractEvidenceRecord',
};

/** One workflow step as a mutation: the record's id, a comment (or, to retract, the reason) and the revision read. */
function stepMutation(step: CurationStep, description: string, commentArg: 'comment' | 'reason', commentDescription: string) {
  return builder.mutationField(
    STEP_MUTATIONS[step],
    (t) =>
      t.prismaField({
        type: 'EvidenceRecord',
        description,
        args: {
          id: t.arg.id({ required: true }),
          [commentArg]: t.arg.string({ description: commentDescription }),
          expectedRevision: t.arg.int({ description: 'The revision you looked at; refused with STALE_REVISION if the record has changed since.' }),
        },
        resolve: async (query, _root, args, context) => {
          const user = requireAdmin(context.identity);
          const id = String(args.id);
          await transitionRecord(context.db, {
            id,
            actor: actorOf(user),
            step,
            comment: (args as Record<string, unknown>)[commentArg] as string | null | undefined,
            expectedRevision: args.expectedRevision as number | null | undefined,
          });
          return reload(context, query, id);
        },
      }),
  );
}

builder.mutationFields((t) => ({
  createEvidenceRecord: t.prismaField({
    type: 'EvidenceRecord',
    description: 'Adds a draft record. Admins only.',
    args: { input: t.arg({ type: EvidenceRecordInput, required: true }) },
    resolve: async (query, _root, args, context) => {
      const user = requireAdmin(context.identity);
      const id = await createRecord(context.db, { actor: actorOf(user), input: recordInputFrom(args.input) });
      return reload(context, query, id);
    },
  }),
  updateEvidenceRecord: t.prismaField({
    type: 'EvidenceRecord',
    description: 'Changes a draft, or a record sent back for changes. Every changed field is kept in the record’s revisions. Admins only.',
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: EvidenceRecordInput, required: true }),
      expectedRevision: t.arg.int({ description: 'The revision you edited; refused with STALE_REVISION if the record has changed since.' }),
    },
    resolve: async (query, _root, args, context) => {
      const user = requireAdmin(context.identity);
      const id = String(args.id);
      await updateRecord(context.db, { id, actor: actorOf(user), input: recordInputFrom(args.input), expectedRevision: args.expectedRevision });
      return reload(context, query, id);
    },
  }),
  commentOnEvidenceRecord: t.prismaField({
    type: 'EvidenceRecord',
    description: 'Adds a review comment to a record. Admins only.',
    args: { id: t.arg.id({ required: true }), body: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, context) => {
      const user = requireAdmin(context.identity);
      const id = String(args.id);
      await addReviewComment(context.db, { id, actor: actorOf(user), body: args.body });
      return reload(context, query, id);
    },
  }),
}));

stepMutation('submit', 'Sends a draft (or a record sent back for changes) for review. Admins only.', 'comment', 'A note for the reviewer.');
stepMutation(
  'requestChanges',
  'Sends a record in review back to its author. Admins only.',
  'comment',
  'What needs to change (required: REVIEW_COMMENT_REQUIRED).',
);
stepMutation(
  'publish',
  'Publishes a record in review. The admin who last edited it cannot publish it (FOUR_EYES_REQUIRED). Admins only.',
  'comment',
  'A note for the record’s review history.',
);
stepMutation(
  'retract',
  'Withdraws a published record; it stays findable by id with the reason. Admins only.',
  'reason',
  'Why, in plain language for the public (required: RETRACTION_REASON_REQUIRED).',
);
