// Consent is recorded per purpose, each with when, how and by whom. Sharing with the provider is
// the one a referral cannot go without.
import type { ConsentMethod, ConsentPurpose } from '@sp/prisma/referral';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { ReferralErrorCode } from './codes';

export interface ConsentInput {
  purpose: ConsentPurpose;
  granted: boolean;
  method?: ConsentMethod | null;
  recordedAt?: Date | null;
}

export interface CheckedConsent {
  purpose: ConsentPurpose;
  granted: boolean;
  method: ConsentMethod;
  recordedAt: Date;
}

/** How far ahead of our clock a client's "recorded at" may be (clock skew). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function checkConsentTime(recordedAt: Date | null | undefined, now: Date, field: string): Date {
  if (recordedAt === null || recordedAt === undefined) return now;
  if (recordedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'Consent cannot be recorded as given in the future.', { field });
  }
  return recordedAt;
}

/** A professional's record of the person's consents; throws CONSENT_REQUIRED without consent to share with the provider. */
export function checkProfessionalConsents(consents: readonly ConsentInput[] | null | undefined, now: Date): CheckedConsent[] {
  const list = consents ?? [];
  const seen = new Set<ConsentPurpose>();
  const checked = list.map((consent, index) => {
    const field = `consents[${index}]`;
    if (seen.has(consent.purpose)) {
      throw userError(ErrorCode.BAD_USER_INPUT, 'Each consent purpose may be given once.', { field: `${field}.purpose` });
    }
    seen.add(consent.purpose);
    if (!consent.method) {
      throw userError(ErrorCode.BAD_USER_INPUT, 'Say how consent was given (VERBAL, WRITTEN or ELECTRONIC).', { field: `${field}.method` });
    }
    if (consent.method === 'SELF_REFERRAL_FORM') {
      throw userError(ErrorCode.BAD_USER_INPUT, 'SELF_REFERRAL_FORM is only for self-referrals.', { field: `${field}.method` });
    }
    return {
      purpose: consent.purpose,
      granted: consent.granted,
      method: consent.method,
      recordedAt: checkConsentTime(consent.recordedAt, now, `${field}.recordedAt`),
    };
  });
  requireShareWithProvider(checked);
  return checked;
}

/** The person's own consents on the self-referral form, recorded now. */
export function checkSelfReferralConsents(
  consents: ReadonlyArray<{ purpose: ConsentPurpose; granted: boolean }> | null | undefined,
  now: Date,
): CheckedConsent[] {
  const seen = new Set<ConsentPurpose>();
  const checked = (consents ?? []).map((consent, index) => {
    if (seen.has(consent.purpose)) {
      throw userError(ErrorCode.BAD_USER_INPUT, 'Each consent purpose may be given once.', { field: `consents[${index}].purpose` });
    }
    seen.add(consent.purpose);
    return { purpose: consent.purpose, granted: consent.granted, method: 'SELF_REFERRAL_FORM' as const, recordedAt: now };
  });
  requireShareWithProvider(checked);
  return checked;
}

function requireShareWithProvider(consents: readonly CheckedConsent[]) {
  const share = consents.find((consent) => consent.purpose === 'SHARE_WITH_PROVIDER');
  if (!share?.granted) {
    throw userError(
      ReferralErrorCode.CONSENT_REQUIRED,
      'A referral needs the person’s consent to share their details with the provider.',
      { field: 'consents', purpose: 'SHARE_WITH_PROVIDER' },
    );
  }
}

export function hasConsent(consents: ReadonlyArray<{ purpose: string; granted: boolean }>, purpose: ConsentPurpose): boolean {
  return consents.some((consent) => consent.purpose === purpose && consent.granted);
}
