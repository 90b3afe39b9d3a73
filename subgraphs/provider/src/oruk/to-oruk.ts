import type { Prisma } from '@sp/prisma/provider';
import {
  accessibilityId,
  addressId,
  attributeId,
  capacityId,
  contactPhoneId,
  feedTaxonomyId,
  isUuid,
  PLACE_UNIT,
} from './ids';
import {
  LOCATION_TYPE_TO_ORUK,
  STATUS_TO_ORUK,
  text,
  toAbsoluteUri,
  toClockTime,
  toDateOnly,
  toEmail,
  withoutNulls,
} from './format';

// Our records in the shape of ORUK 3.0 (HSDS-UK-3.0). Every response passes through
// `withoutNulls`, and values whose format the schemas check (uuid, uri, email, enums) are only
// sent when they are valid, so a stored oddity can never make the feed invalid. Fields of HSDS
// 3.0/3.1 that ORUK 3.0 does not list (language names, contact e-mail, capacities) are added
// where the ORUK schemas allow extra properties, which they all do.

type Json = Record<string, unknown>;

const termWithTaxonomy = { include: { taxonomy: true } } as const;

export const locationInclude = {
  accessibility: { include: { term: termWithTaxonomy }, orderBy: { termId: 'asc' } },
} as const satisfies Prisma.LocationInclude;

export const serviceListInclude = { organization: true } as const satisfies Prisma.ActivityInclude;

export const serviceFullInclude = {
  organization: { include: { identifiers: { orderBy: { id: 'asc' } } } },
  terms: { include: { term: termWithTaxonomy }, orderBy: { termId: 'asc' } },
  schedules: { orderBy: { id: 'asc' } },
  costOptions: { orderBy: { id: 'asc' } },
  serviceAreas: { orderBy: { id: 'asc' } },
  languages: { orderBy: { id: 'asc' } },
  contacts: { orderBy: { id: 'asc' } },
  serviceAtLocations: {
    orderBy: { id: 'asc' },
    include: { location: { include: locationInclude }, schedules: { orderBy: { id: 'asc' } } },
  },
} as const satisfies Prisma.ActivityInclude;

export const serviceAtLocationListInclude = {
  location: true,
  activity: { include: serviceListInclude },
} as const satisfies Prisma.ServiceAtLocationInclude;

export type ServiceListRecord = Prisma.ActivityGetPayload<{ include: typeof serviceListInclude }>;
export type ServiceFullRecord = Prisma.ActivityGetPayload<{ include: typeof serviceFullInclude }>;
export type ServiceAtLocationListRecord = Prisma.ServiceAtLocationGetPayload<{
  include: typeof serviceAtLocationListInclude;
}>;
type OrganizationRecord = Prisma.OrganizationGetPayload<{ include: { identifiers: true } }>;
type LocationRecord = Prisma.LocationGetPayload<{ include: typeof locationInclude }>;
type TermRecord = Prisma.TaxonomyTermGetPayload<typeof termWithTaxonomy>;
type TaxonomyRecord = Prisma.TaxonomyGetPayload<{ include: { terms: true } }>;
type ScheduleRecord = Prisma.ScheduleGetPayload<object>;

const uuidOrUndefined = (value: string | null | undefined) => (isUuid(value) ? value : undefined);

export const ORUK_VERSION = 'HSDS-UK-3.0';
export const ORUK_PROFILE_URL = 'https://github.com/OpenReferralUK/uk-profile';
export const ORUK_OPENAPI_URL = 'https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json';

/** `GET /`: which standard this API follows. */
export function apiInfo(): Json {
  return { version: ORUK_VERSION, profile: ORUK_PROFILE_URL, openapi_url: ORUK_OPENAPI_URL };
}

export function taxonomyTermToOruk(term: TermRecord): Json {
  return withoutNulls({
    id: term.id,
    name: term.name,
    description: term.description,
    parent_id: uuidOrUndefined(term.parentId),
    taxonomy: term.taxonomy.name,
    taxonomy_id: feedTaxonomyId(term.taxonomyId),
    term_uri: undefined,
    term: term.name,
    // HSDS 3.0: the term's code within its taxonomy, such as "parkinsons".
    code: term.code,
  });
}

export function taxonomyToOruk(taxonomy: Prisma.TaxonomyGetPayload<object> | TaxonomyRecord): Json {
  const terms = 'terms' in taxonomy ? taxonomy.terms : undefined;
  return withoutNulls({
    id: feedTaxonomyId(taxonomy.id),
    name: taxonomy.name,
    description: taxonomy.description,
    uri: toAbsoluteUri(taxonomy.uri),
    version: text(taxonomy.version),
    taxonomy_terms: terms?.map((term) => taxonomyTermToOruk({ ...term, taxonomy })),
  });
}

function attribute(linkType: 'service' | 'location', linkId: string, term: TermRecord): Json {
  return {
    id: attributeId(linkType, linkId, term.id),
    link_id: linkId,
    link_type: linkType,
    taxonomy_term_id: term.id,
    taxonomy_term: taxonomyTermToOruk(term),
  };
}

function organizationToOruk(organization: Prisma.OrganizationGetPayload<object> | OrganizationRecord): Json {
  const identifiers = 'identifiers' in organization ? organization.identifiers : undefined;
  return withoutNulls({
    id: organization.id,
    name: organization.name,
    description: organization.description,
    email: toEmail(organization.email),
    website: toAbsoluteUri(organization.website),
    organization_identifiers: identifiers?.map((identifier) => ({
      id: identifier.id,
      organization_id: organization.id,
      identifier_scheme: text(identifier.identifierScheme),
      identifier_type: identifier.identifierType,
      identifier: identifier.identifier,
    })),
  });
}

/** The one-to-one fields of a service, as `/services` lists them (service_list.json). */
export function serviceListItemToOruk(activity: ServiceListRecord): Json {
  return withoutNulls({
    id: activity.id,
    organization_id: activity.organizationId,
    name: activity.name,
    description: activity.description,
    url: toAbsoluteUri(activity.url),
    email: toEmail(activity.email),
    status: STATUS_TO_ORUK[activity.status],
    fees: text(activity.fees),
    minimum_age: activity.minimumAge,
    maximum_age: activity.maximumAge,
    assured_date: toDateOnly(activity.assuredDate),
    assurer_email: toEmail(activity.assurerEmail),
    last_modified: activity.updatedAt.toISOString(),
    // HSDS 3.0 field, not listed by ORUK 3.0.
    eligibility_description: text(activity.eligibilityDescription),
    organization: organizationToOruk(activity.organization),
  });
}

function scheduleToOruk(schedule: ScheduleRecord, serviceId: string): Json {
  const freq = schedule.freq?.toUpperCase();
  return {
    id: schedule.id,
    service_id: serviceId,
    service_at_location_id: schedule.serviceAtLocationId ?? undefined,
    valid_from: toDateOnly(schedule.validFrom),
    valid_to: toDateOnly(schedule.validTo),
    dtstart: toDateOnly(schedule.dtstart),
    freq: freq === 'WEEKLY' || freq === 'MONTHLY' ? freq : undefined,
    interval: schedule.interval,
    byday: text(schedule.byday),
    bymonthday: text(schedule.bymonthday),
    description: text(schedule.description),
    opens_at: toClockTime(schedule.opensAt),
    closes_at: toClockTime(schedule.closesAt),
    attending_type: text(schedule.attendingType),
    notes: text(schedule.notes),
  };
}

/** A location's one-to-one fields, as the list of services at locations gives them. */
function locationSummary(location: Prisma.LocationGetPayload<object>): Json {
  return {
    id: location.id,
    location_type: LOCATION_TYPE_TO_ORUK[location.locationType],
    name: text(location.name),
    description: text(location.description),
    latitude: location.latitude,
    longitude: location.longitude,
  };
}

function locationToOruk(location: LocationRecord): Json {
  const { address1, city, postalCode, country } = location;
  // ORUK requires every part of an address; one we only know in part (a sample venue has a
  // town and a postcode district) is not published as an address.
  const address =
    text(address1) && text(city) && text(postalCode) && text(country)
      ? {
          id: addressId(location.id),
          location_id: location.id,
          address_1: address1,
          city,
          region: text(location.region),
          state_province: location.localAuthority ?? location.region ?? '',
          postal_code: postalCode,
          country,
          address_type: LOCATION_TYPE_TO_ORUK[location.locationType],
        }
      : undefined;
  const note = text(location.accessibilityNote);
  return {
    ...locationSummary(location),
    // Left out, not [], when unknown: an importer reads [] as "this location has no address".
    addresses: address ? [address] : undefined,
    accessibility: [
      ...(note ? [{ id: accessibilityId(location.id, 'note'), location_id: location.id, description: note }] : []),
      ...location.accessibility.map((feature) => ({
        id: accessibilityId(location.id, feature.termId),
        location_id: location.id,
        description: feature.term.name,
        details: text(feature.details),
      })),
    ],
    attributes: location.accessibility.map((feature) => attribute('location', location.id, feature.term)),
  };
}

function capacities(activity: ServiceFullRecord): Json[] {
  return activity.serviceAtLocations
    .filter((place) => place.placesRemaining !== null)
    .map((place) => {
      const where = text(place.location.name);
      const description = [where ? `Places at ${where}` : 'Places', place.waitingListOpen ? 'waiting list open' : undefined]
        .filter(Boolean)
        .join('; ');
      return {
        id: capacityId(place.id),
        service_id: activity.id,
        unit: PLACE_UNIT,
        unit_id: PLACE_UNIT.id,
        available: place.placesRemaining,
        maximum: place.places,
        description,
        updated: (place.capacityUpdatedAt ?? activity.updatedAt).toISOString(),
      };
    });
}

/** A fully nested service, as `/services/{id}` gives it (service.json). */
export function serviceToOruk(activity: ServiceFullRecord): Json {
  return withoutNulls({
    ...serviceListItemToOruk(activity),
    organization: organizationToOruk(activity.organization),
    schedules: [
      ...activity.schedules.map((schedule) => scheduleToOruk(schedule, activity.id)),
      ...activity.serviceAtLocations.flatMap((place) =>
        place.schedules.map((schedule) => scheduleToOruk(schedule, activity.id)),
      ),
    ],
    service_areas: activity.serviceAreas.map((area) => ({
      id: area.id,
      service_id: activity.id,
      name: area.name,
      extent: text(area.extent),
      extent_type: text(area.extentType),
    })),
    service_at_locations: activity.serviceAtLocations.map((place) => ({
      id: place.id,
      service_id: activity.id,
      location_id: place.locationId,
      description: text(place.description),
      location: locationToOruk(place.location),
    })),
    languages: activity.languages.map((language) => ({
      id: language.id,
      service_id: activity.id,
      name: language.name,
      code: text(language.code),
      note: text(language.note),
    })),
    cost_options: activity.costOptions.map((option) => ({
      id: option.id,
      service_id: activity.id,
      valid_from: toDateOnly(option.validFrom),
      valid_to: toDateOnly(option.validTo),
      option: text(option.option),
      amount: option.amount === null ? undefined : option.amount.toNumber(),
      currency: option.amount === null ? undefined : 'GBP',
      amount_description: text(option.amountDescription),
    })),
    contacts: activity.contacts.map((contact) => ({
      id: contact.id,
      service_id: activity.id,
      name: text(contact.name),
      title: text(contact.title),
      email: toEmail(contact.email),
      phones: text(contact.phone)
        ? [{ id: contactPhoneId(contact.id), contact_id: contact.id, number: contact.phone }]
        : undefined,
    })),
    attributes: activity.terms.map((link) => attribute('service', activity.id, link.term)),
    // HSDS 3.1 service capacity, per service at location that counts its places.
    capacities: capacities(activity),
  });
}

/** One service at a location with its location and service one-to-one fields (service_at_location_list.json). */
export function serviceAtLocationListItemToOruk(place: ServiceAtLocationListRecord): Json {
  return withoutNulls({
    id: place.id,
    service_id: place.activityId,
    location_id: place.locationId,
    description: text(place.description),
    location: locationSummary(place.location),
    service: serviceListItemToOruk(place.activity),
  });
}

/**
 * One service at a location, fully nested (service_at_location.json): its location, and its
 * service with the service's own schedules and this location's.
 */
export function serviceAtLocationToOruk(activity: ServiceFullRecord, serviceAtLocationId: string): Json | undefined {
  const place = activity.serviceAtLocations.find((candidate) => candidate.id === serviceAtLocationId);
  if (!place) return undefined;
  const service = serviceToOruk(activity);
  const { service_at_locations: _others, schedules, ...serviceFields } = service as Json & { schedules?: Json[] };
  return withoutNulls({
    id: place.id,
    service_id: activity.id,
    location_id: place.locationId,
    description: text(place.description),
    location: locationToOruk(place.location),
    service: {
      ...serviceFields,
      schedules: (schedules ?? []).filter(
        (schedule) => schedule.service_at_location_id === undefined || schedule.service_at_location_id === place.id,
      ),
      capacities: capacities({ ...activity, serviceAtLocations: [place] }),
    },
  });
}
