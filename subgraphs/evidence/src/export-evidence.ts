/**
 * `npm run export:evidence -- [--status PUBLISHED,RETRACTED] [--out file.json]`: writes the
 * evidence records as JSON in the form `import:evidence` reads, to standard output or a file.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig, logLevelVariable } from '@sp/runtime/config';
import { createLogger } from '@sp/runtime/logger';
import { describeDatabase, resolveDatabase } from '@sp/prisma/database';
import { EvidenceStatus, openEvidenceDatabase } from '@sp/prisma/evidence';
import { exportEvidenceRecords } from './transfer/evidence-file';

const USAGE = 'Usage: npm run -s export:evidence -- [--status PUBLISHED,RETRACTED] [--out file.json]\n';

const config = loadConfig(z.object({ LOG_LEVEL: logLevelVariable }), process.env);
const logger = createLogger({ name: 'export-evidence', level: config.LOG_LEVEL, destination: process.stderr });

let parsed;
try {
  parsed = parseArgs({ options: { status: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const known = Object.values(EvidenceStatus) as string[];
const statuses = parsed.values.status?.split(',').map((status) => status.trim().toUpperCase());
const unknown = statuses?.filter((status) => !known.includes(status)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`Unknown status: ${unknown.join(', ')}. Use ${known.join(', ')}.\n`);
  process.exit(2);
}

const location = resolveDatabase('evidence', process.env);
const database = await openEvidenceDatabase(location);
logger.info({ database: describeDatabase(location) }, 'database ready');
try {
  const file = await exportEvidenceRecords(database.client, statuses ? { statuses: statuses as EvidenceStatus[] } : {});
  const json = `${JSON.stringify(file, null, 2)}\n`;
  if (parsed.values.out) {
    const target = path.resolve(process.env.INIT_CWD ?? process.cwd(), parsed.values.out);
    await writeFile(target, json);
    process.stderr.write(`Wrote ${file.records.length} record(s) to ${target}\n`);
  } else {
    process.stdout.write(json);
  }
} finally {
  await database.close();
}
