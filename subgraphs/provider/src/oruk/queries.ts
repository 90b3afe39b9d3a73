import type { Prisma, ProviderClient } from '@sp/prisma/provider';
import { feedTaxonomyId } from './ids';
import { OrukRequestError, postcodeDistrict, type Paging, type ServiceFilters } from './params';
import {
  serviceAtLocationListInclude,
  serviceFullInclude,
  serviceListInclude,
  type ServiceAtLocationListRecord,
  type ServiceFullRecord,
  type ServiceListRecord,
} from './to-oruk';

// The feed's reads. Lists are paged in the database: one query finds the ids of the page with
// every filter applied in SQL (written in the subset SQLite and PostgreSQL share, because Prisma
// cannot express case-insensitive search on both or distance arithmetic), one counts, and Prisma
// then loads just that page's records. Nothing grows with the size of the directory in memory.

export type SqlDialect = 'sqlite' | 'postgresql';

/** Which database the client talks to; the two generated clients share their TypeScript types. */
export async function detectDialect(db: ProviderClient): Promise<SqlDialect> {
  const provider = (db as unknown as { _activeProvider?: unknown })._activeProvider;
  if (provider === 'sqlite' || provider === 'postgresql') return provider;
  try {
    await db.$queryRawUnsafe('SELECT sqlite_version()');
    return 'sqlite';
  } catch {
    return 'postgresql';
  }
}

/** Collects parameter values in the order their placeholders appear in the SQL text. */
class SqlParameters {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'sqlite' ? '?' : `$${this.values.length}`;
  }
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (character) => `\\${character}`);

/** About a metre per 1/111,320 of a degree of latitude; longitude degrees shrink by cos(latitude). */
const METRES_PER_DEGREE = 111_320;

export interface Point {
  latitude: number;
  longitude: number;
}

/** Filters with the postcode turned into a point and the taxonomy id into ours. */
interface ResolvedFilters extends Omit<ServiceFilters, 'taxonomyId'> {
  taxonomyId?: string | null;
  centre?: Point;
}

type Scope = 'service' | 'serviceAtLocation';

function postcodeCondition(p: SqlParameters, alias: string, filters: ResolvedFilters): string {
  if (filters.centre && filters.proximity !== undefined) {
    const { latitude, longitude } = filters.centre;
    const metresPerLongitude = METRES_PER_DEGREE * Math.cos((latitude * Math.PI) / 180);
    const latitudeSpan = filters.proximity / METRES_PER_DEGREE;
    const longitudeSpan = filters.proximity / Math.max(metresPerLongitude, 1);
    // A box first (cheap, bounded), then the distance on a local flat projection: within the
    // distances allowed here the error is well under one per cent.
    return [
      `${alias}."latitude" BETWEEN ${p.add(latitude - latitudeSpan)} AND ${p.add(latitude + latitudeSpan)}`,
      `${alias}."longitude" BETWEEN ${p.add(longitude - longitudeSpan)} AND ${p.add(longitude + longitudeSpan)}`,
      `((${alias}."latitude" - ${p.add(latitude)}) * ${p.add(METRES_PER_DEGREE)}) * ((${alias}."latitude" - ${p.add(latitude)}) * ${p.add(METRES_PER_DEGREE)})` +
        ` + ((${alias}."longitude" - ${p.add(longitude)}) * ${p.add(metresPerLongitude)}) * ((${alias}."longitude" - ${p.add(longitude)}) * ${p.add(metresPerLongitude)})` +
        ` <= ${p.add(filters.proximity * filters.proximity)}`,
    ].join(' AND ');
  }
  // No distance: locations in the same postcode district (stored as "DD1", "DD1 4HN" or "DD14HN").
  const compact = `UPPER(REPLACE(${alias}."postalCode", ' ', ''))`;
  return `(${compact} = ${p.add(filters.postcodeDistrict)} OR ${compact} LIKE ${p.add(`${filters.postcodeDistrict}___`)})`;
}

function scheduleCondition(p: SqlParameters, filters: ResolvedFilters): string {
  const parts: string[] = [];
  if (filters.day) parts.push(`sc."byday" LIKE ${p.add(`%${filters.day}%`)}`);
  if (filters.startTime) parts.push(`sc."opensAt" >= ${p.add(filters.startTime)}`);
  if (filters.endTime) parts.push(`sc."closesAt" <= ${p.add(filters.endTime)}`);
  return parts.join(' AND ');
}

/**
 * The WHERE conditions for active listings matching the filters. `a` is the activity; in the
 * service-at-location scope `s` is that row and `l` its location, and location filters apply
 * to that location only. Placeholders are added in text order (SQLite numbers them so).
 */
function conditions(p: SqlParameters, filters: ResolvedFilters, scope: Scope): string[] {
  const where = [`a."status" = 'ACTIVE'`];
  if (filters.search) {
    const pattern = `%${escapeLike(filters.search.toLowerCase())}%`;
    where.push(
      `(LOWER(a."name") LIKE ${p.add(pattern)} ESCAPE '\\' OR LOWER(a."description") LIKE ${p.add(pattern)} ESCAPE '\\')`,
    );
  }
  // Each related-table filter is a set of ids ("a.id IN (SELECT ...)"): both databases find the
  // few matching rows through an index once, rather than probing per listing.
  const termCondition = (termMatch: (alias: string) => string) => {
    const onActivity = `a."id" IN (SELECT act."activityId" FROM "ActivityTerm" act JOIN "TaxonomyTerm" att ON att."id" = act."termId" WHERE ${termMatch('att')})`;
    const onLocation =
      scope === 'service'
        ? `a."id" IN (SELECT ls."activityId" FROM "ServiceAtLocation" ls JOIN "LocationAccessibility" la ON la."locationId" = ls."locationId" JOIN "TaxonomyTerm" lat ON lat."id" = la."termId" WHERE ${termMatch('lat')})`
        : `s."locationId" IN (SELECT la."locationId" FROM "LocationAccessibility" la JOIN "TaxonomyTerm" lat ON lat."id" = la."termId" WHERE ${termMatch('lat')})`;
    return `(${onActivity} OR ${onLocation})`;
  };
  if (filters.taxonomyTermId) {
    const id = filters.taxonomyTermId;
    where.push(termCondition((alias) => `${alias}."id" = ${p.add(id)}`));
  }
  if (filters.taxonomyId !== undefined) {
    // null: the caller named a taxonomy we do not have, so nothing matches.
    const id = filters.taxonomyId;
    where.push(id === null ? '1 = 0' : termCondition((alias) => `${alias}."taxonomyId" = ${p.add(id)}`));
  }
  if (filters.minimumAge !== undefined) where.push(`a."minimumAge" >= ${p.add(filters.minimumAge)}`);
  if (filters.maximumAge !== undefined) where.push(`a."maximumAge" <= ${p.add(filters.maximumAge)}`);
  if (filters.day || filters.startTime || filters.endTime) {
    const own = `a."id" IN (SELECT sc."activityId" FROM "Schedule" sc WHERE sc."activityId" IS NOT NULL AND ${scheduleCondition(p, filters)})`;
    const atLocations =
      scope === 'service'
        ? `a."id" IN (SELECT ss."activityId" FROM "Schedule" sc JOIN "ServiceAtLocation" ss ON ss."id" = sc."serviceAtLocationId" WHERE ${scheduleCondition(p, filters)})`
        : `s."id" IN (SELECT sc."serviceAtLocationId" FROM "Schedule" sc WHERE sc."serviceAtLocationId" IS NOT NULL AND ${scheduleCondition(p, filters)})`;
    where.push(`(${own} OR ${atLocations})`);
  }
  if (filters.postcodeDistrict) {
    where.push(
      scope === 'service'
        ? `a."id" IN (SELECT ps."activityId" FROM "ServiceAtLocation" ps JOIN "Location" pl ON pl."id" = ps."locationId" WHERE ${postcodeCondition(p, 'pl', filters)})`
        : postcodeCondition(p, 'l', filters),
    );
  }
  return where;
}

export interface Page<T> {
  total: number;
  records: T[];
}

function inPageOrder<T extends { id: string }>(ids: string[], records: T[]): T[] {
  const byId = new Map(records.map((record) => [record.id, record]));
  return ids.map((id) => byId.get(id)).filter((record): record is T => record !== undefined);
}

/** Database reads of the feed, for one client. */
export function createOrukQueries(db: ProviderClient) {
  let dialect: Promise<SqlDialect> | undefined;
  const sqlDialect = () => (dialect ??= detectDialect(db));

  async function pageOfIds(filters: ResolvedFilters, paging: Paging, scope: Scope) {
    const kind = await sqlDialect();
    const from =
      scope === 'service'
        ? `FROM "Activity" a`
        : `FROM "ServiceAtLocation" s JOIN "Activity" a ON a."id" = s."activityId" JOIN "Location" l ON l."id" = s."locationId"`;
    const idColumn = scope === 'service' ? 'a."id"' : 's."id"';

    const pageParameters = new SqlParameters(kind);
    const pageWhere = conditions(pageParameters, filters, scope).join(' AND ');
    const limit = pageParameters.add(paging.perPage);
    const offset = pageParameters.add((paging.page - 1) * paging.perPage);
    const pageSql = `SELECT ${idColumn} AS "id" ${from} WHERE ${pageWhere} ORDER BY a."name" ASC, ${idColumn} ASC LIMIT ${limit} OFFSET ${offset}`;

    const countParameters = new SqlParameters(kind);
    const countSql = `SELECT COUNT(*) AS "total" ${from} WHERE ${conditions(countParameters, filters, scope).join(' AND ')}`;

    const [rows, counted] = await Promise.all([
      db.$queryRawUnsafe<Array<{ id: string }>>(pageSql, ...pageParameters.values),
      db.$queryRawUnsafe<Array<{ total: number | bigint }>>(countSql, ...countParameters.values),
    ]);
    return { ids: rows.map((row) => row.id), total: Number(counted[0]?.total ?? 0) };
  }

  /** Where a postcode district is, from the coordinates of our locations in it (no geocoder offline). */
  async function locateDistrict(district: string): Promise<Point | undefined> {
    const kind = await sqlDialect();
    const p = new SqlParameters(kind);
    const rows = await db.$queryRawUnsafe<Array<{ latitude: number; longitude: number; postalCode: string }>>(
      `SELECT "latitude", "longitude", "postalCode" FROM "Location" WHERE "latitude" IS NOT NULL AND "longitude" IS NOT NULL` +
        ` AND UPPER(REPLACE("postalCode", ' ', '')) LIKE ${p.add(`${district}%`)} LIMIT 1000`,
      ...p.values,
    );
    const inDistrict = rows.filter((row) => postcodeDistrict(row.postalCode) === district);
    if (inDistrict.length === 0) return undefined;
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    return {
      latitude: mean(inDistrict.map((row) => Number(row.latitude))),
      longitude: mean(inDistrict.map((row) => Number(row.longitude))),
    };
  }

  /** Our id of a taxonomy named by our id or by its UUID in the feed; undefined when unknown. */
  async function findTaxonomyId(given: string): Promise<string | undefined> {
    const direct = await db.taxonomy.findUnique({ where: { id: given }, select: { id: true } });
    if (direct) return direct.id;
    const all = await db.taxonomy.findMany({ select: { id: true }, take: 1000 });
    return all.find((taxonomy) => feedTaxonomyId(taxonomy.id) === given.toLowerCase())?.id;
  }

  async function resolve(filters: ServiceFilters): Promise<ResolvedFilters> {
    const { taxonomyId, ...rest } = filters;
    const resolved: ResolvedFilters = { ...rest };
    if (taxonomyId !== undefined) resolved.taxonomyId = (await findTaxonomyId(taxonomyId)) ?? null;
    if (filters.postcodeDistrict && filters.proximity !== undefined) {
      const centre = await locateDistrict(filters.postcodeDistrict);
      if (!centre) {
        throw new OrukRequestError(
          400,
          'POSTCODE_NOT_LOCATED',
          `We cannot place postcode district ${filters.postcodeDistrict} on a map: distances are measured from the ` +
            'venues we list in the same district, and we list none there. Try without proximity, or a nearby district.',
          'postcode',
        );
      }
      resolved.centre = centre;
    }
    return resolved;
  }

  return {
    async listServices(filters: ServiceFilters, paging: Paging): Promise<Page<ServiceListRecord>> {
      const { ids, total } = await pageOfIds(await resolve(filters), paging, 'service');
      const records = ids.length
        ? await db.activity.findMany({ where: { id: { in: ids } }, include: serviceListInclude })
        : [];
      // Status is checked here, not in SQL: with it there, SQLite reads by status instead of by id.
      return { total, records: inPageOrder(ids, records.filter((record) => record.status === 'ACTIVE')) };
    },

    async listServiceAtLocations(filters: ServiceFilters, paging: Paging): Promise<Page<ServiceAtLocationListRecord>> {
      const { ids, total } = await pageOfIds(await resolve(filters), paging, 'serviceAtLocation');
      const records = ids.length
        ? await db.serviceAtLocation.findMany({ where: { id: { in: ids } }, include: serviceAtLocationListInclude })
        : [];
      return { total, records: inPageOrder(ids, records.filter((record) => record.activity.status === 'ACTIVE')) };
    },

    /** An active service with everything the feed shows of it, or null. */
    getService(id: string): Promise<ServiceFullRecord | null> {
      return db.activity.findFirst({ where: { id, status: 'ACTIVE' }, include: serviceFullInclude });
    },

    /** The active service a service at location belongs to, or null. */
    async getServiceOfServiceAtLocation(id: string): Promise<ServiceFullRecord | null> {
      const place = await db.serviceAtLocation.findFirst({
        where: { id, activity: { status: 'ACTIVE' } },
        select: { activityId: true },
      });
      return place ? db.activity.findFirst({ where: { id: place.activityId, status: 'ACTIVE' }, include: serviceFullInclude }) : null;
    },

    async listTaxonomies(paging: Paging) {
      const [total, records] = await Promise.all([
        db.taxonomy.count(),
        db.taxonomy.findMany({ orderBy: { id: 'asc' }, skip: (paging.page - 1) * paging.perPage, take: paging.perPage }),
      ]);
      return { total, records };
    },

    async getTaxonomy(id: string) {
      const ours = await findTaxonomyId(id);
      return ours
        ? db.taxonomy.findUnique({ where: { id: ours }, include: { terms: { orderBy: { code: 'asc' } } } })
        : null;
    },

    async listTaxonomyTerms(paging: Paging, taxonomy?: string) {
      let where: Prisma.TaxonomyTermWhereInput = {};
      if (taxonomy !== undefined) {
        const ours = await findTaxonomyId(taxonomy);
        if (!ours) return { total: 0, records: [] };
        where = { taxonomyId: ours };
      }
      const [total, records] = await Promise.all([
        db.taxonomyTerm.count({ where }),
        db.taxonomyTerm.findMany({
          where,
          include: { taxonomy: true },
          orderBy: [{ taxonomyId: 'asc' }, { code: 'asc' }, { id: 'asc' }],
          skip: (paging.page - 1) * paging.perPage,
          take: paging.perPage,
        }),
      ]);
      return { total, records };
    },

    getTaxonomyTerm(id: string) {
      return db.taxonomyTerm.findUnique({ where: { id }, include: { taxonomy: true } });
    },
  };
}

export type OrukQueries = ReturnType<typeof createOrukQueries>;
