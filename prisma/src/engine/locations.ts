// Turns the URLs the Prisma CLI hands the engine into engine locations.
import path from 'node:path';
import type { DatabaseKind } from '../targets';
import type { EngineLocation } from './session';

export interface DatasourceArgument {
  url?: string;
  shadowDatabaseUrl?: string;
}

export function kindOfUrl(url: string): DatabaseKind | undefined {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  return undefined;
}

/** A SQLite URL's file, resolved against `baseDir` (the CLI runs the engine in the config's folder). */
export function sqliteFileOf(url: string, baseDir: string): string {
  let rest = url.slice('file:'.length);
  if (rest.startsWith('//')) rest = rest.slice(2);
  const file = decodeURIComponent(rest.split('?')[0] ?? '');
  if (file === ':memory:' || file === '') return ':memory:';
  return path.resolve(baseDir, file);
}

/** The database a PostgreSQL URL names, and its schema (?schema=, else public). */
export function postgresPartsOf(url: string): { url: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') || 'public';
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

export function locationFromDatasource(datasource: DatasourceArgument, baseDir: string): EngineLocation | undefined {
  const { url, shadowDatabaseUrl } = datasource;
  if (!url) return undefined;
  const kind = kindOfUrl(url);
  if (kind === 'sqlite') {
    return {
      kind,
      file: sqliteFileOf(url, baseDir),
      ...(shadowDatabaseUrl ? { shadowFile: sqliteFileOf(shadowDatabaseUrl, baseDir) } : {}),
    };
  }
  if (kind === 'postgresql') {
    const parts = postgresPartsOf(url);
    return {
      kind,
      url: parts.url,
      schema: parts.schema,
      ...(shadowDatabaseUrl ? { shadowDatabaseUrl: postgresPartsOf(shadowDatabaseUrl).url } : {}),
    };
  }
  throw new Error(`Unsupported database URL (expected file: or postgresql://): ${url.split(':')[0]}:...`);
}

/** The provider named in a Prisma schema's datasource block, if any. */
export function providerOfSchema(content: string): DatabaseKind | undefined {
  const block = /datasource\s+\w+\s*\{([^}]*)\}/.exec(content)?.[1];
  const provider = block && /provider\s*=\s*"([^"]+)"/.exec(block)?.[1];
  if (provider === 'sqlite') return 'sqlite';
  if (provider === 'postgresql' || provider === 'postgres') return 'postgresql';
  if (provider) throw new Error(`Unsupported datasource provider "${provider}": only sqlite and postgresql are supported offline.`);
  return undefined;
}

/** The provider recorded in a migrations folder's migration_lock.toml, if any. */
export function providerOfLockfile(content: string | null): DatabaseKind | undefined {
  const provider = content && /provider\s*=\s*"([^"]+)"/.exec(content)?.[1];
  if (provider === 'sqlite') return 'sqlite';
  if (provider === 'postgresql' || provider === 'postgres') return 'postgresql';
  return undefined;
}
