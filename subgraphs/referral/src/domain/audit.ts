// The audit log: who (id, role, organisation) did what to which referral, and when. It holds ids
// and codes only. Changes are audited in the same transaction as the change; reads are audited
// before the data is returned, so a read that cannot be audited fails.
import type { Identity } from '@sp/auth/identity';
import type { Prisma, ReferralClient } from '@sp/prisma/referral';
import { newId } from './ids';
import { inTransaction } from './transaction';

export const AuditAction = {
  READ: 'READ',
  LIST: 'LIST',
  CREATE: 'CREATE',
  CREATE_REPLAYED: 'CREATE_REPLAYED',
  STATUS_CHANGE: 'STATUS_CHANGE',
  CONSENT_CHANGE: 'CONSENT_CHANGE',
  FOLLOW_UP: 'FOLLOW_UP',
  FEEDBACK: 'FEEDBACK',
  OUTCOME: 'OUTCOME',
  ACTIVITY_CHECK: 'ACTIVITY_CHECK',
  EXPORT: 'EXPORT',
  ERASE: 'ERASE',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface AuditActor {
  actorRole: string;
  actorSubject: string | null;
  actorOrganizationId: string | null;
}

export const PERSON_ACTOR: AuditActor = { actorRole: 'person', actorSubject: null, actorOrganizationId: null };
export const SYSTEM_ACTOR: AuditActor = { actorRole: 'system', actorSubject: null, actorOrganizationId: null };

export function actorOf(identity: Identity): AuditActor {
  if (identity.kind !== 'user') return { actorRole: 'public', actorSubject: null, actorOrganizationId: null };
  return { actorRole: identity.role, actorSubject: identity.subject, actorOrganizationId: identity.organizationId ?? null };
}

export interface AuditRecord {
  action: AuditAction;
  referralId?: string | null;
  outcome?: 'ALLOWED' | 'DENIED';
  detail?: string | null;
}

/** Writes audit entries inside the caller's transaction, so they stand or fall with the change. */
export async function writeAudit(tx: Prisma.TransactionClient, actor: AuditActor, requestId: string | null, records: readonly AuditRecord[]) {
  if (records.length === 0) return;
  await tx.auditEntry.createMany({
    data: records.map((record) => ({
      id: newId(),
      ...actor,
      action: record.action,
      referralId: record.referralId ?? null,
      outcome: record.outcome ?? 'ALLOWED',
      detail: record.detail ?? null,
      requestId,
    })),
  });
}

/** Writes audit entries for a read (or a refusal) in a transaction of their own (see ./transaction). */
export async function auditNow(db: ReferralClient, actor: AuditActor, requestId: string | null, records: readonly AuditRecord[]) {
  if (records.length === 0) return;
  await inTransaction(db, (tx) => writeAudit(tx, actor, requestId, records));
}
