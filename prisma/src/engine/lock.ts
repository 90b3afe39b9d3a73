// Lets one process at a time migrate a database, and one call at a time within a process.
// Locks are released by the operating system or the server if the holder dies.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseLocation } from '../database';
import { parsePostgresUrl } from './postgresql';

const inProcess = new Map<string, Promise<unknown>>();

function lockKey(location: DatabaseLocation): string {
  if (location.kind === 'sqlite') return `sqlite:${path.resolve(location.file)}`;
  const fields = parsePostgresUrl(location.url);
  return `postgresql:${fields.host}:${fields.port}/${fields.database}/${location.schema}`;
}

/** Runs `work` while holding the migration lock for this database. */
export async function withMigrationLock<T>(
  location: DatabaseLocation,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const key = lockKey(location);
  const previous = inProcess.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withProcessLock(location, key, timeoutMs, work));
  const settled = run.catch(() => undefined);
  inProcess.set(key, settled);
  try {
    return await run;
  } finally {
    if (inProcess.get(key) === settled) inProcess.delete(key);
  }
}

async function withProcessLock<T>(location: DatabaseLocation, key: string, timeoutMs: number, work: () => Promise<T>) {
  return location.kind === 'sqlite'
    ? withSqliteLock(location.file, timeoutMs, work)
    : withPostgresLock(location.url, key, timeoutMs, work);
}

/**
 * A sidecar SQLite file held in an exclusive transaction. (The database itself cannot serve: the
 * engine's own connection must be free to write to it.)
 */
async function withSqliteLock<T>(file: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = new Database(`${file}.migrate-lock.db`, { timeout: timeoutMs });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    throw new Error(`Timed out waiting for another process to finish migrating ${file}`, { cause: error });
  }
  try {
    return await work();
  } finally {
    try {
      lock.exec('COMMIT');
    } finally {
      lock.close();
    }
  }
}

/** A PostgreSQL session-level advisory lock, keyed by database and schema. */
async function withPostgresLock<T>(url: string, key: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({
    ...parsePostgresUrl(url),
    application_name: 'sp-migrate-lock',
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
  });
  await client.connect();
  try {
    try {
      await client.query(`SELECT pg_advisory_lock(hashtext('sp-prisma-migrate'), hashtext($1))`, [key]);
    } catch (error) {
      throw new Error(`Timed out waiting for another process to finish migrating (${key})`, { cause: error });
    }
    try {
      return await work();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('sp-prisma-migrate'), hashtext($1))`, [key]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
