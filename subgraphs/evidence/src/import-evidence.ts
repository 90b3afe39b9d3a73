/**
 * `npm run import:evidence -- <file.json> [--submit] [--by <admin id>] [--check]`: loads evidence
 * records from a JSON file (an export, or a list of records shaped like EvidenceRecordInput),
 * validating each on its own. Good records are stored as drafts (with --submit, sent for review,
 * so a second admin can publish them); bad ones are listed with their error code and field.
 * --check validates without writing. Exits 1 when any record was refused, 2 on bad arguments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig, logLevelVariable } from '@sp/runtime/config';
import { createLogger } from '@sp/runtime/logger';
import { describeDatabase, resolveDatabase } from '@sp/prisma/database';
import { openEvidenceDatabase } from '@sp/prisma/evidence';
import { EvidenceFileError, formatImportReport, importEvidenceRecords, recordsInFile } from './transfer/evidence-file';

const USAGE = 'Usage: npm run import:evidence -- <file.json> [--submit] [--by <admin id>] [--check]\n';

const config = loadConfig(z.object({ LOG_LEVEL: logLevelVariable }), process.env);
// Logs go to standard error; the report is the command's output.
const logger = createLogger({ name: 'import-evidence', level: config.LOG_LEVEL, destination: process.stderr });

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { submit: { type: 'boolean' }, by: { type: 'string' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const [file, ...extra] = parsed.positionals;
if (!file || extra.length > 0 || parsed.values.help) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const by = parsed.values.by?.trim();
if (by !== undefined && !/^[\w.@-]{1,100}$/.test(by)) {
  process.stderr.write('--by must be an admin id (letters, digits, ".", "@", "_" or "-").\n');
  process.exit(2);
}

// npm runs workspace scripts in the package folder; a relative path means the caller's folder.
const fullPath = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
let records: unknown[];
try {
  records = recordsInFile(await readFile(fullPath, 'utf8'));
} catch (error) {
  if (!(error instanceof EvidenceFileError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  process.stderr.write(`${error instanceof EvidenceFileError ? error.message : `No such file: ${fullPath}`}\n`);
  process.exit(1);
}

const location = resolveDatabase('evidence', process.env);
const database = await openEvidenceDatabase(location);
logger.info({ database: describeDatabase(location), migrationsApplied: database.appliedMigrations }, 'database ready');
try {
  const actor = by ? `admin:${by}` : `import:${path.basename(fullPath)}`;
  const report = await importEvidenceRecords(database.client, records, {
    actor,
    submit: parsed.values.submit ?? false,
    check: parsed.values.check ?? false,
  });
  process.stdout.write(formatImportReport(report, { check: parsed.values.check ?? false }));
  if (report.refused > 0) process.exitCode = 1;
} finally {
  await database.close();
}
