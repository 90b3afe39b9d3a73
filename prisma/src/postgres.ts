import type { PoolConfig } from 'pg';

/**
 * Pool settings from parsed URL fields, never a `connectionString`: with a connection string,
 * @prisma/adapter-pg 7.10 ignores the database the caller chose in some code paths (see
 * ../shared/notes/prisma-offline.md). The schema becomes the search path, since the adapter
 * ignores `?schema=`.
 */
export function postgresPoolConfig(url: string, schema: string, overrides: PoolConfig = {}): PoolConfig {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(parsed.hostname) || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    ssl: sslmode && sslmode !== 'disable' ? { rejectUnauthorized: sslmode === 'verify-full' } : undefined,
    options: `-c search_path=${quoteIdentifier(schema)}`,
    ...overrides,
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
