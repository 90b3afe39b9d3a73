import { PrismaClient } from '../generated/evidence-sqlite/client';
import { PrismaClient as PostgresClient } from '../generated/evidence-postgresql/client';
import type { DatabaseLocation } from './database';
import { openDatabase, type OpenDatabaseOptions } from './open-database';

export * from '../generated/evidence-sqlite/enums';
export type { Prisma } from '../generated/evidence-sqlite/client';
export type EvidenceClient = PrismaClient;

export function openEvidenceDatabase(location: DatabaseLocation, options?: OpenDatabaseOptions) {
  return openDatabase('evidence', location, { sqlite: PrismaClient, postgresql: PostgresClient }, options);
}
