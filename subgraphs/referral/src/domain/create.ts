// Storing a new referral, shared by professional referrals and self-referrals. By the time this
// runs everything has been checked. The referral, the person, their consents, the first history
// entry (SNOMED CT 871731000000106) and the audit entry are written in one transaction, and the
// caller is answered only after it commits, so an acknowledged referral is a stored one.
import type { ReferralClient, ReferralSource } from '@sp/prisma/referral';
import type { Logger } from '@sp/runtime/logger';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { auditNow, type AuditActor } from './audit';
import { ReferralErrorCode } from './codes';
import type { CheckedConsent } from './consent';
import type { ActivityDirectory } from './directory';
import { isUniqueViolation, sameRequestOrConflict } from './idempotency';
import { followUpDueAfter, SNOMED } from './lifecycle';
import { pathwayToColumn, type PathwayHop } from './pathway';
import type { CheckedPerson } from './person';
import { newId } from './ids';
import { inTransaction } from './transaction';

export interface NewReferral {
  activityId: string;
  source: ReferralSource;
  pathway: readonly PathwayHop[];
  referrer: { subject: string; profession: string | null; organizationId: string | null } | null;
  idempotencyScope: string;
  idempotencyKey: string | null;
  fingerprint: string;
  person: CheckedPerson;
  consents: readonly CheckedConsent[];
  /** Makes a new reference code for a self-referral; called again if one ever collides. */
  newReferenceCode?: () => string;
}

export interface CreateOptions {
  db: ReferralClient;
  directory: ActivityDirectory;
  logger: Logger;
  actor: AuditActor;
  requestId: string | null;
  now: Date;
}

export type CreatedReferral =
  | { id: string; replayed: false; referenceCode: string | null }
  /** An earlier request with the same key had already made it. */
  | { id: string; replayed: true };

/** Activity ids are opaque to us, but an empty or huge one cannot be real. */
export function checkActivityId(value: string | number): string {
  const activityId = String(value).trim();
  if (activityId.length === 0 || activityId.length > 64) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'activityId must be the id of an activity.', { field: 'activityId' });
  }
  return activityId;
}

/** Read in a transaction, so another request's uncommitted referral is never taken for a stored one (see ./transaction). */
function findByKey(db: ReferralClient, scope: string, key: string) {
  return inTransaction(db, (tx) =>
    tx.referral.findFirst({ where: { idempotencyScope: scope, idempotencyKey: key }, select: { id: true, requestFingerprint: true } }),
  );
}

export async function createReferralRecord(request: NewReferral, options: CreateOptions): Promise<CreatedReferral> {
  const { db, actor, now } = options;
  const key = request.idempotencyKey;
  if (key !== null) {
    const existing = await findByKey(db, request.idempotencyScope, key);
    if (existing) return replay(options, sameRequestOrConflict(existing, request.fingerprint).id);
  }

  const lookup = await options.directory.lookup(request.activityId);
  if (lookup.kind === 'not-found') {
    throw userError(ReferralErrorCode.UNKNOWN_ACTIVITY, 'There is no activity with that id in the directory.', { field: 'activityId' });
  }

  for (let attempt = 1; ; attempt += 1) {
    const id = newId();
    const referenceCode = request.newReferenceCode?.() ?? null;
    const { anonymised, ...person } = request.person;
    try {
      await db.$transaction([
        db.referral.create({
          data: {
            id,
            activityId: request.activityId,
            activityOrganizationId: lookup.kind === 'found' ? lookup.organizationId : null,
            activityCheck: lookup.kind === 'found' ? 'CONFIRMED' : 'PENDING',
            activityCheckedAt: lookup.kind === 'found' ? now : null,
            status: 'SENT',
            source: request.source,
            pathway: pathwayToColumn(request.pathway),
            referrerSubject: request.referrer?.subject ?? null,
            referrerProfession: request.referrer?.profession ?? null,
            referrerOrganizationId: request.referrer?.organizationId ?? null,
            idempotencyScope: request.idempotencyScope,
            idempotencyKey: key,
            requestFingerprint: request.fingerprint,
            referenceCode,
            ageBand: anonymised.ageBand,
            postcodeArea: anonymised.postcodeArea,
            followUpDueAt: followUpDueAfter('SENT', now, request.source),
            createdAt: now,
            person: { create: person },
            consents: {
              createMany: {
                data: request.consents.map((consent) => ({
                  id: newId(),
                  ...consent,
                  recordedByRole: request.source === 'SELF' ? 'person' : actor.actorRole,
                  recordedBySubject: request.source === 'SELF' ? null : actor.actorSubject,
                })),
              },
            },
            events: {
              create: {
                id: newId(),
                at: now,
                kind: 'CREATED',
                toStatus: 'SENT',
                snomedCode: SNOMED.REFERRAL_TO_SOCIAL_PRESCRIBING,
                actorRole: request.source === 'SELF' ? 'person' : actor.actorRole,
                actorSubject: actor.actorSubject,
                actorOrganizationId: actor.actorOrganizationId,
              },
            },
          },
          select: { id: true },
        }),
        db.auditEntry.create({
          data: { id: newId(), ...actor, action: 'CREATE', referralId: id, detail: request.source, requestId: options.requestId },
          select: { id: true },
        }),
      ]);
      options.logger.info(
        { referralId: id, activityId: request.activityId, source: request.source, activityCheck: lookup.kind === 'found' ? 'CONFIRMED' : 'PENDING' },
        'referral created',
      );
      return { id, replayed: false, referenceCode };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A concurrent request with the same key won the race: answer with its referral.
      if (key !== null) {
        const winner = await findByKey(db, request.idempotencyScope, key);
        if (winner) return replay(options, sameRequestOrConflict(winner, request.fingerprint).id);
      }
      // Otherwise the random reference code collided (about one in 10^15): draw another.
      if (attempt >= 3) throw error;
    }
  }
}

async function replay(options: CreateOptions, id: string): Promise<CreatedReferral> {
  await auditNow(options.db, options.actor, options.requestId, [{ action: 'CREATE_REPLAYED', referralId: id }]);
  return { id, replayed: true };
}
