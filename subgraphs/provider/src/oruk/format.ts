import type { DeliveryMode, ListingStatus, LocationType } from '@sp/prisma/provider';

// Value formats shared by the feed and the importer: ORUK's enums, dates, times, URIs and
// e-mail addresses, and the rule that optional fields are left out rather than sent as null.

export type OrukStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';
export type OrukLocationType = 'physical' | 'postal' | 'virtual';

export const STATUS_TO_ORUK: Record<ListingStatus, OrukStatus> = {
  ACTIVE: 'active',
  INACTIVE: 'inactive',
  DEFUNCT: 'defunct',
  TEMPORARILY_CLOSED: 'temporarily closed',
};

export const STATUS_FROM_ORUK: Record<OrukStatus, ListingStatus> = {
  active: 'ACTIVE',
  inactive: 'INACTIVE',
  defunct: 'DEFUNCT',
  'temporarily closed': 'TEMPORARILY_CLOSED',
};

export const LOCATION_TYPE_TO_ORUK: Record<LocationType, OrukLocationType> = {
  PHYSICAL: 'physical',
  POSTAL: 'postal',
  VIRTUAL: 'virtual',
};

export const LOCATION_TYPE_FROM_ORUK: Record<OrukLocationType, LocationType> = {
  physical: 'PHYSICAL',
  postal: 'POSTAL',
  virtual: 'VIRTUAL',
};

/** Delivery mode from where an activity happens: online only, online and in person, or in person. */
export function deliveryModeFor(locationTypes: readonly LocationType[]): DeliveryMode {
  const virtual = locationTypes.includes('VIRTUAL');
  const inPerson = locationTypes.some((type) => type !== 'VIRTUAL');
  if (virtual && !inPerson) return 'ONLINE';
  if (virtual && inPerson) return 'HYBRID';
  return 'IN_PERSON';
}

/**
 * A copy without null or undefined anywhere: object keys holding them are dropped, and so are
 * array elements. ORUK leaves optional fields out rather than sending null.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((item) => item !== null && item !== undefined).map((item) => withoutNulls(item)) as T;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => [key, withoutNulls(item)]);
    return Object.fromEntries(entries) as T;
  }
  return value;
}

/** A calendar date as ORUK writes it: "YYYY-MM-DD" (dates are stored at midnight UTC). */
export function toDateOnly(date: Date | null | undefined): string | undefined {
  return date ? date.toISOString().slice(0, 10) : undefined;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads an ORUK date ("2024-05-01", or a date-time, whose UTC date is kept) as midnight UTC.
 * Returns undefined when it is not a real date.
 */
export function parseDateOnly(text: string): Date | undefined {
  const trimmed = text.trim();
  const match = DATE_ONLY.exec(trimmed.slice(0, 10));
  if (!match) return undefined;
  if (trimmed.length > 10) {
    const moment = new Date(trimmed);
    if (Number.isNaN(moment.getTime())) return undefined;
    return new Date(`${moment.toISOString().slice(0, 10)}T00:00:00.000Z`);
  }
  const date = new Date(`${trimmed}T00:00:00.000Z`);
  // Rejects 2024-02-31, which Date would roll over into March.
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== trimmed) return undefined;
  return date;
}

const CLOCK_TIME = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?$/;

/** "HH:MM" from "H:MM", "HH:MM" or "HH:MM:SS"; undefined when it is not a time of day. */
export function toClockTime(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const match = CLOCK_TIME.exec(text.trim());
  if (!match) return undefined;
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

// RFC 3986 characters only (unreserved, reserved and percent-escapes), with a scheme.
const URI_SHAPE = /^[a-z][a-z0-9+.-]*:(?:[\w\-.~:/?#[\]@!$&'()*+,;=]|%[0-9a-f]{2})*$/i;

/**
 * An absolute URI the schemas' `format: uri` accepts: the text itself when it already is one,
 * else its normalised form when a URL parser can make sense of it; otherwise undefined.
 */
export function toAbsoluteUri(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  if (URI_SHAPE.test(trimmed) && URL.canParse(trimmed)) return trimmed;
  if (!URL.canParse(trimmed)) return undefined;
  const href = new URL(trimmed).href;
  return URI_SHAPE.test(href) ? href : undefined;
}

// A dot-atom local part and a host name of two or more labels: what `format: email` accepts.
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** The address when the schemas' `format: email` accepts it, else undefined. */
export function toEmail(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = trimmed.slice(0, at);
  const labels = trimmed.slice(at + 1).split('.');
  if (!EMAIL_LOCAL.test(local) || labels.length < 2 || !labels.every((label) => HOST_LABEL.test(label))) {
    return undefined;
  }
  return trimmed;
}

/** Text with content, or undefined (empty and blank strings are left out like nulls). */
export function text(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value;
}
