import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DatabaseLocation } from './database';
import { migrateDatabase } from './migrate';
import { postgresPoolConfig } from './postgres';
import { target, type Subgraph } from './targets';

/** What every generated Prisma client has in common, for code that must not care which it holds. */
export interface PrismaClientLike {
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export type PrismaClientConstructor<Client> = new (options: { adapter: SqlDriverAdapterFactory }) => Client;

export interface OpenDatabaseOptions {
  /** Apply pending migrations first (the default). Tools that only read may skip it. */
  migrate?: boolean;
}

export interface OpenedDatabase<Client> {
  client: Client;
  location: DatabaseLocation;
  /** Names of the migrations applied while opening. */
  appliedMigrations: string[];
  close(): Promise<void>;
}

function adapterFor(location: DatabaseLocation): SqlDriverAdapterFactory {
  if (location.kind === 'sqlite') {
    return new PrismaBetterSqlite3({ url: location.file, timeout: 5000 });
  }
  return new PrismaPg(postgresPoolConfig(location.url, location.schema, { max: 10 }), {
    schema: location.schema,
  });
}

/**
 * Opens one subgraph's database: migrates it, then connects the Prisma client generated for
 * that kind of database. The two clients are generated from the same models and are used
 * through the SQLite client's types.
 */
export async function openDatabase<Client extends PrismaClientLike>(
  subgraph: Subgraph,
  location: DatabaseLocation,
  clients: { sqlite: PrismaClientConstructor<Client>; postgresql: PrismaClientConstructor<unknown> },
  options: OpenDatabaseOptions = {},
): Promise<OpenedDatabase<Client>> {
  if (location.kind === 'sqlite') await mkdir(path.dirname(location.file), { recursive: true });
  const appliedMigrations =
    options.migrate === false ? [] : (await migrateDatabase(target(subgraph, location.kind), location)).applied;

  const Client = (location.kind === 'sqlite' ? clients.sqlite : clients.postgresql) as PrismaClientConstructor<Client>;
  const client = new Client({ adapter: adapterFor(location) });
  await client.$connect();
  if (location.kind === 'sqlite') {
    // WAL lets readers and a writer work at once; NORMAL sync is durable against process crashes.
    await client.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await client.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    await client.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  }
  return {
    client,
    location,
    appliedMigrations,
    close: () => client.$disconnect(),
  };
}
