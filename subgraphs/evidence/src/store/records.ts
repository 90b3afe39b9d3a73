// Writing evidence records: create, edit, move through the workflow, comment. Each change is
// validated first, then written in one transaction with its revision (who changed which field
// from what to what), so a record and its history never disagree. Used by the GraphQL mutations,
// the import command and the sample loader alike.
import type { EvidenceClient, EvidenceRevisionAction, EvidenceStatus, Prisma, ReviewCommentKind } from '@sp/prisma/evidence';
import { TAXONOMY_IDS } from '@sp/prisma/reference/vocabularies';
import { userError } from '@sp/runtime/errors';
import { EvidenceErrorCode } from '../domain/errors';
import { diffRecords, type FieldChange } from '../domain/history';
import type { RecordFields, RecordInput } from '../domain/record-fields';
import { validateRecord } from '../domain/validation';
import { assertEditable, assertMayPublish, nextStatus, type CurationStep } from '../domain/workflow';

type Tx = Prisma.TransactionClient;

/** Everything needed to rebuild a record's content. */
export const RECORD_CONTENT = {
  outcomes: { orderBy: { position: 'asc' } },
  topics: true,
  activities: true,
  organizations: true,
} as const satisfies Prisma.EvidenceRecordInclude;

export type RecordWithContent = Prisma.EvidenceRecordGetPayload<{ include: typeof RECORD_CONTENT }>;

const COMMENT_MAX = 4000;

/** The content of a stored record, in the shape validation and history use. */
export function fieldsOf(row: RecordWithContent): RecordFields {
  const codes = (taxonomyId: string) => row.topics.filter((topic) => topic.taxonomyId === taxonomyId).map((topic) => topic.code).sort();
  return {
    title: row.title,
    summary: row.summary,
    keyFinding: row.keyFinding,
    citation: row.citation,
    url: row.url,
    doi: row.doi,
    publisher: row.publisher,
    publicationDate: row.publicationDate,
    studyType: row.studyType,
    strength: row.strength,
    strengthReason: row.strengthReason,
    ageGroup: row.ageGroup,
    setting: row.setting,
    region: row.region,
    sampleSize: row.sampleSize,
    sampleDescription: row.sampleDescription,
    limitations: row.limitations,
    activityTypes: codes(TAXONOMY_IDS.activityType),
    conditions: codes(TAXONOMY_IDS.condition),
    organizationIds: row.organizations.map((link) => link.organizationId).sort(),
    activityIds: row.activities.map((link) => link.activityId).sort(),
    outcomes: row.outcomes.map(({ measured, measure, statement, figure, figureHigh, unit, direction, comparison }) => ({
      measured,
      measure,
      statement,
      figure,
      figureHigh,
      unit,
      direction,
      comparison,
    })),
  };
}

function columns(fields: RecordFields) {
  const { activityTypes: _types, conditions: _conditions, organizationIds: _organizations, activityIds: _activities, outcomes: _outcomes, ...scalars } =
    fields;
  return scalars;
}

function lists(fields: RecordFields) {
  return {
    outcomes: fields.outcomes.map((outcome, position) => ({ ...outcome, position })),
    topics: [
      ...fields.activityTypes.map((code) => ({ taxonomyId: TAXONOMY_IDS.activityType, code })),
      ...fields.conditions.map((code) => ({ taxonomyId: TAXONOMY_IDS.condition, code })),
    ],
    organizations: fields.organizationIds.map((organizationId) => ({ organizationId })),
    activities: fields.activityIds.map((activityId) => ({ activityId })),
  };
}

function notFound() {
  return userError(EvidenceErrorCode.NOT_FOUND, 'There is no evidence record with that id.');
}

function staleRevision() {
  return userError(
    EvidenceErrorCode.STALE_REVISION,
    'Someone else has changed this record since you opened it. Reload it, check their changes, and try again.',
  );
}

async function writeRevision(tx: Tx, recordId: string, number: number, action: EvidenceRevisionAction, actor: string, changes: FieldChange[]) {
  await tx.evidenceRevision.create({
    data: {
      recordId,
      number,
      action,
      actor,
      changes: { create: changes.map((change, position) => ({ position, ...change })) },
    },
  });
}

export interface CreateRecordOptions {
  /** Who: "admin:<subject>", "import:<name>" or "sample-data". */
  actor: string;
  input: RecordInput;
  /** A chosen id (import, sample data); otherwise a new one. */
  id?: string;
  /** DRAFT, or IN_REVIEW when an import sends its records for review. Never published here: that takes a second admin. */
  status?: Extract<EvidenceStatus, 'DRAFT' | 'IN_REVIEW'>;
  action?: Extract<EvidenceRevisionAction, 'CREATED' | 'IMPORTED'>;
  isSampleData?: boolean;
  now?: Date;
}

/** Validates and stores a new record with its first revision; returns its id. */
export async function createRecord(db: EvidenceClient, options: CreateRecordOptions): Promise<string> {
  const now = options.now ?? new Date();
  const fields = validateRecord(options.input, null, now);
  const status = options.status ?? 'DRAFT';
  const changes: FieldChange[] = [...diffRecords(null, fields), { field: 'status', previousValue: null, newValue: status }];
  const data = lists(fields);
  try {
    return await db.$transaction(async (tx) => {
      if (options.id !== undefined && (await tx.evidenceRecord.findUnique({ where: { id: options.id }, select: { id: true } }))) {
        throw recordExists(options.id);
      }
      const created = await tx.evidenceRecord.create({
        data: {
          ...(options.id !== undefined ? { id: options.id } : {}),
          ...columns(fields),
          status,
          createdBy: options.actor,
          lastEditedBy: options.actor,
          revision: 1,
          isSampleData: options.isSampleData ?? false,
          outcomes: { create: data.outcomes },
          topics: { create: data.topics },
          organizations: { create: data.organizations },
          activities: { create: data.activities },
        },
        select: { id: true },
      });
      await writeRevision(tx, created.id, 1, options.action ?? 'CREATED', options.actor, changes);
      return created.id;
    });
  } catch (error) {
    // Two imports racing for one id: the database's unique key decides.
    if ((error as { code?: unknown }).code === 'P2002' && options.id !== undefined) throw recordExists(options.id);
    throw error;
  }
}

function recordExists(id: string) {
  return userError(EvidenceErrorCode.RECORD_EXISTS, `A record with the id ${id} already exists.`, { field: 'id' });
}

export interface UpdateRecordOptions {
  id: string;
  actor: string;
  input: RecordInput;
  /** The revision the editor started from; refused with STALE_REVISION if the record has moved on. */
  expectedRevision?: number | null;
  now?: Date;
}

/**
 * Applies the fields given to a draft (or a record sent back for changes), recording each
 * changed field. Changing nothing writes nothing. The editor becomes the record's last editor,
 * who may then not publish it.
 */
export async function updateRecord(db: EvidenceClient, options: UpdateRecordOptions): Promise<void> {
  const now = options.now ?? new Date();
  await db.$transaction(async (tx) => {
    const current = await tx.evidenceRecord.findUnique({ where: { id: options.id }, include: RECORD_CONTENT });
    if (!current) throw notFound();
    assertEditable(current.status);
    if (options.expectedRevision != null && options.expectedRevision !== current.revision) throw staleRevision();
    const fields = validateRecord(options.input, fieldsOf(current), now);
    const changes = diffRecords(fieldsOf(current), fields);
    if (changes.length === 0) return;

    // Conditional on the revision and status read above: a concurrent change makes this match nothing.
    const moved = await tx.evidenceRecord.updateMany({
      where: { id: options.id, revision: current.revision, status: current.status },
      data: { ...columns(fields), lastEditedBy: options.actor, revision: { increment: 1 } },
    });
    if (moved.count !== 1) throw staleRevision();

    const data = lists(fields);
    const where = { recordId: options.id };
    await tx.evidenceOutcome.deleteMany({ where });
    await tx.evidenceTopic.deleteMany({ where });
    await tx.evidenceOrganization.deleteMany({ where });
    await tx.evidenceActivity.deleteMany({ where });
    await tx.evidenceOutcome.createMany({ data: data.outcomes.map((row) => ({ ...row, recordId: options.id })) });
    await tx.evidenceTopic.createMany({ data: data.topics.map((row) => ({ ...row, recordId: options.id })) });
    await tx.evidenceOrganization.createMany({ data: data.organizations.map((row) => ({ ...row, recordId: options.id })) });
    await tx.evidenceActivity.createMany({ data: data.activities.map((row) => ({ ...row, recordId: options.id })) });
    await writeRevision(tx, options.id, current.revision + 1, 'EDITED', options.actor, changes);
  });
}

const STEP_ACTIONS: Record<CurationStep, EvidenceRevisionAction> = {
  submit: 'SUBMITTED',
  requestChanges: 'CHANGES_REQUESTED',
  publish: 'PUBLISHED',
  retract: 'RETRACTED',
};

const STEP_COMMENTS: Partial<Record<CurationStep, ReviewCommentKind>> = {
  submit: 'SUBMISSION',
  requestChanges: 'CHANGES_REQUESTED',
  publish: 'APPROVAL',
};

export interface TransitionOptions {
  id: string;
  actor: string;
  step: CurationStep;
  /** A review comment (required to request changes), or the public reason for a retraction. */
  comment?: string | null;
  expectedRevision?: number | null;
  now?: Date;
}

function cleanComment(text: string | null | undefined): string | null {
  const trimmed = text?.trim() ?? '';
  if (trimmed.length > COMMENT_MAX) {
    throw userError(EvidenceErrorCode.INVALID_FIELD, `The comment is too long: at most ${COMMENT_MAX} characters.`, { field: 'comment' });
  }
  return trimmed === '' ? null : trimmed;
}

/**
 * Moves a record one step through the workflow. Refused with ILLEGAL_TRANSITION from the wrong
 * status, FOUR_EYES_REQUIRED when the last editor tries to publish, REVIEW_COMMENT_REQUIRED when
 * changes are requested without saying which, RETRACTION_REASON_REQUIRED without a reason.
 */
export async function transitionRecord(db: EvidenceClient, options: TransitionOptions): Promise<void> {
  const now = options.now ?? new Date();
  const comment = cleanComment(options.comment);
  await db.$transaction(async (tx) => {
    const current = await tx.evidenceRecord.findUnique({
      where: { id: options.id },
      select: { status: true, revision: true, lastEditedBy: true },
    });
    if (!current) throw notFound();
    const to = nextStatus(current.status, options.step);
    if (options.step === 'publish') assertMayPublish(current.lastEditedBy, options.actor);
    if (options.step === 'requestChanges' && comment === null) {
      throw userError(EvidenceErrorCode.REVIEW_COMMENT_REQUIRED, 'Say what needs to change: the author will see your comment.', {
        field: 'comment',
      });
    }
    if (options.step === 'retract' && comment === null) {
      throw userError(EvidenceErrorCode.RETRACTION_REASON_REQUIRED, 'Give the reason for retracting the record: the public will see it.', {
        field: 'reason',
      });
    }
    if (options.expectedRevision != null && options.expectedRevision !== current.revision) throw staleRevision();

    const moved = await tx.evidenceRecord.updateMany({
      where: { id: options.id, status: current.status, revision: current.revision },
      data: {
        status: to,
        revision: { increment: 1 },
        ...(to === 'PUBLISHED' ? { publishedAt: now } : {}),
        ...(to === 'RETRACTED' ? { retractedAt: now, retractionReason: comment } : {}),
      },
    });
    if (moved.count !== 1) throw staleRevision();

    const changes: FieldChange[] = [{ field: 'status', previousValue: current.status, newValue: to }];
    if (to === 'RETRACTED') changes.push({ field: 'retractionReason', previousValue: null, newValue: comment });
    await writeRevision(tx, options.id, current.revision + 1, STEP_ACTIONS[options.step], options.actor, changes);
    const kind = STEP_COMMENTS[options.step];
    if (kind && comment !== null) {
      await tx.evidenceReviewComment.create({ data: { recordId: options.id, kind, author: options.actor, body: comment } });
    }
  });
}

/** Adds a review comment to a record in any status; comments are never edited or deleted. */
export async function addReviewComment(db: EvidenceClient, options: { id: string; actor: string; body: string }): Promise<void> {
  const body = cleanComment(options.body);
  if (body === null) {
    throw userError(EvidenceErrorCode.REVIEW_COMMENT_REQUIRED, 'The comment is empty.', { field: 'body' });
  }
  // In a transaction of its own: Prisma's SQLite adapter lets a plain write join another
  // request's open transaction, and lose it if that one rolls back.
  await db.$transaction(async (tx) => {
    const exists = await tx.evidenceRecord.findUnique({ where: { id: options.id }, select: { id: true } });
    if (!exists) throw notFound();
    await tx.evidenceReviewComment.create({ data: { recordId: options.id, kind: 'COMMENT', author: options.actor, body } });
  });
}
