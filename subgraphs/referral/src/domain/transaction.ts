// Every write goes through a transaction, even a single insert. On SQLite, Prisma's driver adapter
// shares one connection between all queries and serialises only transactions: a bare write (or a
// one-query batch, which Prisma runs without a transaction) made while another request's
// transaction is open becomes part of that transaction, and is undone if it rolls back. Reads
// that decide something (such as "was this key used?") go through one too, so they never see
// another request's uncommitted rows.
import type { Prisma, ReferralClient } from '@sp/prisma/referral';

/** Long enough to queue behind many concurrent writers on SQLite without failing. */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

export function inTransaction<T>(db: ReferralClient, work: (tx: Prisma.TransactionClient) => PromiseLike<T>): Promise<T> {
  // Awaited inside: a Prisma query is lazy, and one merely returned would run after the commit.
  return db.$transaction(async (tx) => await work(tx), TRANSACTION_OPTIONS);
}
