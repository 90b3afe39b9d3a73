// Checks and normalises what is recorded about the person referred. Everything is checked before
// anything is stored; each problem has its own code and a message that does not repeat the value.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import type { ContactPreference } from '@sp/prisma/referral';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { ReferralErrorCode } from './codes';

export interface PersonInput {
  name: string;
  contactPreference: ContactPreference;
  email?: string | null;
  phone?: string | null;
  /** YYYY-MM-DD. */
  dateOfBirth?: string | null;
  ageYears?: number | null;
  postcodeArea?: string | null;
  nhsNumber?: string | null;
  gpPracticeCode?: string | null;
  whatMattersToMe?: string | null;
}

/** The person as stored, plus the anonymised parts the referral keeps after erasure. */
export interface CheckedPerson {
  name: string;
  contactPreference: ContactPreference;
  email: string | null;
  phone: string | null;
  dateOfBirth: Date | null;
  ageYears: number | null;
  postcodeArea: string | null;
  nhsNumber: string | null;
  gpPracticeCode: string | null;
  whatMattersToMe: string | null;
  anonymised: { ageBand: string | null; postcodeArea: string | null };
}

const MAX_AGE = 130;
const emailSchema = z.email();

function blankToNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed.length === 0 ? null : trimmed;
}

function checkText(value: string | null, field: string, { required, max }: { required: boolean; max: number }) {
  if (value === null) {
    if (required) throw userError(ErrorCode.BAD_USER_INPUT, `${field} is required.`, { field });
    return;
  }
  if (value.length > max) throw userError(ErrorCode.BAD_USER_INPUT, `${field} must be at most ${max} characters.`, { field });
}

export function normaliseEmail(value: string | null | undefined, field = 'person.email'): string | null {
  const email = blankToNull(value);
  if (email === null) return null;
  if (email.length > 254 || !emailSchema.safeParse(email).success) {
    throw userError(ReferralErrorCode.INVALID_EMAIL, 'The email address is not valid.', { field });
  }
  return email.toLowerCase();
}

/** A UK number, or an international one starting with +, as E.164. */
export function normalisePhone(value: string | null | undefined, field = 'person.phone'): string | null {
  const phone = blankToNull(value);
  if (phone === null) return null;
  const parsed = phone.length <= 32 ? parsePhoneNumberFromString(phone, 'GB') : undefined;
  if (!parsed?.isValid()) {
    throw userError(ReferralErrorCode.INVALID_PHONE, 'The phone number is not valid. Give a UK number, or an international one starting with +.', { field });
  }
  return parsed.number;
}

/** Ten digits whose last is the modulus 11 check digit of the first nine. Spaces and dashes are allowed. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

export function normaliseNhsNumber(value: string | null | undefined, field = 'person.nhsNumber'): string | null {
  const text = blankToNull(value);
  if (text === null) return null;
  const digits = text.replace(/[\s-]/g, '');
  if (!isValidNhsNumber(digits)) {
    throw userError(ReferralErrorCode.INVALID_NHS_NUMBER, 'The NHS number is not valid: it must be 10 digits with a correct check digit.', { field });
  }
  return digits;
}

const FULL_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;
const OUTWARD_CODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
const AREA = /^[A-Z]{1,2}$/;

/** The outward code ("DD1") or area ("DD"); a full postcode is cut to its outward code, since no more is needed. */
export function normalisePostcodeArea(value: string | null | undefined): string | null {
  const text = blankToNull(value);
  if (text === null) return null;
  const compact = text.toUpperCase().replace(/\s+/g, '');
  const full = FULL_POSTCODE.exec(compact);
  if (full) return full[1]!;
  if (OUTWARD_CODE.test(compact) || AREA.test(compact)) return compact;
  throw userError(ReferralErrorCode.INVALID_POSTCODE_AREA, 'The postcode area is not valid: give the first part of the postcode, such as DD1.', {
    field: 'person.postcodeArea',
  });
}

/** The letters of a postcode area ("DD1" gives "DD"): coarse enough to keep after erasure. */
export function postcodeLetters(area: string | null): string | null {
  return area === null ? null : (/^[A-Z]{1,2}/.exec(area)?.[0] ?? null);
}

function parseDateOfBirth(value: string | null, now: Date): Date | null {
  if (value === null) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  const real = date && date.toISOString().slice(0, 10) === value;
  if (!date || !real) {
    throw userError(ReferralErrorCode.INVALID_DATE_OF_BIRTH, 'The date of birth must be a real date written YYYY-MM-DD.', { field: 'person.dateOfBirth' });
  }
  if (date.getTime() > now.getTime()) {
    throw userError(ReferralErrorCode.DATE_OF_BIRTH_IN_FUTURE, 'The date of birth cannot be in the future.', { field: 'person.dateOfBirth' });
  }
  if (ageOn(date, now) > MAX_AGE) {
    throw userError(ReferralErrorCode.INVALID_DATE_OF_BIRTH, `The date of birth gives an age over ${MAX_AGE}.`, { field: 'person.dateOfBirth' });
  }
  return date;
}

/** Age in whole years on a day. */
export function ageOn(dateOfBirth: Date, day: Date): number {
  let age = day.getUTCFullYear() - dateOfBirth.getUTCFullYear();
  const beforeBirthday =
    day.getUTCMonth() < dateOfBirth.getUTCMonth() ||
    (day.getUTCMonth() === dateOfBirth.getUTCMonth() && day.getUTCDate() < dateOfBirth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/** The age bands of official statistics: 0-17, 18-24, then ten-year bands from 25 to 84, then 85+. */
export function ageBand(age: number): string {
  if (age < 18) return '0-17';
  if (age < 25) return '18-24';
  if (age >= 85) return '85+';
  const start = 25 + Math.floor((age - 25) / 10) * 10;
  return `${start}-${start + 9}`;
}

const ODS_PRACTICE_CODE = /^[A-Z][0-9]{5}$/;

export interface PersonRules {
  /** Self-referrals do not take an NHS number or GP practice: the public need not know them. */
  allowClinicalIdentifiers: boolean;
}

/** Checks everything about the person; throws the first problem found. */
export function checkPerson(input: PersonInput, now: Date, rules: PersonRules): CheckedPerson {
  const name = blankToNull(input.name);
  checkText(name, 'person.name', { required: true, max: 200 });
  const whatMattersToMe = blankToNull(input.whatMattersToMe);
  checkText(whatMattersToMe, 'person.whatMattersToMe', { required: false, max: 2000 });

  const email = normaliseEmail(input.email);
  const phone = normalisePhone(input.phone);
  if (input.contactPreference === 'EMAIL' && email === null) {
    throw userError(ReferralErrorCode.CONTACT_DETAILS_REQUIRED, 'An email address is needed to contact the person by email.', { field: 'person.email' });
  }
  if ((input.contactPreference === 'PHONE' || input.contactPreference === 'TEXT_MESSAGE') && phone === null) {
    throw userError(ReferralErrorCode.CONTACT_DETAILS_REQUIRED, 'A phone number is needed to contact the person by phone or text.', { field: 'person.phone' });
  }

  const dateOfBirth = parseDateOfBirth(blankToNull(input.dateOfBirth), now);
  const givenAge = input.ageYears ?? null;
  if (givenAge !== null && (!Number.isInteger(givenAge) || givenAge < 0 || givenAge > MAX_AGE)) {
    throw userError(ErrorCode.BAD_USER_INPUT, `ageYears must be a whole number from 0 to ${MAX_AGE}.`, { field: 'person.ageYears' });
  }
  if (dateOfBirth === null && givenAge === null) {
    throw userError(ReferralErrorCode.AGE_REQUIRED, 'Give the person’s date of birth or their age.', { field: 'person.dateOfBirth' });
  }
  const age = dateOfBirth ? ageOn(dateOfBirth, now) : givenAge!;

  const postcodeArea = normalisePostcodeArea(input.postcodeArea);

  const nhsText = blankToNull(input.nhsNumber);
  const gpText = blankToNull(input.gpPracticeCode);
  if (!rules.allowClinicalIdentifiers && (nhsText !== null || gpText !== null)) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'A self-referral does not take an NHS number or GP practice.', {
      field: nhsText !== null ? 'person.nhsNumber' : 'person.gpPracticeCode',
    });
  }
  const nhsNumber = normaliseNhsNumber(nhsText);
  const gpPracticeCode = gpText === null ? null : gpText.toUpperCase();
  if (gpPracticeCode !== null && !ODS_PRACTICE_CODE.test(gpPracticeCode)) {
    throw userError(ReferralErrorCode.INVALID_GP_PRACTICE_CODE, 'The GP practice code must be its ODS code: a letter and five digits.', {
      field: 'person.gpPracticeCode',
    });
  }

  return {
    name: name!,
    contactPreference: input.contactPreference,
    email,
    phone,
    dateOfBirth,
    ageYears: dateOfBirth ? null : givenAge,
    postcodeArea,
    nhsNumber,
    gpPracticeCode,
    whatMattersToMe,
    anonymised: { ageBand: ageBand(age), postcodeArea: postcodeLetters(postcodeArea) },
  };
}
