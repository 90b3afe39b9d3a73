// Query parameters of the ORUK API, checked once at the edge. A bad value is answered with a
// 400 that names the parameter and says what it accepts; an unknown parameter is ignored.

export type OrukErrorCode = 'INVALID_PARAMETER' | 'POSTCODE_NOT_LOCATED' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED';

/** An expected error a caller can act on: sent as JSON with its status and a stable code. */
export class OrukRequestError extends Error {
  override name = 'OrukRequestError';
  constructor(
    readonly status: 400 | 404 | 405,
    readonly code: OrukErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;
/** Past this, paging is a crawl of the whole directory; a consumer should narrow the query. */
export const MAX_PAGE = 100_000;
export const MAX_SEARCH_LENGTH = 200;
export const MAX_PROXIMITY_METRES = 200_000;
const MAX_AGE = 130;

export interface Paging {
  page: number;
  perPage: number;
}

export type DayCode = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

export interface ServiceFilters {
  search?: string;
  taxonomyTermId?: string;
  /** As given: our taxonomy id or its UUID in the feed; resolved against the database. */
  taxonomyId?: string;
  minimumAge?: number;
  maximumAge?: number;
  day?: DayCode;
  /** "HH:MM" */
  startTime?: string;
  endTime?: string;
  /** Outward code ("DD1"), from a full postcode or a district. */
  postcodeDistrict?: string;
  /** Metres from the postcode; only with a postcode. */
  proximity?: number;
}

function invalid(parameter: string, message: string): OrukRequestError {
  return new OrukRequestError(400, 'INVALID_PARAMETER', message, parameter);
}

function present(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value.trim() === '' ? undefined : value.trim();
}

function wholeNumber(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = present(params, name);
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(name, `${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

export function parsePaging(params: URLSearchParams): Paging {
  return {
    page: wholeNumber(params, 'page', 1, MAX_PAGE) ?? 1,
    perPage: wholeNumber(params, 'per_page', 1, MAX_PER_PAGE) ?? DEFAULT_PER_PAGE,
  };
}

const DAY_NAMES: Record<string, DayCode> = {
  mo: 'MO', mon: 'MO', monday: 'MO',
  tu: 'TU', tue: 'TU', tues: 'TU', tuesday: 'TU',
  we: 'WE', wed: 'WE', wednesday: 'WE',
  th: 'TH', thu: 'TH', thur: 'TH', thurs: 'TH', thursday: 'TH',
  fr: 'FR', fri: 'FR', friday: 'FR',
  sa: 'SA', sat: 'SA', saturday: 'SA',
  su: 'SU', sun: 'SU', sunday: 'SU',
};

function day(params: URLSearchParams): DayCode | undefined {
  const raw = present(params, 'day');
  if (raw === undefined) return undefined;
  const code = DAY_NAMES[raw.toLowerCase()];
  if (!code) throw invalid('day', `day must be a day of the week, such as "TU" (RFC 5545) or "Tuesday"; got "${raw}".`);
  return code;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/;

function time(params: URLSearchParams, name: string): string | undefined {
  const raw = present(params, name);
  if (raw === undefined) return undefined;
  const match = TIME.exec(raw);
  if (!match) throw invalid(name, `${name} must be a time of day as HH:MM, such as "09:30"; got "${raw}".`);
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

const FULL_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/;
const POSTCODE_DISTRICT = /^[A-Z]{1,2}\d[A-Z\d]?$/;

/** The outward code (district) of a UK postcode or district, such as "DD1" for "dd1 4hn". */
export function postcodeDistrict(value: string): string | undefined {
  const compact = value.toUpperCase().replace(/\s+/g, '');
  const full = FULL_POSTCODE.exec(compact);
  if (full) return full[1];
  return POSTCODE_DISTRICT.test(compact) ? compact : undefined;
}

function proximity(params: URLSearchParams): number | undefined {
  const raw = present(params, 'proximity');
  if (raw === undefined) return undefined;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0 || value > MAX_PROXIMITY_METRES) {
    throw invalid('proximity', `proximity must be a distance in metres above 0 and at most ${MAX_PROXIMITY_METRES}; got "${raw}".`);
  }
  return value;
}

function identifier(params: URLSearchParams, name: string): string | undefined {
  const raw = present(params, name);
  if (raw !== undefined && raw.length > 200) throw invalid(name, `${name} is too long to be an id.`);
  return raw;
}

/** The filters of `/services` and `/service_at_locations`. */
export function parseServiceFilters(params: URLSearchParams): ServiceFilters {
  const search = present(params, 'search');
  if (search !== undefined && search.length > MAX_SEARCH_LENGTH) {
    throw invalid('search', `search must be at most ${MAX_SEARCH_LENGTH} characters.`);
  }
  const postcode = present(params, 'postcode');
  const district = postcode === undefined ? undefined : postcodeDistrict(postcode);
  if (postcode !== undefined && district === undefined) {
    throw invalid('postcode', `postcode must be a UK postcode or postcode district, such as "DD1 4HN" or "DD1"; got "${postcode}".`);
  }
  const metres = proximity(params);
  if (metres !== undefined && district === undefined) {
    throw invalid('proximity', 'proximity needs a postcode to measure from.');
  }
  const filters: ServiceFilters = {
    search,
    taxonomyTermId: identifier(params, 'taxonomy_term_id'),
    taxonomyId: identifier(params, 'taxonomy_id'),
    minimumAge: wholeNumber(params, 'minimum_age', 0, MAX_AGE),
    maximumAge: wholeNumber(params, 'maximum_age', 0, MAX_AGE),
    day: day(params),
    startTime: time(params, 'start_time'),
    endTime: time(params, 'end_time'),
    postcodeDistrict: district,
    proximity: metres,
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as ServiceFilters;
}
