// Bulk import and export as JSON, validated record by record, on each database; and the two
// commands as a person runs them.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPrismaUrl } from '@sp/prisma/database';
import { openEvidenceDatabase } from '@sp/prisma/evidence';
import { SAMPLE_EVIDENCE, seedEvidenceSample } from '@sp/prisma/sample/evidence';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import {
  EvidenceFileError,
  exportEvidenceRecords,
  formatImportReport,
  importEvidenceRecords,
  recordsInFile,
} from '../src/transfer/evidence-file';
import { VALID_INPUT } from './support/records';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

type Database = Awaited<ReturnType<typeof openEvidenceDatabase>>;

async function openFresh(kind: 'sqlite' | 'postgresql') {
  const place = await createTestDatabaseLocation('evidence', kind);
  const database = await openEvidenceDatabase(place.location);
  return { place, database };
}

describe.each(testDatabaseKinds())('importing and exporting evidence on %s', (kind) => {
  let place: TestDatabaseLocation;
  let database: Database;
  let dir: string;

  beforeAll(async () => {
    ({ place, database } = await openFresh(kind));
    dir = await mkdtemp(path.join(tmpdir(), 'sp-evidence-transfer-'));
  });
  afterAll(async () => {
    await database?.close();
    await place?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores the valid records and refuses the others one by one, each with its code and field', async () => {
    const records = [
      { ...VALID_INPUT, id: 'imported-1' },
      { ...VALID_INPUT, title: 'Bad DOI', doi: 'doi:nope' },
      { ...VALID_INPUT, title: 'Unknown term', activityTypes: ['juggling'] },
      { ...VALID_INPUT, title: 'No measure', outcomes: [{ measured: 'Mood', direction: 'IMPROVEMENT' }] },
      { ...VALID_INPUT, title: 'Future', publicationDate: '2999' },
      { ...VALID_INPUT, title: 'Typo', sumary: 'misspelt field' },
      { ...VALID_INPUT, title: 'Second good one' },
      'not a record',
    ];
    const report = await importEvidenceRecords(database.client, records, { actor: 'admin:evaluator' });
    expect(report).toMatchObject({ imported: 2, refused: 6 });
    expect(report.records.map((outcome) => [outcome.number, outcome.result, outcome.code ?? null, outcome.field ?? null])).toEqual([
      [1, 'imported', null, null],
      [2, 'refused', 'INVALID_DOI', 'doi'],
      [3, 'refused', 'UNKNOWN_TAXONOMY_TERM', 'activityTypes'],
      [4, 'refused', 'OUTCOME_MEASURE_REQUIRED', 'outcomes[0].measure'],
      [5, 'refused', 'PUBLICATION_DATE_IN_FUTURE', 'publicationDate'],
      [6, 'refused', 'BAD_USER_INPUT', null],
      [7, 'imported', null, null],
      [8, 'refused', 'BAD_USER_INPUT', null],
    ]);
    expect(report.records[5]!.message).toContain('sumary');
    expect(formatImportReport(report)).toContain('2 imported, 6 refused, of 8 record(s).');

    const stored = await database.client.evidenceRecord.findUniqueOrThrow({ where: { id: 'imported-1' }, include: { revisions: true } });
    expect(stored).toMatchObject({ status: 'DRAFT', createdBy: 'admin:evaluator', lastEditedBy: 'admin:evaluator' });
    expect(stored.revisions.map((revision) => [revision.action, revision.actor])).toEqual([['IMPORTED', 'admin:evaluator']]);

    const again = await importEvidenceRecords(database.client, [{ ...VALID_INPUT, id: 'imported-1' }], { actor: 'admin:evaluator' });
    expect(again.records[0]).toMatchObject({ result: 'refused', code: 'RECORD_EXISTS', field: 'id' });
  });

  it('sends imported records for review when asked, and writes nothing when only checking', async () => {
    const submitted = await importEvidenceRecords(database.client, [{ ...VALID_INPUT, id: 'for-review' }], { actor: 'import:set.json', submit: true });
    expect(submitted.imported).toBe(1);
    expect((await database.client.evidenceRecord.findUniqueOrThrow({ where: { id: 'for-review' } })).status).toBe('IN_REVIEW');

    const before = await database.client.evidenceRecord.count();
    const checked = await importEvidenceRecords(
      database.client,
      [{ ...VALID_INPUT, id: 'fresh' }, { ...VALID_INPUT, id: 'fresh' }, { ...VALID_INPUT, id: 'for-review' }, { ...VALID_INPUT, doi: 'x' }],
      { actor: 'import:set.json', check: true },
    );
    expect(checked.records.map((outcome) => outcome.code ?? outcome.result)).toEqual(['valid', 'RECORD_EXISTS', 'RECORD_EXISTS', 'INVALID_DOI']);
    expect(formatImportReport(checked, { check: true })).toContain('1 valid, 3 refused');
    expect(await database.client.evidenceRecord.count()).toBe(before);
  });

  it('exports records in the form it imports, so a reviewed set moves between databases unchanged', async () => {
    const source = await openFresh(kind);
    const target = await openFresh(kind);
    try {
      expect(await seedEvidenceSample(source.database.client)).toBe(SAMPLE_EVIDENCE.length);
      const exported = await exportEvidenceRecords(source.database.client, { statuses: ['PUBLISHED'] });
      expect(exported).toMatchObject({ format: 'social-prescribing-evidence', version: 1 });
      expect(exported.records).toHaveLength(SAMPLE_EVIDENCE.length);
      expect(exported.records[0]!.curation).toMatchObject({ status: 'PUBLISHED', isSampleData: true });

      const report = await importEvidenceRecords(target.database.client, recordsInFile(JSON.stringify(exported)), { actor: 'admin:evaluator', submit: true });
      expect(report).toMatchObject({ imported: SAMPLE_EVIDENCE.length, refused: 0 });
      const reexported = await exportEvidenceRecords(target.database.client);
      const content = (file: typeof exported) =>
        file.records.map(({ curation: _curation, ...record }) => record).sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(content(reexported)).toEqual(content(exported));
      expect(reexported.records.every((record) => record.curation.status === 'IN_REVIEW')).toBe(true);
    } finally {
      for (const opened of [source, target]) {
        await opened.database.close();
        await opened.place.destroy();
      }
    }
  });

  it('rejects a file that is not a list of records', () => {
    expect(() => recordsInFile('{ nope')).toThrow(EvidenceFileError);
    expect(() => recordsInFile('{"items": []}')).toThrow(/records/);
    expect(() => recordsInFile('{"format": "other", "records": []}')).toThrow(/format/);
    expect(recordsInFile('[{"title": "x"}]')).toEqual([{ title: 'x' }]);
  });

  it('runs as `npm run import:evidence -- <file>` and `export:evidence`, exiting 1 when a record is refused', async () => {
    const file = path.join(dir, 'reviewed-set.json');
    await writeFile(file, JSON.stringify({ records: [{ ...VALID_INPUT, id: 'from-cli' }, { ...VALID_INPUT, conditions: ['gout'] }] }));
    const env = { ...process.env, EVIDENCE_DATABASE_URL: toPrismaUrl(place.location), LOG_LEVEL: 'silent', INIT_CWD: dir };
    const tsx = path.join(PACKAGE_DIR, 'node_modules', '.bin', 'tsx');
    const bin = (await import('node:fs')).existsSync(tsx) ? tsx : path.join(PACKAGE_DIR, '..', '..', 'node_modules', '.bin', 'tsx');

    const failed = await run(bin, ['src/import-evidence.ts', 'reviewed-set.json', '--by', 'alice', '--submit'], { cwd: PACKAGE_DIR, env }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('imported  #1 ');
    expect(failed?.stdout).toMatch(/refused +#2 .*\[UNKNOWN_TAXONOMY_TERM conditions\]/);
    expect((await database.client.evidenceRecord.findUniqueOrThrow({ where: { id: 'from-cli' } })).lastEditedBy).toBe('admin:alice');

    const exported = await run(bin, ['src/export-evidence.ts', '--status', 'in_review'], { cwd: PACKAGE_DIR, env });
    const ids = (JSON.parse(exported.stdout) as { records: Array<{ id: string }> }).records.map((record) => record.id);
    expect(ids).toContain('from-cli');
    expect(ids).not.toContain('imported-1');

    const usage = await run(bin, ['src/import-evidence.ts'], { cwd: PACKAGE_DIR, env }).catch((error: { code: number; stderr: string }) => error);
    expect(usage).toMatchObject({ code: 2 });
  });
});
