// Shared by the tests: temporary folders, PostgreSQL schemas, and running the Prisma CLI.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { parsePostgresUrl } from '../src/engine/postgresql';
import { PRISMA_PACKAGE_DIR, type Target } from '../src/targets';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** `describe` for PostgreSQL cases: skipped, cleanly, when TEST_DATABASE_URL is unset. */
export const describePostgres = TEST_DATABASE_URL ? describe : describe.skip;

const cleanups: (() => Promise<unknown>)[] = [];

/** Runs (and forgets) every clean-up registered so far; call it from afterAll/afterEach. */
export async function cleanUp() {
  const pending = cleanups.splice(0);
  for (const cleanup of pending.reverse()) await cleanup().catch(() => undefined);
}

export async function tempDir(prefix = 'sp-prisma-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function pgQuery<T extends pg.QueryResultRow = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const client = new pg.Client(parsePostgresUrl(TEST_DATABASE_URL));
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A schema name no other test uses; dropped by cleanUp(). */
export function uniqueSchema(): string {
  const schema = `sp_test_${randomBytes(5).toString('hex')}`;
  cleanups.push(() => pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  return schema;
}

/** TEST_DATABASE_URL with ?schema= set, as the Prisma CLI takes it. */
export function postgresUrlWithSchema(schema: string): string {
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('schema', schema);
  return url.toString();
}

const require = createRequire(import.meta.url);
const PRISMA_CLI = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
export const ENGINE_BINARY = path.join(PRISMA_PACKAGE_DIR, 'bin', 'schema-engine');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without any database variable of the caller's, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/DATABASE_URL$/.test(key) && key !== 'PRISMA_SCHEMA_ENGINE_BINARY') env[key] = value;
  }
  return { ...env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', NO_COLOR: '1', ...extra };
}

export function run(command: string, args: string[], extraEnv: Record<string, string> = {}, cwd = PRISMA_PACKAGE_DIR): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The unmodified Prisma CLI (which reaches the engine through bin/schema-engine). */
export function prisma(args: string[], env: Record<string, string> = {}, cwd = PRISMA_PACKAGE_DIR): Promise<RunResult> {
  return run(process.execPath, [PRISMA_CLI, ...args], env, cwd);
}

const TSX_CLI = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');

export function tsx(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<RunResult> {
  return run(process.execPath, [TSX_CLI, script, ...args], env);
}

/**
 * A throwaway copy of one target (schema and migrations) with its own prisma.config.ts, for
 * commands that write migrations or change the schema. Never touches the committed files.
 */
export async function copyTarget(target: Target, url: string): Promise<{ dir: string; config: string; schemaFile: string; migrationsDir: string }> {
  const dir = await tempDir(`sp-${target.subgraph}-${target.kind}-`);
  const schemaFile = path.join(dir, 'schema.prisma');
  const migrationsDir = path.join(dir, 'migrations');
  await cp(target.schemaFile, schemaFile);
  await cp(target.migrationsDir, migrationsDir, { recursive: true });
  const config = path.join(dir, 'prisma.config.ts');
  await writeFile(
    config,
    `export default ${JSON.stringify({ schema: schemaFile, migrations: { path: migrationsDir }, datasource: { url } }, null, 2)};\n`,
  );
  return { dir, config, schemaFile, migrationsDir };
}
