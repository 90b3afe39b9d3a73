// Reads `_prisma_migrations` directly (no engine) and compares it with the migrations folder:
// enough to know, in a few milliseconds, that nothing is pending, or that something is wrong.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseLocation } from '../database';
import { MIGRATIONS_TABLE, quoteIdentifier } from './adapter';
import type { LocalMigration } from './migrations';
import { parsePostgresUrl } from './postgresql';

export interface AppliedRow {
  migrationName: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
}

/** The rows of the migrations table, or null when the database or the table does not exist. */
export async function readAppliedMigrations(location: DatabaseLocation, busyTimeoutMs = 30_000): Promise<AppliedRow[] | null> {
  return location.kind === 'sqlite'
    ? readSqlite(location.file, busyTimeoutMs)
    : readPostgres(location.url, location.schema, busyTimeoutMs);
}

type RawRow = { migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown };

function toRows(raw: RawRow[]): AppliedRow[] {
  return raw.map((row) => ({
    migrationName: row.migration_name,
    checksum: row.checksum,
    finished: row.finished_at !== null && row.finished_at !== undefined,
    rolledBack: row.rolled_back_at !== null && row.rolled_back_at !== undefined,
  }));
}

const SELECT_ROWS = `SELECT migration_name, checksum, finished_at, rolled_back_at FROM`;

function readSqlite(file: string, busyTimeoutMs: number): AppliedRow[] | null {
  if (!existsSync(file)) return null;
  const db = new Database(file, { fileMustExist: true, timeout: busyTimeoutMs });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
    if (!table) return null;
    return toRows(db.prepare(`${SELECT_ROWS} ${quoteIdentifier(MIGRATIONS_TABLE)}`).all() as RawRow[]);
  } finally {
    db.close();
  }
}

async function readPostgres(url: string, schema: string, timeoutMs: number): Promise<AppliedRow[] | null> {
  const fields = parsePostgresUrl(url);
  const client = new pg.Client({ ...fields, connectionTimeoutMillis: timeoutMs, application_name: 'sp-migrate' });
  await client.connect();
  try {
    const result = await client.query<RawRow>(`${SELECT_ROWS} ${quoteIdentifier(schema)}.${quoteIdentifier(MIGRATIONS_TABLE)}`);
    return toRows(result.rows);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // undefined_table, invalid_schema_name
    if (code === '42P01' || code === '3F000') return null;
    throw error;
  } finally {
    await client.end();
  }
}

export type HistoryAssessment =
  | { status: 'current' }
  | { status: 'pending'; pending: string[]; fresh: boolean }
  | { status: 'refused'; reason: string };

/** Compares the database's history with the folder's, as `migrate deploy` would, and stricter. */
export function assessHistory(local: LocalMigration[], rows: AppliedRow[] | null): HistoryAssessment {
  if (rows === null) return { status: 'pending', pending: local.map((m) => m.name), fresh: true };
  const failed = rows.filter((row) => !row.finished && !row.rolledBack);
  if (failed.length > 0) {
    const names = failed.map((row) => row.migrationName).join(', ');
    return {
      status: 'refused',
      reason:
        `migration ${names} failed when it was last applied. Fix the database by hand, then mark it with ` +
        '`prisma migrate resolve --rolled-back <name>` or `--applied <name>`.',
    };
  }
  const applied = new Map(rows.filter((row) => row.finished && !row.rolledBack).map((row) => [row.migrationName, row.checksum]));
  const localNames = new Set(local.map((migration) => migration.name));
  const unknown = [...applied.keys()].filter((name) => !localNames.has(name));
  if (unknown.length > 0) {
    return {
      status: 'refused',
      reason: `the database has migration(s) ${unknown.join(', ')} that are not in the migrations folder (is this code older than the database?).`,
    };
  }
  const edited = local.filter((migration) => applied.has(migration.name) && applied.get(migration.name) !== migration.checksum);
  if (edited.length > 0) {
    return {
      status: 'refused',
      reason: `migration(s) ${edited.map((m) => m.name).join(', ')} were modified after they were applied.`,
    };
  }
  const pending = local.filter((migration) => !applied.has(migration.name)).map((migration) => migration.name);
  return pending.length === 0 ? { status: 'current' } : { status: 'pending', pending, fresh: applied.size === 0 };
}
