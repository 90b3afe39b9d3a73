// Applies a target's committed migrations to a database, in-process, with no network and no
// native engine. Services call it at start-up.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describeDatabase, type DatabaseLocation } from './database';
import type { Target } from './targets';
import { assessHistory, readAppliedMigrations } from './engine/history';
import { withMigrationLock } from './engine/lock';
import { localMigrations, readMigrations } from './engine/migrations';
import { EngineError, EngineSession } from './engine/session';

export interface MigrateOptions {
  /** Told about each step worth a log line (migrations applied, checks skipped). */
  log?: (message: string) => void;
  /** How long to wait for another process that is migrating the same database (default 2 min). */
  lockTimeoutMs?: number;
}

export interface MigrateResult {
  /** Names of the migrations applied by this call; empty when the database was up to date. */
  applied: string[];
}

/** The database cannot be migrated safely as it stands; nothing was changed. */
export class MigrationRefusedError extends Error {
  override name = 'MigrationRefusedError';
}

/** Applying a migration failed; the engine's message says why. */
export class MigrationFailedError extends Error {
  override name = 'MigrationFailedError';
}

function where(target: Target, location: DatabaseLocation) {
  return `${target.subgraph} (${describeDatabase(location)})`;
}

/**
 * Applies the pending migrations of `target` to `location`, creating the SQLite file's folder,
 * the PostgreSQL schema and the migrations table as needed.
 *
 * - Nothing pending: a single read of `_prisma_migrations`, no engine (a few milliseconds).
 * - Refuses, changing nothing, when a migration failed earlier, was edited after being applied,
 *   or is applied but missing here; when the database has tables but no migration history; and
 *   when the schema has drifted from the applied migrations (checked before applying).
 * - Safe to call from several processes at once: one migrates, the others wait, then find
 *   nothing pending.
 * - Never resets or drops anything.
 */
export async function migrateDatabase(
  target: Target,
  location: DatabaseLocation,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  if (target.kind !== location.kind) {
    throw new Error(`The ${target.subgraph} migrations are for ${target.kind}, but the database is ${location.kind}.`);
  }
  const list = await readMigrations(target.migrationsDir);
  const local = localMigrations(list);
  if (local.length === 0) {
    throw new Error(`No migrations found in ${target.migrationsDir}: create them with "npm run migrate:create -w @sp/prisma".`);
  }
  const quick = assessHistory(local, await readAppliedMigrations(location));
  if (quick.status === 'current') return { applied: [] };
  // Anything else is judged again under the lock: outside it, a migration another process is
  // applying right now looks the same as one that failed.

  const log = options.log ?? (() => undefined);
  return withMigrationLock(location, options.lockTimeoutMs ?? 120_000, async () => {
    // Another process may have migrated while we waited.
    const assessment = assessHistory(local, await readAppliedMigrations(location));
    if (assessment.status === 'current') return { applied: [] };
    if (assessment.status === 'refused') {
      throw new MigrationRefusedError(`Refusing to migrate ${where(target, location)}: ${assessment.reason}`);
    }
    if (location.kind === 'sqlite') await mkdir(path.dirname(location.file), { recursive: true });

    const session = await EngineSession.open({ location, createDirectory: true });
    try {
      if (assessment.fresh) {
        if (!(await session.factory.isEmpty())) {
          throw new MigrationRefusedError(
            `Refusing to migrate ${where(target, location)}: the database already has tables but no migration history. ` +
              'Baseline it with `prisma migrate resolve --applied <migration>` or point it at an empty database.',
          );
        }
      } else {
        await refuseOnDrift(session, list, target, location, log);
      }
      let applied: string[];
      try {
        ({ appliedMigrationNames: applied } = await session.applyMigrations({
          migrationsList: list,
          filters: { externalTables: [], externalEnums: [] },
        }));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new MigrationFailedError(`Migrating ${where(target, location)} failed: ${message}`, { cause: error });
      }
      for (const name of applied) log(`Applied migration ${name} to ${where(target, location)}`);
      return { applied };
    } finally {
      await session.close();
    }
  });
}

/**
 * Compares the database with the migrations already applied to it (by replaying them on a
 * shadow database) and refuses to go on if they differ. Where PostgreSQL will not let us create
 * the temporary shadow database, says so and relies on the history checks alone.
 */
async function refuseOnDrift(
  session: EngineSession,
  list: Awaited<ReturnType<typeof readMigrations>>,
  target: Target,
  location: DatabaseLocation,
  log: (message: string) => void,
) {
  let diagnostic;
  try {
    diagnostic = await session.devDiagnostic({ migrationsList: list, filters: { externalTables: [], externalEnums: [] } });
  } catch (error) {
    if (error instanceof EngineError && /permission denied to create database|must be owner|CREATEDB/i.test(error.message)) {
      log(`Skipped the drift check on ${where(target, location)}: no permission to create a temporary database.`);
      return;
    }
    throw error;
  }
  if (diagnostic.action.tag === 'reset') {
    throw new MigrationRefusedError(
      `Refusing to migrate ${where(target, location)}: ${diagnostic.action.reason.trim()} Nothing was changed.`,
    );
  }
}
