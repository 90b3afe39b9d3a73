// The WebAssembly engine's loader and the guards in the driver-adapter factories, each against
// the defect it exists for.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, describe, expect, it } from 'vitest';
import { query, RefusedStatementError } from '../src/engine/adapter';
import { readMigrations } from '../src/engine/migrations';
import { PostgresEngineAdapterFactory } from '../src/engine/postgresql';
import { EngineSession } from '../src/engine/session';
import { SqliteEngineAdapterFactory } from '../src/engine/sqlite';
import { schemaEngineVersion } from '../src/engine/wasm';
import { target } from '../src/targets';
import { cleanUp, describePostgres, pgQuery, TEST_DATABASE_URL, tempDir, uniqueSchema } from './helpers';

afterAll(cleanUp);

const NO_FILTERS = { externalTables: [], externalEnums: [] };

describe('WebAssembly schema engine', () => {
  it('loads on this Node and is the engine of prisma 7.10.0', async () => {
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const { version } = JSON.parse(readFileSync(path.join(path.dirname(glue), 'package.json'), 'utf8')) as { version: string };
    expect(await schemaEngineVersion()).toBe(version.split('.').at(-1));
  });
});

describe('SQLite adapter factory', () => {
  it('runs several statements sent to executeRaw (the engine replays whole scripts that way)', async () => {
    const factory = new SqliteEngineAdapterFactory({ file: ':memory:' });
    const connection = await factory.connectToShadowDb();
    await connection.executeRaw(query('CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);'));
    const tables = await connection.queryRaw(query(`SELECT name FROM sqlite_master ORDER BY name`));
    expect(tables.rows).toEqual([['a'], ['b']]);
    await factory.close();
  });

  it('resets by dropping every table, view and trigger, then VACUUM', async () => {
    const file = path.join(await tempDir(), 'reset.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);
      CREATE VIEW v AS SELECT id FROM t;
      CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;`);
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    for (let i = 0; i < 500; i++) insert.run('x'.repeat(2000));
    db.close();
    const sizeBefore = statSync(file).size;

    const factory = new SqliteEngineAdapterFactory({ file });
    await factory.resetMainDatabase();
    await factory.close();

    const after = new Database(file);
    expect(after.prepare(`SELECT name FROM sqlite_master`).all()).toEqual([]);
    after.close();
    expect(statSync(file).size).toBeLessThan(sizeBefore / 10);
  });

  it('refuses to let the engine empty the main database behind our back', async () => {
    const factory = new SqliteEngineAdapterFactory({ file: ':memory:' });
    const main = await factory.connect();
    await expect(main.executeRaw(query('DROP TABLE "_prisma_migrations"'))).rejects.toThrow(RefusedStatementError);
    await factory.close();
  });

  it('closes every connection, so the file is free for the next process', async () => {
    const file = path.join(await tempDir(), 'locked.db');
    const provider = target('provider', 'sqlite');
    const session = await EngineSession.open({ location: { kind: 'sqlite', file } });
    await session.applyMigrations({ migrationsList: await readMigrations(provider.migrationsDir), filters: NO_FILTERS });
    await session.close();
    const next = new Database(file, { timeout: 0 });
    expect(() => next.exec('BEGIN EXCLUSIVE; COMMIT;')).not.toThrow();
    next.close();
  });

  it('reports a database without a migrations table without creating one (no P1014)', async () => {
    const file = path.join(await tempDir(), 'empty.db');
    const provider = target('provider', 'sqlite');
    const session = await EngineSession.open({ location: { kind: 'sqlite', file } });
    const list = await readMigrations(provider.migrationsDir);
    const diagnostic = await session.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS });
    expect(diagnostic.hasMigrationsTable).toBe(false);
    expect(diagnostic.history).toEqual({
      diagnostic: 'databaseIsBehind',
      unappliedMigrationNames: list.migrationDirectories.map((directory) => directory.path),
    });
    expect(await session.factory.hasMigrationsTable()).toBe(false);
    await session.close();
  });

  it('baselines an existing database (markMigrationApplied creates the migrations table)', async () => {
    const file = path.join(await tempDir(), 'existing.db');
    const provider = target('provider', 'sqlite');
    const list = await readMigrations(provider.migrationsDir);
    const db = new Database(file);
    for (const migration of list.migrationDirectories) db.exec(migration.migrationFile.content.value as string);
    db.close();
    const session = await EngineSession.open({ location: { kind: 'sqlite', file } });
    for (const migration of list.migrationDirectories) {
      await session.markMigrationApplied({ migrationName: migration.path, migrationsList: list });
    }
    const diagnostic = await session.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS });
    expect(diagnostic.history).toBeNull();
    await session.close();
  });
});

describePostgres('PostgreSQL adapter factory', () => {
  const url = TEST_DATABASE_URL!;

  it('documents the defect guarded against: the stock adapter\'s shadow connection reaches the main database', async () => {
    const stock = new PrismaPg(url);
    const shadow = await stock.connectToShadowDb();
    const reached = await shadow.queryRaw(query('SELECT current_database()'));
    await shadow.dispose();
    expect(reached.rows[0]?.[0]).toBe(new URL(url).pathname.slice(1));
  });

  it('gives the engine a temporary shadow database, and drops it afterwards', async () => {
    const factory = new PostgresEngineAdapterFactory({ url, schema: uniqueSchema() });
    const shadow = await factory.connectToShadowDb();
    const [name] = (await shadow.queryRaw(query('SELECT current_database()'))).rows[0] as [string];
    expect(name).toMatch(/^prisma_shadow_[0-9a-f]{16}$/);
    expect(name).not.toBe(new URL(url).pathname.slice(1));
    await shadow.dispose();
    expect(await pgQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name])).toEqual([]);
    await factory.close();
  });

  it('drops leftover shadow databases on close', async () => {
    const factory = new PostgresEngineAdapterFactory({ url, schema: uniqueSchema() });
    const shadow = await factory.connectToShadowDb();
    const [name] = (await shadow.queryRaw(query('SELECT current_database()'))).rows[0] as [string];
    await factory.close();
    expect(await pgQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name])).toEqual([]);
  });

  it('works in its own schema (search_path), creating it when missing', async () => {
    const schema = uniqueSchema();
    const factory = new PostgresEngineAdapterFactory({ url, schema });
    const main = await factory.connect();
    expect((await main.queryRaw(query('SELECT current_schema()'))).rows).toEqual([[schema]]);
    await main.executeRaw(query('CREATE TABLE here (id int)'));
    expect(await pgQuery('SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_schema = $2', ['here', schema])).toHaveLength(1);
    await factory.close();
  });

  it('refuses to let the engine drop the main schema or its migrations table', async () => {
    const factory = new PostgresEngineAdapterFactory({ url, schema: uniqueSchema() });
    const main = await factory.connect();
    await expect(main.executeRaw(query(`DROP SCHEMA "${factory.schema}" CASCADE`))).rejects.toThrow(RefusedStatementError);
    await expect(main.executeScript('DROP TABLE _prisma_migrations')).rejects.toThrow(RefusedStatementError);
    await factory.close();
  });

  it('sends a script whole: $$ bodies survive, and a failing script changes nothing', async () => {
    const schema = uniqueSchema();
    const factory = new PostgresEngineAdapterFactory({ url, schema });
    const main = await factory.connect();
    await main.executeScript(`CREATE FUNCTION answer() RETURNS int AS $$ SELECT 41; SELECT 42; $$ LANGUAGE sql;`);
    expect((await main.queryRaw(query('SELECT answer() AS a'))).rows).toEqual([[42]]);
    await expect(main.executeScript('CREATE TABLE first (id int); CREATE TABLE first (id int);')).rejects.toThrow(/already exists/);
    expect(await pgQuery('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [schema, 'first'])).toEqual([]);
    await factory.close();
  });

  it('reads the catalogue type "char" (OID 18) as text', async () => {
    const factory = new PostgresEngineAdapterFactory({ url, schema: uniqueSchema() });
    const main = await factory.connect();
    const result = await main.queryRaw(query(`SELECT 'r'::"char" AS kind, relkind FROM pg_class WHERE relname = 'pg_class'`));
    expect(result.rows).toEqual([['r', 'r']]);
    await factory.close();
  });
});
