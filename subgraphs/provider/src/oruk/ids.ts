import { v5 as uuidv5 } from 'uuid';

// ORUK 3.0 requires a UUID for every object. Most of ours have one; a few ORUK objects have no
// table of their own here (an address is columns of Location, an attribute is a link row with a
// composite key) or have a readable id (our taxonomies, such as "sp-condition"). Those get a
// name-based (version 5) UUID, so the same record always has the same id in the feed.
const FEED_NAMESPACE = '4f0b9c52-8d1e-4a73-b6c5-2e9d7f1a3c80';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in the 8-4-4-4-12 hex form that the ORUK schemas' `format: uuid` accepts. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** A stable UUID for a feed object that has no UUID of its own, from the parts that identify it. */
export function derivedId(...parts: string[]): string {
  return uuidv5(parts.join(':'), FEED_NAMESPACE);
}

/** The id a taxonomy has in the feed: its own when it is a UUID, else one derived from it. */
export function feedTaxonomyId(taxonomyId: string): string {
  return isUuid(taxonomyId) ? taxonomyId : derivedId('taxonomy', taxonomyId);
}

export const attributeId = (linkType: 'service' | 'location', linkId: string, termId: string) =>
  derivedId('attribute', linkType, linkId, termId);

export const addressId = (locationId: string) => derivedId('address', locationId);

export const accessibilityId = (locationId: string, key: string) => derivedId('accessibility', locationId, key);

export const capacityId = (serviceAtLocationId: string) => derivedId('capacity', serviceAtLocationId);

export const contactPhoneId = (contactId: string) => derivedId('phone', contactId);

/** The one capacity unit we publish (HSDS 3.1 `unit`): a place in a class or group. */
export const PLACE_UNIT = { id: derivedId('unit', 'place'), name: 'Place' } as const;

/** An id for a nested ORUK object that arrived without one, stable for the same input. */
export const importedChildId = (serviceId: string, kind: string, index: number) =>
  derivedId('import', serviceId, kind, String(index));
