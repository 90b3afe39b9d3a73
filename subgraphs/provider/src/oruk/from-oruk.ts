import { z } from 'zod';
import type { ListingStatus, LocationType } from '@sp/prisma/provider';
import { importedChildId } from './ids';
import {
  LOCATION_TYPE_FROM_ORUK,
  STATUS_FROM_ORUK,
  parseDateOnly,
  toAbsoluteUri,
  toClockTime,
  toEmail,
  type OrukStatus,
} from './format';
import { describeTerm, type TermReference, type Vocabulary } from './taxonomy-mapping';

// Reading one ORUK service (as /services/{id} gives it, or as a list item) into the records we
// keep. Checks what the ORUK schemas require (ids, name, status, enums, types) and rejects the
// record with the reasons when it fails; an optional value in a bad format (an e-mail address,
// a web address, coordinates off the globe) is dropped with a warning instead.
//
// A list the record does not carry (no `schedules` key, as in a /services page) leaves what we
// hold unchanged; a list it carries, even empty, replaces ours.

const uuid = z
  .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be a UUID') })
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  error: 'must be a UUID',
});

/** Text, also accepting a number (a postcode or phone number sent as one); null counts as absent. */
const optionalText = z
  .union([z.string(), z.number()], { error: 'must be text' })
  .transform((value) => String(value))
  .nullish();

const requiredText = z
  .union([z.string(), z.number()], { error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be text') })
  .transform((value) => String(value).trim())
  .refine((value) => value.length > 0, { error: 'must not be empty' });

const date = optionalText.refine((value) => value === null || value === undefined || parseDateOnly(value) !== undefined, {
  error: 'must be a date such as "2024-05-01"',
});

const clockTime = optionalText.refine((value) => value === null || value === undefined || toClockTime(value) !== undefined, {
  error: 'must be a time of day such as "10:00" or "10:00:00"',
});

const number = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)], { error: 'must be a number' })
  .transform((value) => Number(value))
  .nullish();

const age = z.number({ error: 'must be a whole number of years' }).int({ error: 'must be a whole number of years' }).min(0).max(130).nullish();

const termReference = z.object({
  id: optionalText,
  name: optionalText,
  term: optionalText,
  code: optionalText,
  taxonomy: optionalText,
  taxonomy_id: optionalText,
});

const attribute = z.object({
  id: optionalText,
  taxonomy_term_id: optionalText,
  taxonomy_term: termReference.nullish(),
});

const schedule = z.object({
  id: uuid.nullish(),
  service_at_location_id: uuid.nullish(),
  valid_from: date,
  valid_to: date,
  dtstart: date,
  freq: optionalText
    .transform((value) => value?.trim().toUpperCase() || undefined)
    .refine((value) => value === undefined || value === 'WEEKLY' || value === 'MONTHLY', { error: 'must be WEEKLY or MONTHLY' }),
  interval: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(1).nullish(),
  byday: optionalText,
  bymonthday: optionalText,
  description: optionalText,
  opens_at: clockTime,
  closes_at: clockTime,
  attending_type: optionalText,
  notes: optionalText,
});

const locationType = z.enum(['physical', 'postal', 'virtual'], { error: 'must be "physical", "postal" or "virtual"' });

const location = z.object({
  id: uuid,
  location_type: locationType,
  name: optionalText,
  description: optionalText,
  latitude: number,
  longitude: number,
  addresses: z
    .array(
      z.object({
        address_1: optionalText,
        city: optionalText,
        region: optionalText,
        state_province: optionalText,
        postal_code: optionalText,
        country: optionalText,
      }),
    )
    .nullish(),
  accessibility: z.array(z.object({ description: optionalText, details: optionalText, accessibility: optionalText })).nullish(),
  attributes: z.array(attribute).nullish(),
});

const serviceAtLocation = z.object({
  id: uuid.nullish(),
  location_id: uuid.nullish(),
  description: optionalText,
  location: location.nullish(),
  // HSDS 3.0 puts a service at location's schedules here; ORUK 3.0 in the service's list.
  schedules: z.array(schedule).nullish(),
});

const organization = z.object({
  id: uuid,
  name: requiredText,
  description: optionalText,
  email: optionalText,
  website: optionalText,
  organization_identifiers: z
    .array(z.object({ id: uuid.nullish(), identifier_scheme: optionalText, identifier_type: requiredText, identifier: requiredText }))
    .nullish(),
});

const statusValues = Object.keys(STATUS_FROM_ORUK) as [OrukStatus, ...OrukStatus[]];

export const orukServiceSchema = z.object({
  id: uuid,
  name: requiredText,
  status: z.enum(statusValues, {
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? 'is required'
        : `must be one of ${statusValues.map((value) => `"${value}"`).join(', ')}; got ${JSON.stringify(issue.input)}`,
  }),
  organization_id: uuid.nullish(),
  organization: organization.nullish(),
  description: optionalText,
  url: optionalText,
  email: optionalText,
  fees: optionalText,
  minimum_age: age,
  maximum_age: age,
  eligibility_description: optionalText,
  assured_date: date,
  assurer_email: optionalText,
  schedules: z.array(schedule).nullish(),
  service_areas: z
    .array(z.object({ id: uuid.nullish(), name: optionalText, service_area: optionalText, extent: optionalText, extent_type: optionalText }))
    .nullish(),
  service_at_locations: z.array(serviceAtLocation).nullish(),
  languages: z.array(z.object({ id: uuid.nullish(), name: optionalText, code: optionalText, note: optionalText })).nullish(),
  cost_options: z
    .array(
      z.object({
        id: uuid.nullish(),
        option: optionalText,
        amount: number,
        amount_description: optionalText,
        valid_from: date,
        valid_to: date,
      }),
    )
    .nullish(),
  contacts: z
    .array(
      z.object({
        id: uuid.nullish(),
        name: optionalText,
        title: optionalText,
        email: optionalText,
        phone: optionalText,
        phones: z.array(z.object({ number: optionalText })).nullish(),
      }),
    )
    .nullish(),
  attributes: z.array(attribute).nullish(),
});

export type OrukServiceInput = z.infer<typeof orukServiceSchema>;

// ---- What we keep, in the shape of our tables --------------------------------------------

export interface ActivityColumns {
  organizationId: string | null;
  name: string;
  description: string;
  url: string | null;
  email: string | null;
  status: ListingStatus;
  fees: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  eligibilityDescription: string | null;
  assuredDate: Date | null;
  assurerEmail: string | null;
}

export interface OrganizationPlan {
  id: string;
  columns: { name: string; description: string; email: string | null; website: string | null };
  identifiers?: Array<{ id: string; identifierScheme: string | null; identifierType: string; identifier: string }>;
}

export interface LocationAddress {
  address1: string | null;
  city: string | null;
  region: string | null;
  localAuthority: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface LocationPlan {
  id: string;
  columns: {
    locationType: LocationType;
    name: string | null;
    description: string | null;
    latitude: number | null;
    longitude: number | null;
  };
  /** Undefined when the record has no `addresses`: the address we hold stays. */
  address?: LocationAddress;
  /** Undefined when the record has neither `accessibility` nor `attributes`. */
  accessibility?: { note: string | null; features: Array<{ termId: string; details: string | null }> };
}

export interface ScheduleRow {
  id: string;
  serviceAtLocationId: string | null;
  freq: string | null;
  interval: number | null;
  byday: string | null;
  bymonthday: string | null;
  opensAt: string | null;
  closesAt: string | null;
  validFrom: Date | null;
  validTo: Date | null;
  dtstart: Date | null;
  description: string | null;
  attendingType: string | null;
  notes: string | null;
}

export interface ServicePlan {
  id: string;
  /** Undefined when the record names no organisation: the one we hold stays. */
  organizationId?: string;
  organization?: OrganizationPlan;
  columns: Omit<ActivityColumns, 'organizationId'>;
  locations: LocationPlan[];
  /** Locations named only by `location_id`: they must already exist. */
  referencedLocationIds: string[];
  serviceAtLocations?: Array<{ id: string; locationId: string; description: string | null }>;
  schedules?: ScheduleRow[];
  costOptions?: Array<{ id: string; option: string | null; amount: number | null; amountDescription: string | null; validFrom: Date | null; validTo: Date | null }>;
  serviceAreas?: Array<{ id: string; name: string; extent: string | null; extentType: string | null }>;
  languages?: Array<{ id: string; name: string; code: string | null; note: string | null }>;
  contacts?: Array<{ id: string; name: string | null; title: string | null; email: string | null; phone: string | null }>;
  termIds?: string[];
  warnings: string[];
  unknownTerms: string[];
}

/** A record we cannot import, with why. */
export class RecordRejection extends Error {
  override name = 'RecordRejection';
}

/** Reads the zod issues as "field: problem" lines a person can act on. */
export function describeIssues(error: z.ZodError): string {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'record';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > 5 ? `; and ${error.issues.length - 5} more problem(s)` : '';
  return `${lines.join('; ')}${more}`;
}

const orNull = <T>(value: T | null | undefined): T | null => (value === undefined || value === null ? null : value);
const textOrNull = (value: string | null | undefined) => (value === null || value === undefined || value.trim() === '' ? null : value);
const dateOrNull = (value: string | null | undefined) => (value ? (parseDateOnly(value) ?? null) : null);

/**
 * Turns a checked ORUK service into what we keep, mapping taxonomy terms onto our vocabularies.
 * Throws RecordRejection for problems the schema cannot express (inconsistent ids).
 */
export function planService(input: OrukServiceInput, vocabulary: Vocabulary): ServicePlan {
  const warnings: string[] = [];
  const unknownTerms: string[] = [];
  const serviceId = input.id;

  const formatted = (value: string | null | undefined, field: string, check: (text: string) => string | undefined) => {
    const given = textOrNull(value);
    if (given === null) return null;
    const valid = check(given);
    if (valid === undefined) warnings.push(`${field} "${given}" is not valid, so it was left out`);
    return valid ?? null;
  };

  if (input.organization && input.organization_id && input.organization.id !== input.organization_id) {
    throw new RecordRejection(`organization_id ${input.organization_id} differs from organization.id ${input.organization.id}`);
  }
  const organization: OrganizationPlan | undefined = input.organization
    ? {
        id: input.organization.id,
        columns: {
          name: input.organization.name,
          description: input.organization.description ?? '',
          email: formatted(input.organization.email, 'organization.email', toEmail),
          website: formatted(input.organization.website, 'organization.website', toAbsoluteUri),
        },
        identifiers: input.organization.organization_identifiers?.map((identifier, index) => ({
          id: identifier.id ?? importedChildId(input.organization!.id, 'identifier', index),
          identifierScheme: textOrNull(identifier.identifier_scheme),
          identifierType: identifier.identifier_type,
          identifier: identifier.identifier,
        })),
      }
    : undefined;

  const mapTerms = (attributes: Array<z.infer<typeof attribute>>, use: 'service' | 'location') => {
    const ids: string[] = [];
    for (const item of attributes) {
      const reference: TermReference = { ...item.taxonomy_term, id: item.taxonomy_term?.id ?? item.taxonomy_term_id };
      const found = vocabulary.match(reference, use);
      if (found) {
        if (!ids.includes(found.id)) ids.push(found.id);
      } else {
        unknownTerms.push(use === 'location' ? `${describeTerm(reference)} on a location` : describeTerm(reference));
      }
    }
    return ids;
  };

  const locations: LocationPlan[] = [];
  const referencedLocationIds: string[] = [];
  const serviceAtLocations = input.service_at_locations?.map((item, index) => {
    const locationId = item.location?.id ?? item.location_id;
    if (!locationId) {
      throw new RecordRejection(`service_at_locations.${index}: needs a location or a location_id`);
    }
    if (item.location && item.location_id && item.location.id !== item.location_id) {
      throw new RecordRejection(`service_at_locations.${index}: location_id differs from location.id`);
    }
    if (item.location && !locations.some((known) => known.id === locationId)) {
      const given = item.location;
      const where = `service_at_locations.${index}.location`;
      let latitude: number | null = null;
      let longitude: number | null = null;
      if (typeof given.latitude === 'number' && typeof given.longitude === 'number') {
        if (Math.abs(given.latitude) <= 90 && Math.abs(given.longitude) <= 180) {
          latitude = given.latitude;
          longitude = given.longitude;
        } else {
          warnings.push(`${where}: latitude ${given.latitude}, longitude ${given.longitude} is not on the globe, so the coordinates were left out`);
        }
      } else if (typeof given.latitude === 'number' || typeof given.longitude === 'number') {
        warnings.push(`${where}: has only one of latitude and longitude, so neither was kept`);
      }
      const address = given.addresses?.[0];
      if ((given.addresses?.length ?? 0) > 1) warnings.push(`${where}: only the first of ${given.addresses!.length} addresses is kept`);
      const features = mapTerms(given.attributes ?? [], 'location').map((termId) => ({ termId, details: null as string | null }));
      const notes: string[] = [];
      for (const entry of given.accessibility ?? []) {
        const description = textOrNull(entry.description) ?? textOrNull(entry.accessibility);
        const details = textOrNull(entry.details);
        const matched = description ? vocabulary.match({ name: description }, 'location') : undefined;
        if (matched) {
          const existing = features.find((feature) => feature.termId === matched.id);
          if (existing) existing.details = details ?? existing.details;
          else features.push({ termId: matched.id, details });
        } else if (description || details) {
          notes.push([description, details].filter(Boolean).join(' — '));
        }
      }
      locations.push({
        id: locationId,
        columns: {
          locationType: LOCATION_TYPE_FROM_ORUK[given.location_type],
          name: textOrNull(given.name),
          description: textOrNull(given.description),
          latitude,
          longitude,
        },
        address:
          given.addresses === undefined || given.addresses === null
            ? undefined
            : {
                address1: textOrNull(address?.address_1),
                city: textOrNull(address?.city),
                region: textOrNull(address?.region),
                localAuthority: textOrNull(address?.state_province),
                postalCode: textOrNull(address?.postal_code),
                country: textOrNull(address?.country),
              },
        accessibility:
          given.accessibility == null && given.attributes == null
            ? undefined
            : { note: notes.length ? notes.join('\n') : null, features },
      });
    } else if (!item.location && !referencedLocationIds.includes(locationId)) {
      referencedLocationIds.push(locationId);
    }
    return { id: item.id ?? importedChildId(serviceId, 'service-at-location', index), locationId, description: textOrNull(item.description) };
  });
  if (serviceAtLocations) {
    const seen = new Set<string>();
    for (const place of serviceAtLocations) {
      if (seen.has(place.locationId)) {
        throw new RecordRejection(`service_at_locations: location ${place.locationId} is listed twice`);
      }
      seen.add(place.locationId);
    }
  }

  const scheduleRow = (item: z.infer<typeof schedule>, serviceAtLocationId: string | null, id: string): ScheduleRow => ({
    id,
    serviceAtLocationId,
    freq: item.freq ?? null,
    interval: orNull(item.interval),
    byday: textOrNull(item.byday)?.toUpperCase().replace(/\s+/g, '') ?? null,
    bymonthday: textOrNull(item.bymonthday),
    opensAt: toClockTime(item.opens_at) ?? null,
    closesAt: toClockTime(item.closes_at) ?? null,
    validFrom: dateOrNull(item.valid_from),
    validTo: dateOrNull(item.valid_to),
    dtstart: dateOrNull(item.dtstart),
    description: textOrNull(item.description),
    attendingType: textOrNull(item.attending_type),
    notes: textOrNull(item.notes),
  });
  const carriesSchedules =
    input.schedules != null || (input.service_at_locations ?? []).some((item) => item.schedules != null);
  let schedules: ScheduleRow[] | undefined;
  if (carriesSchedules) {
    schedules = [];
    const add = (row: ScheduleRow) => {
      if (!schedules!.some((known) => known.id === row.id)) schedules!.push(row);
    };
    (input.schedules ?? []).forEach((item, index) =>
      add(scheduleRow(item, item.service_at_location_id ?? null, item.id ?? importedChildId(serviceId, 'schedule', index))),
    );
    (input.service_at_locations ?? []).forEach((item, placeIndex) =>
      (item.schedules ?? []).forEach((entry, index) =>
        add(
          scheduleRow(
            entry,
            serviceAtLocations![placeIndex]!.id,
            entry.id ?? importedChildId(serviceId, `schedule-${placeIndex}`, index),
          ),
        ),
      ),
    );
    if (serviceAtLocations) {
      const placeIds = new Set(serviceAtLocations.map((place) => place.id));
      const stray = schedules.find((row) => row.serviceAtLocationId !== null && !placeIds.has(row.serviceAtLocationId));
      if (stray) {
        throw new RecordRejection(`schedule ${stray.id} names service_at_location_id ${stray.serviceAtLocationId}, which this service does not have`);
      }
    }
  }

  const serviceAreas = input.service_areas
    ?.map((area, index) => {
      const name = textOrNull(area.name) ?? textOrNull(area.service_area);
      if (!name) {
        warnings.push(`service_areas.${index} has no name, so it was left out`);
        return undefined;
      }
      return { id: area.id ?? importedChildId(serviceId, 'service-area', index), name, extent: textOrNull(area.extent), extentType: textOrNull(area.extent_type) };
    })
    .filter((area) => area !== undefined);

  const languages = input.languages
    ?.map((language, index) => {
      const name = textOrNull(language.name) ?? textOrNull(language.code);
      if (!name) {
        warnings.push(`languages.${index} has neither a name nor a code, so it was left out`);
        return undefined;
      }
      return { id: language.id ?? importedChildId(serviceId, 'language', index), name, code: textOrNull(language.code), note: textOrNull(language.note) };
    })
    .filter((language) => language !== undefined);

  return {
    id: serviceId,
    organizationId: input.organization?.id ?? input.organization_id ?? undefined,
    organization,
    columns: {
      name: input.name,
      description: input.description ?? '',
      url: formatted(input.url, 'url', toAbsoluteUri),
      email: formatted(input.email, 'email', toEmail),
      status: STATUS_FROM_ORUK[input.status],
      fees: textOrNull(input.fees),
      minimumAge: orNull(input.minimum_age),
      maximumAge: orNull(input.maximum_age),
      eligibilityDescription: textOrNull(input.eligibility_description),
      assuredDate: dateOrNull(input.assured_date),
      assurerEmail: formatted(input.assurer_email, 'assurer_email', toEmail),
    },
    locations,
    referencedLocationIds,
    serviceAtLocations,
    schedules,
    costOptions: input.cost_options?.map((option, index) => ({
      id: option.id ?? importedChildId(serviceId, 'cost-option', index),
      option: textOrNull(option.option),
      amount: orNull(option.amount),
      amountDescription: textOrNull(option.amount_description),
      validFrom: dateOrNull(option.valid_from),
      validTo: dateOrNull(option.valid_to),
    })),
    serviceAreas,
    languages,
    contacts: input.contacts?.map((contact, index) => ({
      id: contact.id ?? importedChildId(serviceId, 'contact', index),
      name: textOrNull(contact.name),
      title: textOrNull(contact.title),
      email: formatted(contact.email, `contacts.${index}.email`, toEmail),
      phone: textOrNull(contact.phone) ?? textOrNull(contact.phones?.find((phone) => textOrNull(phone.number))?.number),
    })),
    termIds: input.attributes ? mapTerms(input.attributes, 'service') : undefined,
    warnings,
    unknownTerms,
  };
}
