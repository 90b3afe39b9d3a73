// Fast batch inserts for the benchmark's synthetic directory, straight through the database
// drivers (Prisma's createMany manages about 2,000 rows a second here; this, tens of thousands).
// Values are written in the forms Prisma reads back: on SQLite, DateTime as
// "2026-01-01T10:00:00.000+00:00" text and Boolean as 0/1.
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseLocation } from '@sp/prisma/database';

export type Row = Record<string, unknown>;

export interface BulkWriter {
  insert(table: string, rows: Row[]): Promise<void>;
  close(): Promise<void>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function columnsOf(rows: Row[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  return [...columns];
}

function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? null;
}

function sqliteWriter(file: string): BulkWriter {
  const db = new Database(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return {
    async insert(table, rows) {
      if (rows.length === 0) return;
      const columns = columnsOf(rows);
      const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
      const statementFor = (count: number) =>
        db.prepare(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${Array.from({ length: count }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`);
      const full = statementFor(Math.min(perStatement, rows.length));
      db.transaction(() => {
        for (let start = 0; start < rows.length; start += perStatement) {
          const batch = rows.slice(start, start + perStatement);
          const values = batch.flatMap((row) => columns.map((column) => sqliteValue(row[column])));
          (batch.length === perStatement || batch.length === rows.length ? full : statementFor(batch.length)).run(values);
        }
      })();
    },
    async close() {
      db.close();
    },
  };
}

async function postgresWriter(url: string, schema: string): Promise<BulkWriter> {
  const parsed = new URL(url);
  const client = new pg.Client({
    host: decodeURIComponent(parsed.hostname) || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    options: `-c search_path=${quote(schema)}`,
  });
  await client.connect();
  return {
    async insert(table, rows) {
      if (rows.length === 0) return;
      const columns = columnsOf(rows);
      const perStatement = Math.max(1, Math.floor(60_000 / columns.length));
      await client.query('BEGIN');
      try {
        for (let start = 0; start < rows.length; start += perStatement) {
          const batch = rows.slice(start, start + perStatement);
          const values: unknown[] = [];
          const tuples = batch.map((row) => `(${columns.map((column) => {
            const value = row[column];
            values.push(value instanceof Date ? value.toISOString() : value ?? null);
            return `$${values.length}`;
          }).join(', ')})`);
          await client.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`, values);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    async close() {
      await client.end();
    },
  };
}

export function openBulkWriter(location: DatabaseLocation): Promise<BulkWriter> {
  return location.kind === 'sqlite' ? Promise.resolve(sqliteWriter(location.file)) : postgresWriter(location.url, location.schema);
}
