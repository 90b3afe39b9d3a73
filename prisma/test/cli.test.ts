// The unmodified Prisma CLI, offline, through bin/schema-engine (the WebAssembly engine).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { target } from '../src/targets';
import {
  cleanUp,
  copyTarget,
  describePostgres,
  ENGINE_BINARY,
  pgQuery,
  postgresUrlWithSchema,
  prisma,
  tempDir,
  uniqueSchema,
  type RunResult,
} from './helpers';

afterAll(cleanUp);

const sqliteTarget = target('provider', 'sqlite');
const postgresTarget = target('provider', 'postgresql');

function output(result: RunResult) {
  return `${result.stdout}\n${result.stderr}`;
}

async function committedMigrations(migrationsDir: string) {
  return (await readdir(migrationsDir)).sort();
}

/** Adds a column to the copy of the provider schema. */
async function addPhoneColumn(schemaFile: string) {
  const schema = await readFile(schemaFile, 'utf8');
  await writeFile(schemaFile, schema.replace(/(\n  website\s+String\?\n)/, '$1  faxNumber String?\n'));
}

describe('Prisma CLI on SQLite', () => {
  it('migrate deploy, then migrate status and migrate diff against the committed history', async () => {
    const file = path.join(await tempDir(), 'data', 'provider.db');
    const env = { PROVIDER_DATABASE_URL: `file:${file}` };
    const config = ['--config', sqliteTarget.configFile];

    const deploy = await prisma(['migrate', 'deploy', ...config], env);
    expect(deploy.code, output(deploy)).toBe(0);
    expect(deploy.stdout).toMatch(/All migrations have been successfully applied/);

    const status = await prisma(['migrate', 'status', ...config], env);
    expect(status.code, output(status)).toBe(0);
    expect(status.stdout).toMatch(/Database schema is up to date/);

    const diff = await prisma(
      ['migrate', 'diff', '--from-migrations', sqliteTarget.migrationsDir, '--to-schema', sqliteTarget.schemaFile, '--exit-code', ...config],
      env,
    );
    expect(diff.code, output(diff)).toBe(0);
  });

  it('migrate status reports pending migrations', async () => {
    const file = path.join(await tempDir(), 'provider.db');
    new Database(file).close();
    const status = await prisma(['migrate', 'status', '--config', sqliteTarget.configFile], { PROVIDER_DATABASE_URL: `file:${file}` });
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/have not yet been applied/);
  });

  it('db push creates the tables in a new database', async () => {
    const file = path.join(await tempDir(), 'pushed.db');
    const push = await prisma(['db', 'push', '--config', sqliteTarget.configFile], { PROVIDER_DATABASE_URL: `file:${file}` });
    expect(push.code, output(push)).toBe(0);
    const db = new Database(file);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    db.close();
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['Organization', 'Activity']));
  });

  it('migrate dev creates and applies a migration with the engine\'s SQL, keeping the data; migrate reset empties everything', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'dev.db');
    const copy = await copyTarget(sqliteTarget, `file:${file}`);
    const env = { PRISMA_SCHEMA_ENGINE_BINARY: ENGINE_BINARY };
    const deploy = await prisma(['migrate', 'deploy', '--config', copy.config], env);
    expect(deploy.code, output(deploy)).toBe(0);
    const db = new Database(file);
    db.exec(`INSERT INTO "Organization" (id, name, description, updatedAt) VALUES ('o1', 'Kept', 'd', 0)`);
    db.close();

    await addPhoneColumn(copy.schemaFile);
    const dev = await prisma(['migrate', 'dev', '--name', 'fax_number', '--config', copy.config], env);
    expect(dev.code, output(dev)).toBe(0);
    const created = (await readdir(copy.migrationsDir)).find((name) => name.endsWith('_fax_number'));
    expect(created).toBeDefined();
    expect(await readFile(path.join(copy.migrationsDir, created!, 'migration.sql'), 'utf8')).toMatch(
      /ALTER TABLE "Organization" ADD COLUMN "faxNumber" TEXT/,
    );
    const after = new Database(file);
    expect(after.prepare(`SELECT name, "faxNumber" FROM "Organization"`).all()).toEqual([{ name: 'Kept', faxNumber: null }]);
    // Things the engine's own reset would leave behind.
    after.exec(`CREATE VIEW "Names" AS SELECT name FROM "Organization";
      CREATE TRIGGER "touch" AFTER INSERT ON "Organization" BEGIN SELECT 1; END;
      CREATE TABLE "Stray" (id INTEGER);`);
    after.close();

    const reset = await prisma(['migrate', 'reset', '--force', '--config', copy.config], env);
    expect(reset.code, output(reset)).toBe(0);
    const emptied = new Database(file);
    const objects = emptied.prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
      name: string;
    }[];
    const organizations = emptied.prepare(`SELECT count(*) AS n FROM "Organization"`).get() as { n: number };
    emptied.close();
    const names = objects.map((object) => object.name);
    for (const leftover of ['Names', 'touch', 'Stray']) expect(names).not.toContain(leftover);
    expect(names).toContain('_prisma_migrations');
    expect(Number(organizations.n)).toBe(0);
  });
});

describePostgres('Prisma CLI on PostgreSQL', () => {
  it('migrate deploy into a new schema, then migrate status and migrate diff', async () => {
    const schema = uniqueSchema();
    const env = { PROVIDER_DATABASE_URL: postgresUrlWithSchema(schema) };
    const config = ['--config', postgresTarget.configFile];

    const before = await prisma(['migrate', 'status', ...config], env);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/have not yet been applied/);

    const deploy = await prisma(['migrate', 'deploy', ...config], env);
    expect(deploy.code, output(deploy)).toBe(0);
    const tables = await pgQuery(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining(['Organization', 'Activity', '_prisma_migrations']));

    const status = await prisma(['migrate', 'status', ...config], env);
    expect(status.code, output(status)).toBe(0);
    expect(status.stdout).toMatch(/Database schema is up to date/);

    const diff = await prisma(
      ['migrate', 'diff', '--from-migrations', postgresTarget.migrationsDir, '--to-schema', postgresTarget.schemaFile, '--exit-code', ...config],
      env,
    );
    expect(diff.code, output(diff)).toBe(0);
  });

  it('db push creates the tables in a new schema', async () => {
    const schema = uniqueSchema();
    const push = await prisma(['db', 'push', '--config', postgresTarget.configFile], {
      PROVIDER_DATABASE_URL: postgresUrlWithSchema(schema),
    });
    expect(push.code, output(push)).toBe(0);
    const tables = await pgQuery(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining(['Organization', 'Activity']));
  });

  it('migrate dev --create-only uses a temporary shadow database and leaves the main database\'s data intact', async () => {
    const schema = uniqueSchema();
    const neighbour = uniqueSchema();
    const copy = await copyTarget(postgresTarget, postgresUrlWithSchema(schema));
    const env = { PRISMA_SCHEMA_ENGINE_BINARY: ENGINE_BINARY };
    const committed = await committedMigrations(postgresTarget.migrationsDir);
    const databasesBefore = await pgQuery(`SELECT datname FROM pg_database`);

    const deploy = await prisma(['migrate', 'deploy', '--config', copy.config], env);
    expect(deploy.code, output(deploy)).toBe(0);
    await pgQuery(
      `INSERT INTO "${schema}"."Organization" (id, name, description, "updatedAt") VALUES ('o1', 'Kept', 'd', now());
       CREATE SCHEMA "${neighbour}"; CREATE TABLE "${neighbour}".sentinel (id int); INSERT INTO "${neighbour}".sentinel VALUES (42);`,
    );

    await addPhoneColumn(copy.schemaFile);
    const dev = await prisma(['migrate', 'dev', '--name', 'fax_number', '--create-only', '--config', copy.config], env);
    expect(dev.code, output(dev)).toBe(0);
    const created = (await readdir(copy.migrationsDir)).find((name) => name.endsWith('_fax_number'));
    expect(created).toBeDefined();
    expect(await readFile(path.join(copy.migrationsDir, created!, 'migration.sql'), 'utf8')).toMatch(
      /ALTER TABLE "Organization" ADD COLUMN\s+"faxNumber" TEXT/,
    );

    // The data-loss guard: the engine reset its shadow database, not this one.
    expect(await pgQuery(`SELECT id, name FROM "${schema}"."Organization"`)).toEqual([{ id: 'o1', name: 'Kept' }]);
    expect(await pgQuery(`SELECT id FROM "${neighbour}".sentinel`)).toEqual([{ id: 42 }]);
    // Only the committed migrations are applied; --create-only wrote the new one without applying it.
    const migrations = (await pgQuery(`SELECT migration_name FROM "${schema}"."_prisma_migrations"`)).map((row) => row.migration_name);
    expect(migrations.sort()).toEqual(committed.filter((name) => !name.endsWith('.toml')).sort());
    // The temporary shadow databases are gone.
    const before = new Set(databasesBefore.map((row) => row.datname));
    const leftovers = (await pgQuery(`SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'`)).filter(
      (row) => !before.has(row.datname),
    );
    expect(leftovers).toEqual([]);
    // The committed history is untouched.
    expect(await committedMigrations(postgresTarget.migrationsDir)).toEqual(committed);
  });
});
