// The offline schema engine: Prisma's schema engine compiled to WebAssembly, behind driver-adapter
// factories that guard its defects. migrate.ts and bin/schema-engine are built on it.
export { EngineError, EngineSession, createEngineAdapterFactory, toEngineError } from './session';
export type { EngineLocation, EngineSessionOptions } from './session';
export type { EngineAdapterFactory } from './adapter';
export { RefusedStatementError } from './adapter';
export { SqliteEngineAdapterFactory } from './sqlite';
export { PostgresEngineAdapterFactory, parsePostgresUrl } from './postgresql';
export { readMigrations, migrationChecksum } from './migrations';
export { checkMigrations } from './check-migrations';
export { createMigrations } from './create-migrations';
export { loadSchemaEngineModule, schemaEngineVersion } from './wasm';
