import { ErrorCode, userError } from '@sp/runtime/errors';
import type { Identity, Role, UserIdentity } from './identity';

const ROLE_NAMES: Record<Role, string> = {
  professional: 'a health or care professional',
  provider: 'an activity provider',
  admin: 'an administrator',
};

function listOfRoles(roles: readonly Role[]): string {
  const names = roles.map((role) => ROLE_NAMES[role]);
  if (names.length <= 1) return names[0] ?? 'a particular role';
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** The signed-in user, or UNAUTHENTICATED for the public. */
export function requireUser(identity: Identity): UserIdentity {
  if (identity.kind !== 'user') {
    throw userError(ErrorCode.UNAUTHENTICATED, 'Please sign in to do this.');
  }
  return identity;
}

/**
 * The signed-in user when their role is one of `roles`: UNAUTHENTICATED for the public,
 * FORBIDDEN for anyone else. The returned user's role is narrowed to those roles.
 */
export function requireRole<R extends Role>(identity: Identity, ...roles: R[]): UserIdentity & { role: R } {
  const user = requireUser(identity);
  if (!(roles as Role[]).includes(user.role)) {
    throw userError(ErrorCode.FORBIDDEN, `Only ${listOfRoles(roles)} can do this.`);
  }
  return user as UserIdentity & { role: R };
}

/**
 * The signed-in user when they may act for the organisation: an administrator may act for any,
 * anyone else only for the organisation their token names. UNAUTHENTICATED for the public,
 * FORBIDDEN otherwise.
 */
export function requireOrganization(identity: Identity, organizationId: string): UserIdentity {
  const user = requireUser(identity);
  if (user.role === 'admin') return user;
  if (user.organizationId === undefined || user.organizationId !== organizationId) {
    throw userError(ErrorCode.FORBIDDEN, 'You can only do this for your own organisation.');
  }
  return user;
}

/** True when the user may act for the organisation; for resolvers that hide rather than refuse. */
export function canActFor(identity: Identity, organizationId: string): boolean {
  return identity.kind === 'user' && (identity.role === 'admin' || identity.organizationId === organizationId);
}
