// migrateDatabase on real databases: a temporary SQLite file always, and a PostgreSQL schema of
// its own when TEST_DATABASE_URL is set.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseLocation } from '../src/database';
import { MigrationRefusedError, migrateDatabase } from '../src/migrate';
import { target, type DatabaseKind, type Target } from '../src/targets';
import { cleanUp, pgQuery, TEST_DATABASE_URL, tempDir, tsx, uniqueSchema } from './helpers';

afterAll(cleanUp);

const kinds: DatabaseKind[] = TEST_DATABASE_URL ? ['sqlite', 'postgresql'] : ['sqlite'];

async function freshLocation(kind: DatabaseKind): Promise<DatabaseLocation> {
  if (kind === 'sqlite') {
    // A folder that does not exist yet: migrateDatabase creates it.
    return { kind, file: path.join(await tempDir(), 'nested', 'data', 'provider.db') };
  }
  return { kind, url: TEST_DATABASE_URL!, schema: uniqueSchema() };
}

/** Runs a query on the database directly (not through Prisma). */
async function sql(location: DatabaseLocation, statement: string): Promise<Record<string, unknown>[]> {
  if (location.kind === 'sqlite') {
    const db = new Database(location.file);
    try {
      return db.prepare(statement).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  return pgQuery(statement.replace(/\bFROM (\w+)/, `FROM "${location.schema}".$1`));
}

async function tableNames(location: DatabaseLocation): Promise<string[]> {
  const rows =
    location.kind === 'sqlite'
      ? await sql(location, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      : await pgQuery(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [
          location.schema,
        ]);
  return rows.map((row) => String(row.name));
}

async function exec(location: DatabaseLocation, statement: string) {
  if (location.kind === 'sqlite') {
    const db = new Database(location.file);
    try {
      db.exec(statement);
    } finally {
      db.close();
    }
  } else {
    await pgQuery(`CREATE SCHEMA IF NOT EXISTS "${location.schema}"; SET search_path TO "${location.schema}"; ${statement}`);
  }
}

/** A copy of a target's migrations, plus extra migrations, in a temporary folder. */
async function targetWith(base: Target, extra: Record<string, string>): Promise<Target> {
  const migrationsDir = path.join(await tempDir('sp-migrations-'), 'migrations');
  await cp(base.migrationsDir, migrationsDir, { recursive: true });
  for (const [name, script] of Object.entries(extra)) {
    await mkdir(path.join(migrationsDir, name), { recursive: true });
    await writeFile(path.join(migrationsDir, name, 'migration.sql'), script);
  }
  return { ...base, migrationsDir };
}

const EXTRA = { '20990101000000_extra': 'CREATE TABLE "Extra" ("id" TEXT NOT NULL PRIMARY KEY);\n' };

describe.each(kinds)('migrateDatabase on %s', (kind) => {
  const provider = target('provider', kind);

  it('creates the database and its tables, then finds nothing pending, quickly', async () => {
    const location = await freshLocation(kind);
    const first = await migrateDatabase(provider, location);
    expect(first.applied).toEqual(await migrationNames(provider));
    expect(await tableNames(location)).toEqual(expect.arrayContaining(['Organization', 'Activity', '_prisma_migrations']));

    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect((await migrateDatabase(provider, location)).applied).toEqual([]);
      timings.push(performance.now() - started);
    }
    const median = timings.sort((a, b) => a - b)[2]!;
    console.log(`migrateDatabase with nothing pending on ${kind}: median ${median.toFixed(1)} ms`);
    expect(median).toBeLessThan(250);
  });

  if (kind === 'sqlite') {
    it('records the migration times as epoch milliseconds, as the native engine does', async () => {
      const location = await freshLocation(kind);
      await migrateDatabase(provider, location);
      const [row] = await sql(location, 'SELECT started_at, finished_at FROM _prisma_migrations');
      expect(typeof row?.started_at).toBe('number');
      expect(typeof row?.finished_at).toBe('number');
      expect(Math.abs(Number(row?.finished_at) - Date.now())).toBeLessThan(60_000);
    });
  }

  it('applies a new migration to a database that is behind', async () => {
    const location = await freshLocation(kind);
    await migrateDatabase(provider, location);
    const next = await targetWith(provider, EXTRA);
    expect((await migrateDatabase(next, location)).applied).toEqual(['20990101000000_extra']);
    expect(await tableNames(location)).toContain('Extra');
  });

  it('refuses, changing nothing, when a migration failed earlier', async () => {
    const location = await freshLocation(kind);
    await migrateDatabase(provider, location);
    await exec(location, `UPDATE "_prisma_migrations" SET finished_at = NULL`);
    const next = await targetWith(provider, EXTRA);
    await expect(migrateDatabase(next, location)).rejects.toThrow(MigrationRefusedError);
    await expect(migrateDatabase(next, location)).rejects.toThrow(/failed when it was last applied/);
    expect(await tableNames(location)).not.toContain('Extra');
  });

  it('refuses when an applied migration was edited afterwards', async () => {
    const location = await freshLocation(kind);
    await migrateDatabase(provider, location);
    await exec(location, `UPDATE "_prisma_migrations" SET checksum = 'edited'`);
    await expect(migrateDatabase(provider, location)).rejects.toThrow(/modified after they were applied/);
  });

  it('refuses when the database has a migration this code does not know', async () => {
    const location = await freshLocation(kind);
    await migrateDatabase(await targetWith(provider, EXTRA), location);
    await expect(migrateDatabase(provider, location)).rejects.toThrow(/not in the migrations folder/);
  });

  it('refuses a database that has tables but no migration history', async () => {
    const location = await freshLocation(kind);
    if (location.kind === 'sqlite') await mkdir(path.dirname(location.file), { recursive: true });
    await exec(location, `CREATE TABLE "Legacy" (id INTEGER); INSERT INTO "Legacy" VALUES (1);`);
    await expect(migrateDatabase(provider, location)).rejects.toThrow(/already has tables but no migration history/);
    expect(await tableNames(location)).toEqual(['Legacy']);
  });

  it('refuses to apply pending migrations on top of drift, and applies nothing', async () => {
    const location = await freshLocation(kind);
    await migrateDatabase(provider, location);
    await exec(location, `ALTER TABLE "Organization" ADD COLUMN "rogue" TEXT`);
    const next = await targetWith(provider, EXTRA);
    await expect(migrateDatabase(next, location)).rejects.toThrow(/drift/i);
    expect(await tableNames(location)).not.toContain('Extra');
  });

  it('is safe to call from several processes at once', async () => {
    const location = await freshLocation(kind);
    const dir = await tempDir('sp-concurrent-');
    const script = path.join(dir, 'migrate-once.mts');
    await writeFile(
      script,
      [
        `import { migrateDatabase } from ${JSON.stringify(path.resolve(import.meta.dirname, '../src/migrate.ts'))};`,
        `import { target } from ${JSON.stringify(path.resolve(import.meta.dirname, '../src/targets.ts'))};`,
        `const result = await migrateDatabase(target('provider', ${JSON.stringify(kind)}), ${JSON.stringify(location)});`,
        `console.log(JSON.stringify(result));`,
      ].join('\n'),
    );
    const results = await Promise.all([tsx(script), tsx(script), tsx(script)]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const applied = results.flatMap((result) => (JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { applied: string[] }).applied);
    // Each migration is applied exactly once, by whichever process got there first.
    expect(applied.sort()).toEqual(await migrationNames(target('provider', kind)));
    expect(await tableNames(location)).toContain('Organization');
  });
});

async function migrationNames(t: Target): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const entries = (await readdir(t.migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  return entries.map((entry) => entry.name).sort();
}

