import { PrismaClient } from '../generated/referral-sqlite/client';
import { PrismaClient as PostgresClient } from '../generated/referral-postgresql/client';
import type { DatabaseLocation } from './database';
import { openDatabase, type OpenDatabaseOptions } from './open-database';

export * from '../generated/referral-sqlite/enums';
export type { Prisma } from '../generated/referral-sqlite/client';
export type ReferralClient = PrismaClient;

export function openReferralDatabase(location: DatabaseLocation, options?: OpenDatabaseOptions) {
  return openDatabase('referral', location, { sqlite: PrismaClient, postgresql: PostgresClient }, options);
}
