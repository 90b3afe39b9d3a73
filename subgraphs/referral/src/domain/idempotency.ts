// Idempotency keys: a retry, or a concurrent duplicate, with the same key returns the referral
// already made. Keys are unique per caller (scope), so one caller's key can never reach another's
// referral, and a key reused for a different request is refused rather than silently ignored.
import { createHash } from 'node:crypto';
import { ErrorCode, userError } from '@sp/runtime/errors';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export function checkIdempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (!KEY.test(key)) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'idempotencyKey must be 8 to 128 letters, digits or . _ : - characters.', {
      field: 'idempotencyKey',
    });
  }
  return key;
}

/** Sorts object keys so that the same request always gives the same text. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, entry]) => entry !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, entry]) => [name, canonical(entry)]),
    );
  }
  return value;
}

/** A hash of the checked request: equal for a true retry, different for a different referral. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(request))).digest('base64url');
}

export function sameRequestOrConflict<T extends { requestFingerprint: string | null }>(existing: T, fingerprint: string): T {
  if (existing.requestFingerprint !== fingerprint) {
    throw userError(
      ErrorCode.CONFLICT,
      'This idempotency key was already used for a different referral. Use a new key for a new referral.',
      { field: 'idempotencyKey' },
    );
  }
  return existing;
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
