import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { PROFESSIONS, type Profession } from '@sp/auth/identity';
import { normalise } from './text';
import type { ContactPreference, PathwayHop } from './types';

/**
 * Reading answers to the bot's questions: yes or no, names, contact details, ages, pathways,
 * references and sign-in tokens. The checks match the referral service's own (the same email
 * and phone rules), so a referral the bot sends is not refused for a detail it let through.
 */

export const MAX_NAME_CHARACTERS = 100;
export const MAX_NOTE_CHARACTERS = 1000;
const MAX_AGE = 120;

const YES = /^(y+e+s+|y|yeah|yea|yep|yup|aye|ok|okay|sure|agree|agreed|i agree|we agree|they agree|they agreed|absolutely|certainly|correct|of course|fine|go ahead|please do|i do|they do|she does|he does|they have|she has|he has|has agreed|that s right|thats right|right)\b/;
const NO = /^(n+o+|n|nope|nah|never|not really|not yet|dont|do not|i dont|i do not|they dont|they do not|she doesnt|he doesnt|they havent|they have not|she hasnt|he hasnt|disagree|i disagree|refuse|declined?)\b/;

/** true for yes, false for no, null when the answer is neither. */
export function readYesNo(text: string): boolean | null {
  const answer = normalise(text);
  if (answer.length === 0 || answer.length > 80) return null;
  if (NO.test(answer)) return false;
  if (YES.test(answer)) return true;
  return null;
}

const SKIP = new Set(['skip', 'no', 'none', 'nothing', 'no thanks', 'no thank you', 'n a', 'na', 'nope', 'not really', 'nothing thanks', 'nothing else', 'no nothing', 'pass', 'leave it', 'leave it blank', 'not now', 'skip it', 'skip this']);
export function isSkip(text: string): boolean {
  return SKIP.has(normalise(text));
}

const emailSchema = z.email();
const EMAIL_IN_TEXT = /[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+/;
const PHONE_IN_TEXT = /(?:\+|\b)\d[\d\s().-]{7,18}\d\b/;

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && emailSchema.safeParse(email).success;
}

/** A UK number, or an international one starting with +, as the referral service accepts. */
export function isValidPhone(phone: string): boolean {
  const parsed = phone.length <= 32 ? parsePhoneNumberFromString(phone, 'GB') : undefined;
  return parsed?.isValid() ?? false;
}

export interface ContactInText {
  email?: string;
  phone?: string;
  /** Something shaped like an email or phone number that is not a valid one. */
  invalid?: 'email' | 'phone';
  /** The text without the contact details, trimmed. */
  rest: string;
}

/** Finds an email address and a phone number in a message ("Jo Bloggs, 07700 900123"). */
export function readContact(text: string): ContactInText {
  let rest = text;
  const found: ContactInText = { rest: '' };
  const email = EMAIL_IN_TEXT.exec(rest)?.[0]?.replace(/[.,;:!?]+$/, '');
  if (email) {
    if (isValidEmail(email)) found.email = email;
    else found.invalid = 'email';
    rest = rest.replace(email, ' ');
  } else if (rest.includes('@')) {
    found.invalid = 'email';
  }
  const phone = PHONE_IN_TEXT.exec(rest)?.[0]?.trim();
  if (phone) {
    if (isValidPhone(phone)) found.phone = phone;
    else found.invalid ??= 'phone';
    rest = rest.replace(phone, ' ');
  }
  found.rest = rest
    .replace(/\b(email|e-mail|phone|mobile|tel|telephone|number|contact|is|on|at|and|or|their|my)\b[:,]?/gi, ' ')
    .replace(/[,;:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return found;
}

export type NameAnswer = { ok: true; name: string } | { ok: false; reason: 'empty' | 'too-long' | 'not-a-name' };

/** A person's name: letters (any alphabet), spaces, hyphens, apostrophes and full stops. */
export function readName(text: string): NameAnswer {
  const name = text.replace(/\s+/g, ' ').trim().replace(/^(my name is|i am|i'm|im|it's|its|name is|name:|they are called|he is called|she is called|called)\s+/i, '');
  if (name.length === 0) return { ok: false, reason: 'empty' };
  if (name.length > MAX_NAME_CHARACTERS) return { ok: false, reason: 'too-long' };
  if (!/^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u.test(name) || name.split(' ').length > 8) return { ok: false, reason: 'not-a-name' };
  return { ok: true, name };
}

/** "Phone call", "text", "email": the way they would like to be contacted. */
export function readPreference(text: string): ContactPreference | null {
  const answer = normalise(text);
  if (/\b(text|texts|sms|text message|message)\b/.test(answer)) return 'TEXT_MESSAGE';
  if (/\b(e ?mail|emails)\b/.test(answer)) return 'EMAIL';
  if (/\b(phone|call|calls|ring|telephone|phone call)\b/.test(answer)) return 'PHONE';
  return null;
}

export type AgeAnswer = { ageYears: number } | { dateOfBirth: string } | null;

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const iso = date.toISOString().slice(0, 10);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? iso : null;
}

/** An age in years ("72", "aged 72", "72 years old") or a date of birth (12/03/1950, 1950-03-12). */
export function readAge(text: string, now: number): AgeAnswer {
  const trimmed = text.trim();
  const today = new Date(now);
  let dateOfBirth: string | null = null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const british = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  if (iso) dateOfBirth = isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  else if (british) dateOfBirth = isoDate(Number(british[3]), Number(british[2]), Number(british[1]));
  if (iso || british) {
    if (!dateOfBirth) return null;
    const born = new Date(`${dateOfBirth}T00:00:00Z`);
    if (born.getTime() > today.getTime()) return null;
    if (today.getUTCFullYear() - born.getUTCFullYear() > MAX_AGE) return null;
    return { dateOfBirth };
  }
  const words = normalise(trimmed);
  const match = /^(?:(?:he|she|they|i)(?: is| are| am|s|re|m)? |aged? |age )?(\d{1,3})(?: ?(?:years?|yrs?|y o|yo)(?: old)?)?$/.exec(words);
  if (!match) return null;
  const age = Number(match[1]);
  return Number.isInteger(age) && age >= 0 && age <= MAX_AGE ? { ageYears: age } : null;
}

/** The ODS code of a GP practice: a letter and five digits, such as A12345. */
export function readGpPracticeCode(text: string): string | null {
  const code = text.trim().toUpperCase().replace(/\s+/g, '');
  return /^[A-Z]\d{5}$/.test(code) ? code : null;
}

/** Plain names for the professions, for questions and summaries. */
export const PROFESSION_NAMES: Record<Profession, string> = {
  GP: 'GP',
  COMMUNITY_LINK_WORKER: 'community link worker',
  CONSULTANT: 'consultant',
  SPECIALIST_NURSE: 'specialist nurse',
  SPECIALIST_PHYSIOTHERAPIST: 'specialist physiotherapist',
  ALLIED_HEALTH_PROFESSIONAL: 'allied health professional',
  THIRD_SECTOR: 'third-sector organisation',
};

const HOP_WORDS: Array<[Profession, string[]]> = [
  ['COMMUNITY_LINK_WORKER', ['community link worker', 'link worker', 'clw', 'social prescriber', 'navigator', 'community connector', 'wellbeing adviser', 'wellbeing advisor']],
  ['SPECIALIST_PHYSIOTHERAPIST', ['specialist physiotherapist', 'physiotherapist', 'specialist physio', 'physio']],
  ['SPECIALIST_NURSE', ['specialist nurse', 'nurse']],
  ['ALLIED_HEALTH_PROFESSIONAL', ['allied health professional', 'allied health', 'ahp', 'occupational therapist', 'ot', 'speech therapist', 'dietitian', 'podiatrist']],
  ['THIRD_SECTOR', ['third sector organisation', 'third sector', 'charity', 'voluntary organisation', 'voluntary sector', 'community group']],
  ['CONSULTANT', ['consultant', 'neurologist', 'hospital doctor', 'geriatrician', 'specialist doctor']],
  ['GP', ['gp', 'gp practice', 'general practitioner', 'family doctor', 'doctor', 'surgery']],
];
const JUST_ME = new Set(['just me', 'only me', 'me', 'me only', 'no', 'none', 'nobody', 'no one', 'noone', 'skip', 'no just me', 'no only me', 'direct', 'directly']);

/**
 * The hops before the provider, ending with the referrer's own profession: "just me" gives
 * [own]; "GP then link worker" (said by a link worker) gives [GP, COMMUNITY_LINK_WORKER].
 * Null when the answer names no profession.
 */
export function readPathway(text: string, own: Profession): PathwayHop[] | null {
  const answer = normalise(text);
  if (JUST_ME.has(answer) || answer === normalise(PROFESSION_NAMES[own])) return [own];
  const found: Array<{ at: number; hop: Profession }> = [];
  const taken: boolean[] = [];
  const padded = ` ${answer} `;
  for (const [hop, phrases] of HOP_WORDS) {
    for (const phrase of phrases) {
      let from = 0;
      for (;;) {
        const at = padded.indexOf(` ${phrase} `, from);
        if (at < 0) break;
        from = at + 1;
        if (taken[at]) continue;
        for (let index = at; index < at + phrase.length + 1; index += 1) taken[index] = true;
        found.push({ at, hop });
      }
    }
  }
  if (found.length === 0) return null;
  const hops: PathwayHop[] = [];
  for (const { hop } of found.sort((a, b) => a.at - b.at)) if (hops.at(-1) !== hop) hops.push(hop);
  if (hops.at(-1) !== own) hops.push(own);
  return hops.length <= 5 ? hops : null;
}

export function isProfession(value: unknown): value is Profession {
  return typeof value === 'string' && (PROFESSIONS as readonly string[]).includes(value);
}

// Crockford's base 32, as the referral service writes references: no I, L, O or U.
/** "SP-4K7QX-M2D9B" however it is typed ("sp4k7qxm2d9b", "SP 4K7QX M2D9B"), or null. */
export function readReference(text: string): string | null {
  const compact = text.trim().toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  const body = compact.length === 12 && compact.startsWith('SP') ? compact.slice(2) : compact;
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(body)) return null;
  return `SP-${body.slice(0, 5)}-${body.slice(5)}`;
}

/** A self-referral secret is 20 letters and digits in groups of five; typed with or without dashes. */
export function readSecret(text: string): string | null {
  const secret = text.trim();
  return /^[A-Za-z0-9][A-Za-z0-9 -]{6,62}[A-Za-z0-9]$/.test(secret) ? secret : null;
}

/** A JSON Web Token's shape: three base64url parts (the signature is checked by the gateway). */
export function readToken(text: string): string | null {
  const token = text.trim().replace(/^bearer\s+/i, '');
  return token.length >= 20 && token.length <= 4096 && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) ? token : null;
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(255),
  role: z.string(),
  profession: z.string().optional(),
  name: z.string().max(200).optional(),
  exp: z.number().optional(),
});
export type TokenClaims = z.infer<typeof claimsSchema>;

/**
 * The claims in a token's payload, for display and expiry only: the gateway checks the
 * signature, and every service checks it again before acting on it.
 */
export function readClaims(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
