// Checks that every target's schema.prisma is what the models render to, and that its migration
// history produces exactly that schema. Used by scripts/check-migrations.ts (CI) and the tests.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderSchema } from '../schema-files';
import { DATABASE_KINDS, PRISMA_PACKAGE_DIR, SUBGRAPHS, type DatabaseKind, type Target } from '../targets';
import { providerOfLockfile } from './locations';
import { readMigrations, type MigrationList } from './migrations';
import { EngineSession, type EngineLocation } from './session';

export interface CheckMigrationsOptions {
  /** The package folder holding models/ and schemas/ (default: this package). */
  root?: string;
  /** A PostgreSQL server to replay the PostgreSQL histories on (a temporary database is used). */
  postgresUrl?: string;
  /** Count the PostgreSQL targets as failures when there is no server to check them on. */
  requirePostgresql?: boolean;
}

export interface CheckProblem {
  /** e.g. "provider/postgresql" */
  target: string;
  message: string;
}

export interface CheckReport {
  checked: string[];
  skipped: string[];
  problems: CheckProblem[];
}

/** The targets of a package folder laid out like this one. */
export function targetsUnder(root: string): Target[] {
  return SUBGRAPHS.flatMap((subgraph) =>
    DATABASE_KINDS.map((kind) => {
      const dir = path.join(root, 'schemas', subgraph, kind);
      return {
        subgraph,
        kind,
        dir,
        schemaFile: path.join(dir, 'schema.prisma'),
        migrationsDir: path.join(dir, 'migrations'),
        configFile: path.join(dir, 'prisma.config.ts'),
        modelsFile: path.join(root, 'models', `${subgraph}.prisma`),
      };
    }),
  );
}

const nameOf = (target: Target) => `${target.subgraph}/${target.kind}`;

/** A migration's name without its timestamp: "20250101120000_add_phone" gives "add_phone". */
function migrationLabel(directory: string) {
  return directory.replace(/^\d+_/, '');
}

export async function checkMigrations(options: CheckMigrationsOptions = {}): Promise<CheckReport> {
  const root = path.resolve(options.root ?? PRISMA_PACKAGE_DIR);
  const targets = targetsUnder(root);
  const report: CheckReport = { checked: [], skipped: [], problems: [] };
  const problem = (target: Target, message: string) => report.problems.push({ target: nameOf(target), message });

  const histories = new Map<Target, MigrationList>();
  for (const target of targets) {
    const rendered = await renderSchema(target);
    const current = await readFile(target.schemaFile, 'utf8').catch(() => undefined);
    if (current === undefined) {
      problem(target, `${path.relative(root, target.schemaFile)} is missing: run "npm run generate -w @sp/prisma".`);
      continue;
    }
    if (current !== rendered) {
      problem(
        target,
        `${path.relative(root, target.schemaFile)} is out of sync with ${path.relative(root, target.modelsFile)}: ` +
          'run "npm run generate -w @sp/prisma", then create a migration.',
      );
      continue;
    }
    const list = await readMigrations(target.migrationsDir);
    if (list.migrationDirectories.length === 0) {
      problem(target, `no migrations in ${path.relative(root, target.migrationsDir)}.`);
      continue;
    }
    const lockProvider = providerOfLockfile(list.lockfile.content);
    if (lockProvider !== target.kind) {
      problem(
        target,
        `${path.relative(root, path.join(target.migrationsDir, list.lockfile.path))} should say provider = "${target.kind}"` +
          (lockProvider ? `, not "${lockProvider}".` : ' (missing).'),
      );
      continue;
    }
    histories.set(target, list);
  }

  // The models are shared, so each model change needs a migration in both histories.
  for (const subgraph of SUBGRAPHS) {
    const [sqlite, postgresql] = DATABASE_KINDS.map((kind) =>
      targets.find((target) => target.subgraph === subgraph && target.kind === kind),
    );
    const sqliteList = sqlite && histories.get(sqlite);
    const postgresList = postgresql && histories.get(postgresql);
    if (!sqlite || !postgresql || !sqliteList || !postgresList) continue;
    const labels = (list: MigrationList) => list.migrationDirectories.map((directory) => migrationLabel(directory.path));
    const onlySqlite = labels(sqliteList).filter((label) => !labels(postgresList).includes(label));
    const onlyPostgres = labels(postgresList).filter((label) => !labels(sqliteList).includes(label));
    if (onlySqlite.length > 0) {
      problem(postgresql, `has no migration to match the SQLite migration(s) ${onlySqlite.join(', ')}.`);
    }
    if (onlyPostgres.length > 0) {
      problem(sqlite, `has no migration to match the PostgreSQL migration(s) ${onlyPostgres.join(', ')}.`);
    }
  }

  const sessions = new Map<DatabaseKind, EngineSession>();
  try {
    for (const [target, list] of histories) {
      if (target.kind === 'postgresql' && !options.postgresUrl) {
        if (options.requirePostgresql) {
          problem(target, 'not checked: no PostgreSQL server (set TEST_DATABASE_URL or CHECK_DATABASE_URL).');
        } else {
          report.skipped.push(nameOf(target));
        }
        continue;
      }
      let session = sessions.get(target.kind);
      if (!session) {
        const location: EngineLocation =
          target.kind === 'sqlite'
            ? { kind: 'none', provider: 'sqlite' }
            : { kind: 'postgresql', url: options.postgresUrl!, schema: 'public' };
        session = await EngineSession.open({ location });
        sessions.set(target.kind, session);
      }
      const schema = await readFile(target.schemaFile, 'utf8');
      try {
        const result = await session.diff({
          from: { tag: 'migrations', ...list },
          to: { tag: 'schemaDatamodel', files: [{ path: target.schemaFile, content: schema }] },
          script: false,
          exitCode: true,
          filters: { externalTables: [], externalEnums: [] },
        });
        if (result.exitCode !== 0) {
          problem(
            target,
            `the migrations in ${path.relative(root, target.migrationsDir)} do not produce schema.prisma. ` +
              `A migration is missing (npm run migrate:create -w @sp/prisma -- --name <change>). Differences:\n` +
              (result.stdout ?? '').trim(),
          );
        }
      } catch (error) {
        problem(target, `replaying the migrations failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      report.checked.push(nameOf(target));
    }
  } finally {
    for (const session of sessions.values()) await session.close();
  }
  return report;
}
