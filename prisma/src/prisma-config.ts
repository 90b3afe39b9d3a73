import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PRISMA_PACKAGE_DIR, target, type DatabaseKind, type Subgraph } from './targets';
import { resolveDatabase, toPrismaUrl } from './database';

/**
 * The Prisma CLI config for one target. The CLI would download its native schema engine;
 * pointing PRISMA_SCHEMA_ENGINE_BINARY at our WebAssembly-backed stand-in keeps it offline.
 */
export function defineTargetConfig(subgraph: Subgraph, kind: DatabaseKind) {
  const selected = target(subgraph, kind);
  const engine = path.join(PRISMA_PACKAGE_DIR, 'bin', 'schema-engine');
  if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(engine)) {
    process.env.PRISMA_SCHEMA_ENGINE_BINARY = engine;
  }
  const database = resolveDatabase(subgraph, process.env);
  const url = database.kind === kind ? toPrismaUrl(database) : undefined;
  return defineConfig({
    schema: selected.schemaFile,
    migrations: { path: selected.migrationsDir },
    ...(url ? { datasource: { url } } : {}),
  });
}
