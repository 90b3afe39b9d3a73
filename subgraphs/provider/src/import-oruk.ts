/**
 * `npm run import:oruk -- <file or URL>`: imports Open Referral UK 3.0 services (a page
 * `{"contents": [...]}`, a list, or one service) into the provider's directory and prints a
 * report. Exits 1 only when the input cannot be read or nothing in it could be imported.
 */
import { z } from 'zod';
import { loadConfig, logLevelVariable } from '@sp/runtime/config';
import { createLogger } from '@sp/runtime/logger';
import { describeDatabase, resolveDatabase } from '@sp/prisma/database';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies } from '@sp/prisma/reference/vocabularies';
import { importOrukServices, ImportInputError, servicesInDocument } from './oruk/import';
import { formatImportReport } from './oruk/report';
import { readOrukSource } from './oruk/source';

const config = loadConfig(z.object({ LOG_LEVEL: logLevelVariable }), process.env);
// Logs go to standard error; the report is the command's output.
const logger = createLogger({ name: 'import-oruk', level: config.LOG_LEVEL, destination: process.stderr });

const [source, ...extra] = process.argv.slice(2);
if (!source || extra.length > 0 || source === '--help' || source === '-h') {
  process.stderr.write('Usage: npm run import:oruk -- <file or http(s) URL of an ORUK page, list of services or service>\n');
  process.exit(2);
}

let records: unknown[];
try {
  // npm runs workspace scripts in the package folder; a relative path means the caller's folder.
  records = servicesInDocument(await readOrukSource(source, { cwd: process.env.INIT_CWD ?? process.cwd() }));
} catch (error) {
  if (!(error instanceof ImportInputError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const location = resolveDatabase('provider', process.env);
const database = await openProviderDatabase(location);
logger.info({ database: describeDatabase(location), migrationsApplied: database.appliedMigrations }, 'database ready');
try {
  await ensureVocabularies(database.client);
  const report = await importOrukServices(database.client, records, { logger });
  process.stdout.write(formatImportReport(report, source));
  const saved = report.created + report.updated + report.unchanged;
  if (saved === 0) {
    process.stderr.write(records.length === 0 ? 'The input holds no services.\n' : 'Nothing could be imported.\n');
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
