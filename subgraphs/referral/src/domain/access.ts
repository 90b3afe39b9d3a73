// Who may see which referrals, and in what part: professionals see the referrals they made or
// that belong to their organisation; providers see referrals to their organisation's activities;
// admins see all; nobody else sees any. The same rules give a Prisma filter (for lists) and a
// check on one referral (for changes).
import type { Identity, UserIdentity } from '@sp/auth/identity';
import type { Prisma } from '@sp/prisma/referral';
import type { LifecycleActor } from './lifecycle';

export interface ReferralOwnership {
  referrerSubject: string | null;
  referrerOrganizationId: string | null;
  activityOrganizationId: string | null;
}

/** The referrals a signed-in user may see, as a Prisma filter. */
export function visibleTo(user: UserIdentity): Prisma.ReferralWhereInput {
  switch (user.role) {
    case 'admin':
      return {};
    case 'professional':
      return {
        OR: [
          { referrerSubject: user.subject },
          ...(user.organizationId ? [{ referrerOrganizationId: user.organizationId }] : []),
        ],
      };
    case 'provider':
      // A provider always has an organisation (the token is refused otherwise); the fallback matches nothing.
      return user.organizationId ? { activityOrganizationId: user.organizationId } : { id: { in: [] } };
  }
}

/** The part the user plays in this referral, or null when they may not see it at all. */
export function partIn(referral: ReferralOwnership, identity: Identity): LifecycleActor | null {
  if (identity.kind !== 'user') return null;
  if (identity.role === 'admin') return 'admin';
  if (identity.role === 'professional') {
    const madeIt = referral.referrerSubject !== null && referral.referrerSubject === identity.subject;
    const sameOrganisation =
      identity.organizationId !== undefined && referral.referrerOrganizationId === identity.organizationId;
    return madeIt || sameOrganisation ? 'referrer' : null;
  }
  return identity.organizationId !== undefined && referral.activityOrganizationId === identity.organizationId ? 'provider' : null;
}
