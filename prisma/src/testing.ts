import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseLocation, Env } from './database';
import { postgresPoolConfig, quoteIdentifier } from './postgres';
import type { DatabaseKind, Subgraph } from './targets';

/**
 * Which databases the tests run on: always SQLite; PostgreSQL too when TEST_DATABASE_URL is set
 * (CI sets it), so every data-layer and subgraph test covers both.
 */
export function testDatabaseKinds(env: Env = process.env): DatabaseKind[] {
  return env.TEST_DATABASE_URL ? ['sqlite', 'postgresql'] : ['sqlite'];
}

export interface TestDatabaseLocation {
  location: DatabaseLocation;
  /** Deletes the temporary file or schema. */
  destroy(): Promise<void>;
}

/** A fresh, empty place for one subgraph's data: a temporary SQLite file or a new PostgreSQL schema. */
export async function createTestDatabaseLocation(
  subgraph: Subgraph,
  kind: DatabaseKind,
  env: Env = process.env,
): Promise<TestDatabaseLocation> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), `sp-${subgraph}-`));
    return {
      location: { kind: 'sqlite', file: path.join(dir, `${subgraph}.db`) },
      destroy: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const url = env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: PostgreSQL tests need it');
  const schema = `test_${subgraph}_${randomBytes(5).toString('hex')}`;
  return {
    location: { kind: 'postgresql', url, schema },
    async destroy() {
      const client = new pg.Client(postgresPoolConfig(url, 'public'));
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
