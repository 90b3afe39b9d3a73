// Bulk import and export of evidence records as JSON, so an evaluator can load a reviewed set.
// The file holds records in the same shape as the GraphQL EvidenceRecordInput, plus an optional
// `id` and, in exports, a `curation` block (status, dates, who) that imports ignore. Imports are
// validated record by record: good records are stored, bad ones reported with their code and field.
import { z } from 'zod';
import type { EvidenceClient, EvidenceStatus } from '@sp/prisma/evidence';
import { EvidenceErrorCode } from '../domain/errors';
import { recordFieldsAsInput, type RecordInput } from '../domain/record-fields';
import { validateRecord } from '../domain/validation';
import { createRecord, fieldsOf, RECORD_CONTENT } from '../store/records';

export const EVIDENCE_FILE_FORMAT = 'social-prescribing-evidence';
export const EVIDENCE_FILE_VERSION = 1;

/** The file cannot be used at all (not JSON, or no list of records). */
export class EvidenceFileError extends Error {
  override name = 'EvidenceFileError';
}

const text = z.string().nullish();
const number = z.number().nullish();
const codes = z.array(z.string()).nullish();

const outcomeSchema = z
  .object({
    measured: text,
    measure: text,
    statement: text,
    figure: number,
    figureHigh: number,
    unit: text,
    direction: text,
    comparison: text,
  })
  .strict();

const recordSchema = z
  .object({
    id: z.string().trim().min(1).max(100).optional(),
    title: text,
    summary: text,
    keyFinding: text,
    citation: text,
    url: text,
    doi: text,
    publisher: text,
    publicationDate: text,
    studyType: text,
    strength: text,
    strengthReason: text,
    population: z.object({ ageGroup: text, setting: text, region: text }).strict().nullish(),
    sampleSize: number,
    sampleDescription: text,
    limitations: text,
    activityTypes: codes,
    conditions: codes,
    organizationIds: codes,
    activityIds: codes,
    outcomes: z.array(outcomeSchema).nullish(),
    /** Written by exports; ignored on import (an imported record starts its own curation). */
    curation: z.unknown().optional(),
  })
  .strict();

/** The records in a file: `{ "records": [...] }` as exported, or a bare list. */
export function recordsInFile(content: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new EvidenceFileError(`The file is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) return parsed;
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { records?: unknown }).records)) {
    const { format, version } = parsed as { format?: unknown; version?: unknown };
    if (format !== undefined && format !== EVIDENCE_FILE_FORMAT) throw new EvidenceFileError(`The file's format is "${String(format)}", not "${EVIDENCE_FILE_FORMAT}".`);
    if (version !== undefined && version !== EVIDENCE_FILE_VERSION) throw new EvidenceFileError(`The file is version ${String(version)}; this version reads version ${EVIDENCE_FILE_VERSION}.`);
    return (parsed as { records: unknown[] }).records;
  }
  throw new EvidenceFileError('The file must hold a list of records, or an object with a "records" list.');
}

export interface ImportOutcome {
  /** Position in the file, from 1. */
  number: number;
  title: string | null;
  id: string | null;
  result: 'imported' | 'valid' | 'refused';
  code?: string;
  field?: string;
  message?: string;
}

export interface ImportReport {
  records: ImportOutcome[];
  imported: number;
  refused: number;
}

export interface ImportOptions {
  /** Who the records are by: "admin:<id>" or "import:<name>". */
  actor: string;
  /** Send the records for review (IN_REVIEW) rather than leaving them as drafts. */
  submit?: boolean;
  /** Validate only; write nothing. */
  check?: boolean;
  now?: Date;
}

function refusal(error: unknown): Pick<ImportOutcome, 'code' | 'field' | 'message'> {
  const extensions = (error as { extensions?: { code?: unknown; field?: unknown } }).extensions;
  if (typeof extensions?.code === 'string' && extensions.code !== EvidenceErrorCode.INTERNAL_SERVER_ERROR) {
    return {
      code: extensions.code,
      ...(typeof extensions.field === 'string' ? { field: extensions.field } : {}),
      message: (error as Error).message,
    };
  }
  throw error;
}

/**
 * Imports each record on its own: a refused record does not stop the others. With `check`,
 * only validates (including ids already taken) and writes nothing.
 */
export async function importEvidenceRecords(db: EvidenceClient, records: readonly unknown[], options: ImportOptions): Promise<ImportReport> {
  const now = options.now ?? new Date();
  const outcomes: ImportOutcome[] = [];
  const idsSeen = new Set<string>();
  for (const [index, raw] of records.entries()) {
    const title = raw && typeof raw === 'object' && typeof (raw as { title?: unknown }).title === 'string' ? (raw as { title: string }).title : null;
    const base = { number: index + 1, title };
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || undefined;
      outcomes.push({
        ...base,
        id: null,
        result: 'refused',
        code: EvidenceErrorCode.INVALID_FIELD,
        ...(field ? { field } : {}),
        message: `${field ? `${field}: ` : ''}${issue?.message ?? 'not a record'}`,
      });
      continue;
    }
    const { id, curation: _curation, ...input } = parsed.data;
    try {
      if (options.check) {
        validateRecord(input as RecordInput, null, now);
        const taken = id !== undefined && (idsSeen.has(id) || (await db.evidenceRecord.findUnique({ where: { id }, select: { id: true } })) !== null);
        if (taken) {
          outcomes.push({ ...base, id: id ?? null, result: 'refused', code: EvidenceErrorCode.RECORD_EXISTS, field: 'id', message: `A record with the id ${id} already exists.` });
        } else {
          outcomes.push({ ...base, id: id ?? null, result: 'valid' });
        }
        if (id !== undefined) idsSeen.add(id);
        continue;
      }
      const created = await createRecord(db, {
        actor: options.actor,
        input: input as RecordInput,
        ...(id !== undefined ? { id } : {}),
        status: options.submit ? 'IN_REVIEW' : 'DRAFT',
        action: 'IMPORTED',
        now,
      });
      outcomes.push({ ...base, id: created, result: 'imported' });
    } catch (error) {
      outcomes.push({ ...base, id: id ?? null, result: 'refused', ...refusal(error) });
    }
  }
  return {
    records: outcomes,
    imported: outcomes.filter((outcome) => outcome.result !== 'refused').length,
    refused: outcomes.filter((outcome) => outcome.result === 'refused').length,
  };
}

/** A plain-text report: one line per record, then the totals. */
export function formatImportReport(report: ImportReport, options: { check?: boolean } = {}): string {
  const lines = report.records.map((outcome) => {
    const name = outcome.title ? `"${outcome.title}"` : '(no title)';
    if (outcome.result === 'refused') return `refused   #${outcome.number} ${name}: [${outcome.code}${outcome.field ? ` ${outcome.field}` : ''}] ${outcome.message}`;
    return `${outcome.result.padEnd(9)} #${outcome.number} ${name} ${outcome.id ?? ''}`.trimEnd();
  });
  const verb = options.check ? 'valid' : 'imported';
  lines.push(`${report.imported} ${verb}, ${report.refused} refused, of ${report.records.length} record(s).`);
  return `${lines.join('\n')}\n`;
}

export interface EvidenceFile {
  format: typeof EVIDENCE_FILE_FORMAT;
  version: typeof EVIDENCE_FILE_VERSION;
  exportedAt: string;
  records: Array<RecordInput & { id: string; curation: Record<string, unknown> }>;
}

/** Every record (or those with the given statuses), oldest first, in the import shape. */
export async function exportEvidenceRecords(
  db: EvidenceClient,
  options: { statuses?: EvidenceStatus[]; now?: Date } = {},
): Promise<EvidenceFile> {
  const rows = await db.evidenceRecord.findMany({
    where: options.statuses ? { status: { in: options.statuses } } : {},
    include: RECORD_CONTENT,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return {
    format: EVIDENCE_FILE_FORMAT,
    version: EVIDENCE_FILE_VERSION,
    exportedAt: (options.now ?? new Date()).toISOString(),
    records: rows.map((row) => ({
      id: row.id,
      ...recordFieldsAsInput(fieldsOf(row)),
      curation: {
        status: row.status,
        revision: row.revision,
        publishedAt: row.publishedAt?.toISOString() ?? null,
        retractedAt: row.retractedAt?.toISOString() ?? null,
        retractionReason: row.retractionReason,
        createdBy: row.createdBy,
        lastEditedBy: row.lastEditedBy,
        isSampleData: row.isSampleData,
      },
    })),
  };
}
