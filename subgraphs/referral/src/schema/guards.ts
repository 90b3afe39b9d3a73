// Shared by the resolvers that act on one referral: find it, work out the caller's part in it,
// and refuse (auditing the refusal) when they have none.
import { requireUser } from '@sp/auth/authorisation';
import { ErrorCode, userError } from '@sp/runtime/errors';
import type { ReferralContext } from '../context';
import { partIn } from '../domain/access';
import { actorOf, auditNow, type AuditAction } from '../domain/audit';
import type { LifecycleActor } from '../domain/lifecycle';

const NOT_FOUND_MESSAGE = 'There is no referral with that id that you can see.';

export async function ownershipOf(context: ReferralContext, id: string) {
  return context.db.referral.findUnique({
    where: { id },
    select: { id: true, status: true, source: true, erasedAt: true, referrerSubject: true, referrerOrganizationId: true, activityOrganizationId: true, activityId: true },
  });
}

/**
 * The referral and the signed-in caller's part in it, for a change. The public gets
 * UNAUTHENTICATED; a referral the caller may not see is NOT_FOUND (its existence is not
 * revealed) and the attempt is audited.
 */
export async function referralForChange(context: ReferralContext, id: string, action: AuditAction) {
  requireUser(context.identity);
  const referral = await ownershipOf(context, id);
  const part = referral ? partIn(referral, context.identity) : null;
  if (!referral || !part) {
    if (referral) await auditNow(context.db, actorOf(context.identity), context.requestId, [{ action, referralId: id, outcome: 'DENIED' }]);
    throw userError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE, { field: 'referralId' });
  }
  return { referral, part };
}

export function requirePart(part: LifecycleActor, allowed: readonly LifecycleActor[], what: string) {
  if (!allowed.includes(part)) throw userError(ErrorCode.FORBIDDEN, `You cannot ${what} for this referral.`);
}
