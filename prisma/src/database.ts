import path from 'node:path';
import { REPOSITORY_DIR, type Subgraph } from './targets';

export type Env = Record<string, string | undefined>;

export type DatabaseLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgresql'; url: string; schema: string };

export class DatabaseConfigError extends Error {
  override name = 'DatabaseConfigError';
}

function describeUrlVariable(subgraph: Subgraph) {
  return `${subgraph.toUpperCase()}_DATABASE_URL`;
}

/**
 * Where a subgraph keeps its data. With nothing configured: a SQLite file under ./data/.
 * With DATABASE_URL (or PROVIDER_DATABASE_URL etc.) set to a PostgreSQL URL: a schema named
 * after the subgraph in that database, unless the URL names one with ?schema=.
 */
export function resolveDatabase(subgraph: Subgraph, env: Env): DatabaseLocation {
  const specificVariable = describeUrlVariable(subgraph);
  const variable = env[specificVariable] ? specificVariable : env.DATABASE_URL ? 'DATABASE_URL' : undefined;
  const value = variable ? env[variable]! : undefined;
  if (!value) {
    const dataDir = path.resolve(REPOSITORY_DIR, env.DATA_DIR ?? 'data');
    return { kind: 'sqlite', file: path.join(dataDir, `${subgraph}.db`) };
  }
  if (value.startsWith('file:')) {
    const file = value.slice('file:'.length);
    return { kind: 'sqlite', file: path.resolve(REPOSITORY_DIR, file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new DatabaseConfigError(`${variable} is not a valid URL`);
    }
    const schema = parsed.searchParams.get('schema') ?? subgraph;
    if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(schema)) {
      throw new DatabaseConfigError(`${variable}: schema "${schema}" is not a plain SQL identifier`);
    }
    parsed.searchParams.delete('schema');
    return { kind: 'postgresql', url: parsed.toString(), schema };
  }
  throw new DatabaseConfigError(
    `${variable} must be a PostgreSQL URL (postgresql://...) or a SQLite file (file:./data/x.db)`,
  );
}

/** The URL as the Prisma CLI expects it (the schema as a query parameter). */
export function toPrismaUrl(location: DatabaseLocation): string {
  if (location.kind === 'sqlite') return `file:${location.file}`;
  const url = new URL(location.url);
  url.searchParams.set('schema', location.schema);
  return url.toString();
}

/** A safe description for logs: no password. */
export function describeDatabase(location: DatabaseLocation): string {
  if (location.kind === 'sqlite') return `SQLite ${location.file}`;
  const url = new URL(location.url);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname} schema ${location.schema}`;
}
