import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The subgraphs that own data. Each has its own tables (SQLite file or PostgreSQL schema). */
export const SUBGRAPHS = ['provider', 'referral', 'evidence'] as const;
export type Subgraph = (typeof SUBGRAPHS)[number];

export const DATABASE_KINDS = ['sqlite', 'postgresql'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

export const PRISMA_PACKAGE_DIR = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const REPOSITORY_DIR = path.resolve(PRISMA_PACKAGE_DIR, '..');

/** One subgraph's schema on one kind of database: its schema file, migrations and CLI config. */
export interface Target {
  subgraph: Subgraph;
  kind: DatabaseKind;
  dir: string;
  schemaFile: string;
  migrationsDir: string;
  configFile: string;
  modelsFile: string;
}

export function target(subgraph: Subgraph, kind: DatabaseKind): Target {
  const dir = path.join(PRISMA_PACKAGE_DIR, 'schemas', subgraph, kind);
  return {
    subgraph,
    kind,
    dir,
    schemaFile: path.join(dir, 'schema.prisma'),
    migrationsDir: path.join(dir, 'migrations'),
    configFile: path.join(dir, 'prisma.config.ts'),
    modelsFile: path.join(PRISMA_PACKAGE_DIR, 'models', `${subgraph}.prisma`),
  };
}

export function allTargets(): Target[] {
  return SUBGRAPHS.flatMap((subgraph) => DATABASE_KINDS.map((kind) => target(subgraph, kind)));
}

export function isSubgraph(value: string): value is Subgraph {
  return (SUBGRAPHS as readonly string[]).includes(value);
}
