// Who sees which records. Admins curate and see every record. Everyone else (the public,
// anonymous partner apps, professionals, providers) sees published records; a retracted record
// is still found by its id, with its public reason, so a partner that kept the id learns it was
// withdrawn, but it is never listed or attached to an activity.
import type { Identity } from '@sp/auth/identity';
import type { EvidenceStatus } from '@sp/prisma/evidence';

export function isAdmin(identity: Identity): boolean {
  return identity.kind === 'user' && identity.role === 'admin';
}

/** Statuses shown in lists; undefined means all. */
export function listedStatuses(identity: Identity): EvidenceStatus[] | undefined {
  return isAdmin(identity) ? undefined : ['PUBLISHED'];
}

/** Statuses a record may have to be returned by its id; undefined means all. */
export function statusesById(identity: Identity): EvidenceStatus[] | undefined {
  return isAdmin(identity) ? undefined : ['PUBLISHED', 'RETRACTED'];
}
