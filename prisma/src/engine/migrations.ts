// Reads a migrations folder into the shape the schema engine takes, as the Prisma CLI does.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationDirectory, MigrationList } from '@prisma/schema-engine-wasm';

export type { MigrationList };

export const MIGRATION_LOCK_FILE = 'migration_lock.toml';
export const MIGRATION_SCRIPT_FILE = 'migration.sql';

export async function readMigrations(migrationsDir: string, shadowDbInitScript = ''): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const lockContent = await readFile(path.join(baseDir, MIGRATION_LOCK_FILE), 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const migrationDirectories: MigrationDirectory[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const content = await readFile(path.join(baseDir, entry.name, MIGRATION_SCRIPT_FILE), 'utf8').then(
      (value) => ({ tag: 'ok' as const, value }),
      (error: Error) => ({ tag: 'error' as const, value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: MIGRATION_SCRIPT_FILE, content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir,
    lockfile: { path: MIGRATION_LOCK_FILE, content: lockContent },
    shadowDbInitScript,
    migrationDirectories,
  };
}

/** The checksum the engine records in `_prisma_migrations.checksum`: SHA-256 of the script, hex. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

export interface LocalMigration {
  name: string;
  checksum: string;
}

export function localMigrations(list: MigrationList): LocalMigration[] {
  return list.migrationDirectories.map((directory) => {
    if (directory.migrationFile.content.tag === 'error') {
      throw new Error(`Cannot read migration ${directory.path}: ${directory.migrationFile.content.value}`);
    }
    return { name: directory.path, checksum: migrationChecksum(directory.migrationFile.content.value) };
  });
}
