import { PrismaClient } from '../generated/provider-sqlite/client';
import { PrismaClient as PostgresClient } from '../generated/provider-postgresql/client';
import type { DatabaseLocation } from './database';
import { openDatabase, type OpenDatabaseOptions } from './open-database';

export * from '../generated/provider-sqlite/enums';
export type { Prisma, Activity, Organization, Location, TaxonomyTerm, ServiceAtLocation, ChangeRecord } from '../generated/provider-sqlite/client';
export type ProviderClient = PrismaClient;

export function openProviderDatabase(location: DatabaseLocation, options?: OpenDatabaseOptions) {
  return openDatabase('provider', location, { sqlite: PrismaClient, postgresql: PostgresClient }, options);
}
