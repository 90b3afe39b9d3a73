// Fails (exit code 1) when a target's schema.prisma is out of sync with the models, or its
// migration history does not produce its schema.prisma. Runs offline, on the WebAssembly engine.
//
//   npm run check:migrations -w @sp/prisma [-- --require-postgresql] [-- --root <package folder>]
//
// SQLite histories are replayed in memory. PostgreSQL histories are replayed in a temporary
// database on the server named by CHECK_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL (the
// first that is a postgresql:// URL); without one they are skipped, unless --require-postgresql.
import { parseArgs } from 'node:util';
import { checkMigrations } from '../src/engine/check-migrations';

const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    'require-postgresql': { type: 'boolean', default: false },
  },
});

const postgresUrl = [process.env.CHECK_DATABASE_URL, process.env.TEST_DATABASE_URL, process.env.DATABASE_URL].find(
  (url) => url && /^postgres(ql)?:\/\//.test(url),
);

const report = await checkMigrations({
  root: values.root,
  postgresUrl,
  requirePostgresql: values['require-postgresql'],
});

for (const target of report.checked) {
  if (!report.problems.some((problem) => problem.target === target)) console.log(`ok       ${target}`);
}
for (const target of report.skipped) {
  console.log(`skipped  ${target} (no PostgreSQL server: set TEST_DATABASE_URL to check it)`);
}
for (const problem of report.problems) {
  console.error(`FAILED   ${problem.target}: ${problem.message}`);
}
if (report.problems.length > 0) {
  console.error(`\n${report.problems.length} problem(s) with the Prisma migrations.`);
  process.exit(1);
}
console.log('Migrations match the models.');
