import type { DeliveryMode, Prisma, ProviderClient } from '@sp/prisma/provider';
import { TAXONOMY_IDS, termCodes, termId, type TaxonomyId } from '@sp/prisma/reference/vocabularies';
import { ErrorCode, userError } from '@sp/runtime/errors';

export const DAYS_OF_WEEK = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** Demand on a participant, on the activity-analysis scale: 0 none, 1 low, 2 moderate, 3 high. */
export interface DemandLimits {
  cognitive?: number | null;
  sensory?: number | null;
  mobility?: number | null;
  communication?: number | null;
}

/** What a professional can narrow the directory by. Every field is optional; all given must hold. */
export interface ActivityFilter {
  /** Condition codes; an activity for any of them matches. */
  conditions?: string[] | null;
  /** Group codes; an activity for any of them matches. */
  groups?: string[] | null;
  /** Activity type codes; any matches. */
  activityTypes?: string[] | null;
  /** A town, health board or local authority area; activities with a venue there, or available there remotely. */
  place?: string | null;
  deliveryModes?: DeliveryMode[] | null;
  freeOnly?: boolean | null;
  /** Accessibility codes a venue must have, all of them. */
  accessibility?: string[] | null;
  maxDemand?: DemandLimits | null;
  /** The person's age: the activity's age limits must include it. */
  age?: number | null;
  /** Runs on any of these days. */
  days?: DayOfWeek[] | null;
  /** Only activities with places remaining somewhere. */
  hasPlaces?: boolean | null;
}

function termLinks(taxonomy: TaxonomyId, codes: string[], field: string) {
  const known = termCodes(taxonomy);
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw userError(
      'UNKNOWN_TAXONOMY_TERM',
      `Unknown ${field}: ${unknown.join(', ')}. Use a code from the ${taxonomy} taxonomy (see the taxonomyTerms query).`,
      { field },
    );
  }
  return codes.map((code) => termId(taxonomy, code));
}

/** Where a place name is, as the directory knows it: the names of its town, council area, health board and country. */
export interface ResolvedPlace {
  name: string;
  /** Every area name that contains or equals the place, for matching service areas. */
  areaNames: string[];
}

/**
 * Finds a place among the directory's own locations (town, local authority or health board),
 * ignoring case. Unknown places are refused so that a typo does not silently return nothing.
 */
export async function resolvePlace(db: ProviderClient, place: string): Promise<ResolvedPlace> {
  const wanted = place.trim().toLowerCase();
  const rows = await db.location.findMany({
    where: { locationType: 'PHYSICAL' },
    select: { city: true, localAuthority: true, healthBoard: true, country: true },
    distinct: ['city', 'localAuthority', 'healthBoard', 'country'],
  });
  const matching = rows.filter((row) =>
    [row.city, row.localAuthority, row.healthBoard, row.country].some((value) => value?.toLowerCase() === wanted),
  );
  const serviceArea = matching.length === 0
    ? await db.serviceArea.findFirst({ where: { name: { in: [place.trim(), titleCase(place.trim())] } }, select: { name: true } })
    : null;
  if (matching.length === 0 && !serviceArea) {
    throw userError(ErrorCode.BAD_USER_INPUT, `No activities are listed in "${place}". Try a town, council area or health board.`, {
      field: 'place',
    });
  }
  const exactName =
    matching
      .flatMap((row) => [row.city, row.localAuthority, row.healthBoard, row.country])
      .find((value) => value?.toLowerCase() === wanted) ??
    serviceArea?.name ??
    place.trim();
  // Larger areas that contain the place: a Dundee resident can use an online class for NHS Tayside or Scotland.
  const areaNames = new Set<string>([exactName]);
  for (const row of matching) {
    const levels = [row.city, row.localAuthority, row.healthBoard, row.country];
    const at = levels.findIndex((value) => value?.toLowerCase() === wanted);
    for (const value of levels.slice(at)) if (value) areaNames.add(value);
  }
  return { name: exactName, areaNames: [...areaNames] };
}

function titleCase(value: string) {
  return value.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());
}

const DEMAND_FIELDS = {
  cognitive: 'cognitiveDemand',
  sensory: 'sensoryDemand',
  mobility: 'mobilityDemand',
  communication: 'communicationDemand',
} as const;

/**
 * Turns a filter into a Prisma `where` over active activities. Validates as it goes, so bad
 * input is refused with a specific code before anything is queried.
 */
export async function buildActivityWhere(db: ProviderClient, filter: ActivityFilter | null | undefined): Promise<Prisma.ActivityWhereInput> {
  const and: Prisma.ActivityWhereInput[] = [{ status: 'ACTIVE' }];
  if (!filter) return { AND: and };

  const anyTerm = (taxonomy: TaxonomyId, codes: string[] | null | undefined, field: string) => {
    if (!codes || codes.length === 0) return;
    and.push({ terms: { some: { termId: { in: termLinks(taxonomy, codes, field) } } } });
  };
  anyTerm(TAXONOMY_IDS.condition, filter.conditions, 'conditions');
  anyTerm(TAXONOMY_IDS.group, filter.groups, 'groups');
  anyTerm(TAXONOMY_IDS.activityType, filter.activityTypes, 'activityTypes');

  if (filter.accessibility && filter.accessibility.length > 0) {
    const ids = termLinks(TAXONOMY_IDS.accessibility, filter.accessibility, 'accessibility');
    and.push({
      serviceAtLocations: {
        some: { location: { locationType: 'PHYSICAL', AND: ids.map((id) => ({ accessibility: { some: { termId: id } } })) } },
      },
    });
  }

  if (filter.place && filter.place.trim()) {
    const place = await resolvePlace(db, filter.place);
    const here = { in: place.areaNames };
    and.push({
      OR: [
        {
          serviceAtLocations: {
            some: {
              location: {
                locationType: 'PHYSICAL',
                OR: [{ city: { equals: place.name } }, { localAuthority: { equals: place.name } }, { healthBoard: { equals: place.name } }, { country: { equals: place.name } }],
              },
            },
          },
        },
        { deliveryMode: { in: ['ONLINE', 'TELEPHONE', 'HOME_VISIT', 'HYBRID'] }, serviceAreas: { some: { name: here } } },
      ],
    });
  }

  if (filter.deliveryModes && filter.deliveryModes.length > 0) and.push({ deliveryMode: { in: filter.deliveryModes } });
  if (filter.freeOnly) and.push({ isFree: true });

  if (filter.maxDemand) {
    for (const [domain, column] of Object.entries(DEMAND_FIELDS) as Array<[keyof DemandLimits, (typeof DEMAND_FIELDS)[keyof typeof DEMAND_FIELDS]]>) {
      const limit = filter.maxDemand[domain];
      if (limit === null || limit === undefined) continue;
      if (!Number.isInteger(limit) || limit < 0 || limit > 3) {
        throw userError(ErrorCode.BAD_USER_INPUT, `maxDemand.${domain} must be between 0 (none) and 3 (high).`, { field: `maxDemand.${domain}` });
      }
      and.push({ [column]: { lte: limit } });
    }
  }

  if (filter.age !== null && filter.age !== undefined) {
    if (!Number.isInteger(filter.age) || filter.age < 0 || filter.age > 130) {
      throw userError(ErrorCode.BAD_USER_INPUT, 'age must be a whole number of years from 0 to 130.', { field: 'age' });
    }
    and.push({ OR: [{ minimumAge: null }, { minimumAge: { lte: filter.age } }] });
    and.push({ OR: [{ maximumAge: null }, { maximumAge: { gte: filter.age } }] });
  }

  if (filter.days && filter.days.length > 0) {
    const onDay = filter.days.map((day) => ({ byday: { contains: day } }));
    and.push({
      OR: [{ schedules: { some: { OR: onDay } } }, { serviceAtLocations: { some: { schedules: { some: { OR: onDay } } } } }],
    });
  }

  if (filter.hasPlaces) and.push({ serviceAtLocations: { some: { placesRemaining: { gt: 0 } } } });

  return { AND: and };
}
