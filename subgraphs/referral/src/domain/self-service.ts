// Self-referrals get a short reference code to quote and a secret to prove it is theirs. The
// reference is random and stored; the secret is derived from the referral's id with a server key
// (HMAC-SHA256), so it is never stored and a retried request can return it again.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Crockford's base 32: no I, L, O or U, so codes read aloud and typed back are unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

function group(text: string, size: number): string {
  return text.match(new RegExp(`.{1,${size}}`, 'g'))!.join('-');
}

/** Upper case, no separators, and the letters people mistype for digits mapped as Crockford says. */
function compact(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** "SP-" and ten characters (50 random bits), such as SP-4K7QX-M2D9B. */
export function newReferenceCode(): string {
  return `SP-${group(base32(randomBytes(7), 10), 5)}`;
}

/** The stored form of a reference as someone types it, or null when it cannot be one. */
export function normaliseReferenceCode(input: string): string | null {
  const text = compact(input);
  const body = text.length === 12 && text.startsWith('SP') ? text.slice(2) : text;
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(body)) return null;
  return `SP-${group(body, 5)}`;
}

export interface SelfServiceKeys {
  /** The secret for a referral: 20 characters (100 bits) in groups of five. */
  secretFor(referralId: string): string;
  /** True when `secret` is the referral's secret, compared in constant time. */
  verify(referralId: string, secret: string): boolean;
}

export function createSelfServiceKeys(key: Uint8Array): SelfServiceKeys {
  if (key.length < 32) throw new Error('The self-service key must be at least 32 bytes.');
  const raw = (referralId: string) => base32(createHmac('sha256', key).update(`self-referral:${referralId}`).digest(), 20);
  return {
    secretFor: (referralId) => group(raw(referralId), 5),
    verify(referralId, secret) {
      const expected = Buffer.from(raw(referralId));
      const given = Buffer.from(compact(secret));
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
