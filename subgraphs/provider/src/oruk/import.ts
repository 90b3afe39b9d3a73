import type { DeliveryMode, LocationType, Prisma, ProviderClient } from '@sp/prisma/provider';
import type { Logger } from '@sp/runtime/logger';
import { diffFields, recordChanges, type ChangeTarget, type FieldChange } from '../directory/changes';
import { deliveryModeFor, toClockTime, toDateOnly } from './format';
import {
  describeIssues,
  orukServiceSchema,
  planService,
  RecordRejection,
  type LocationPlan,
  type ScheduleRow,
  type ServicePlan,
} from './from-oruk';
import { loadVocabulary, type Vocabulary } from './taxonomy-mapping';

// Imports ORUK services into the directory: each one upserted by id in its own transaction with
// its organisation, locations and change records, so a record is either wholly in or wholly out.
// Importing the same data again changes nothing and records nothing.

export const IMPORT_ACTOR = 'import:oruk';

export type ImportOutcomeKind = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface ImportOutcome {
  /** Position in the input, from 0. */
  index: number;
  id?: string;
  name?: string;
  outcome: ImportOutcomeKind;
  /** Why a record was rejected. */
  reason?: string;
  /** The fields (ours, as the change records name them) that were created or changed. */
  changedFields: string[];
  /** Values left out because their format was wrong, and similar notes. */
  warnings: string[];
  /** Taxonomy terms that match nothing in our vocabularies; skipped. */
  unknownTerms: string[];
}

export interface ImportReport {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  outcomes: ImportOutcome[];
}

/** The input as a whole is not something we can import (not records that fail one by one). */
export class ImportInputError extends Error {
  override name = 'ImportInputError';
}

/** The services in an ORUK page (`{"contents": [...]}`), a list of services, or one service. */
export function servicesInDocument(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (document !== null && typeof document === 'object') {
    if ('contents' in document) {
      const { contents } = document as { contents: unknown };
      if (Array.isArray(contents)) return contents;
      throw new ImportInputError('The page\'s "contents" is not a list of services.');
    }
    if ('id' in document || 'name' in document) return [document];
  }
  throw new ImportInputError('The input is not an ORUK page ({"contents": [...]}), a list of services, or one service.');
}

export interface ImportOptions {
  /** Who the change records name. Default "import:oruk". */
  updatedBy?: string;
  logger?: Logger;
}

type Tx = Prisma.TransactionClient;

const currentActivityInclude = {
  schedules: true,
  costOptions: true,
  serviceAreas: true,
  languages: true,
  contacts: true,
  terms: true,
  serviceAtLocations: { include: { schedules: true } },
} as const satisfies Prisma.ActivityInclude;

type CurrentActivity = Prisma.ActivityGetPayload<{ include: typeof currentActivityInclude }>;

/** Compared values: dates as calendar dates and times as HH:MM, so storage detail is not a change. */
function comparable(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => {
      if (value instanceof Date) return [key, toDateOnly(value)];
      if ((key === 'opensAt' || key === 'closesAt') && typeof value === 'string') return [key, toClockTime(value) ?? value];
      return [key, value];
    }),
  );
}

const comparableList = (rows: ReadonlyArray<Record<string, unknown>>) => rows.map(comparable);

const scheduleRow = (schedule: CurrentActivity['schedules'][number]): ScheduleRow => ({
  id: schedule.id,
  serviceAtLocationId: schedule.serviceAtLocationId,
  freq: schedule.freq,
  interval: schedule.interval,
  byday: schedule.byday,
  bymonthday: schedule.bymonthday,
  opensAt: schedule.opensAt,
  closesAt: schedule.closesAt,
  validFrom: schedule.validFrom,
  validTo: schedule.validTo,
  dtstart: schedule.dtstart,
  description: schedule.description,
  attendingType: schedule.attendingType,
  notes: schedule.notes,
});

function currentCollections(current: CurrentActivity) {
  return {
    serviceAtLocations: current.serviceAtLocations.map(({ id, locationId, description }) => ({ id, locationId, description })),
    schedules: [...current.schedules, ...current.serviceAtLocations.flatMap((place) => place.schedules)].map(scheduleRow),
    costOptions: current.costOptions.map(({ id, option, amount, amountDescription, validFrom, validTo }) => ({
      id,
      option,
      amount: amount === null ? null : amount.toNumber(),
      amountDescription,
      validFrom,
      validTo,
    })),
    serviceAreas: current.serviceAreas.map(({ id, name, extent, extentType }) => ({ id, name, extent, extentType })),
    languages: current.languages.map(({ id, name, code, note }) => ({ id, name, code, note })),
    contacts: current.contacts.map(({ id, name, title, email, phone }) => ({ id, name, title, email, phone })),
    termIds: current.terms.map((link) => link.termId),
  };
}

type Collections = ReturnType<typeof currentCollections>;
type CollectionName = keyof Collections;
const COLLECTIONS: CollectionName[] = ['serviceAtLocations', 'schedules', 'costOptions', 'serviceAreas', 'languages', 'contacts', 'termIds'];

/** Free when a cost option is 0, or when there are none and the fees say it is free. */
function isFreeFor(costOptions: Collections['costOptions'], fees: string | null): boolean {
  if (costOptions.some((option) => option.amount === 0)) return true;
  return costOptions.length === 0 && fees !== null && /^\s*(free|no charge|no cost)\b/i.test(fees);
}

function changedCollections(before: Collections | null, after: Partial<Collections>): FieldChange[] {
  const previous: Record<string, unknown> = {};
  const next: Record<string, unknown> = {};
  for (const name of COLLECTIONS) {
    const value = after[name];
    if (value === undefined) continue;
    // A new listing records the lists it has, not empty ones.
    if (!before && value.length === 0) continue;
    const field = name === 'termIds' ? 'terms' : name;
    next[field] = name === 'termIds' ? value : comparableList(value as Array<Record<string, unknown>>);
    if (before) previous[field] = name === 'termIds' ? before[name] : comparableList(before[name] as Array<Record<string, unknown>>);
  }
  return diffFields(before ? previous : null, next);
}

interface PendingChanges {
  target: ChangeTarget;
  changes: FieldChange[];
}

async function planOrganization(tx: Tx, plan: ServicePlan, current: CurrentActivity | null, updatedBy: string) {
  const organizationId = plan.organizationId ?? current?.organizationId;
  if (!organizationId) {
    throw new RecordRejection('names no organisation: give "organization" or "organization_id"');
  }
  const pending: PendingChanges[] = [];
  let write: (() => Promise<void>) | undefined;
  if (plan.organization) {
    const { id, columns, identifiers } = plan.organization;
    const existing = await tx.organization.findUnique({ where: { id }, include: { identifiers: true } });
    const desired = { ...columns, isSample: false };
    const before = existing
      ? { name: existing.name, description: existing.description, email: existing.email, website: existing.website, isSample: existing.isSample }
      : null;
    const changes = diffFields(before, desired);
    const identifierRows = identifiers?.map((row) => ({ ...row }));
    if (identifierRows && (existing || identifierRows.length > 0)) {
      const previous = existing?.identifiers.map(({ id: rowId, identifierScheme, identifierType, identifier }) => ({
        id: rowId,
        identifierScheme,
        identifierType,
        identifier,
      }));
      changes.push(
        ...diffFields(previous ? { identifiers: comparableList(previous) } : null, { identifiers: comparableList(identifierRows) }),
      );
    }
    if (changes.length > 0) {
      pending.push({
        target: { resourceType: 'organization', resourceId: id, activityId: plan.id, organizationId: id, action: existing ? 'update' : 'create', updatedBy },
        changes,
      });
      write = async () => {
        await tx.organization.upsert({ where: { id }, create: { id, ...desired }, update: desired });
        if (identifierRows && changes.some((change) => change.fieldName === 'identifiers')) {
          await tx.organizationIdentifier.deleteMany({ where: { organizationId: id } });
          await tx.organizationIdentifier.createMany({ data: identifierRows.map((row) => ({ ...row, organizationId: id })) });
        }
      };
    }
  } else {
    const exists = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
    if (!exists) {
      throw new RecordRejection(`organization ${organizationId} is not in the directory and the record does not describe it (no "organization")`);
    }
  }
  return { organizationId, pending, write };
}

async function planLocation(tx: Tx, location: LocationPlan, organizationId: string, activityId: string, updatedBy: string) {
  const existing = await tx.location.findUnique({ where: { id: location.id }, include: { accessibility: true } });
  const desired: Record<string, unknown> = { ...location.columns, ...(location.address ?? {}) };
  if (location.accessibility) desired.accessibilityNote = location.accessibility.note;
  const before = existing
    ? Object.fromEntries(Object.keys(desired).map((key) => [key, existing[key as keyof typeof existing]]))
    : null;
  const changes = diffFields(before, desired);
  const features = location.accessibility?.features;
  if (features && (existing || features.length > 0)) {
    const previous = existing?.accessibility.map(({ termId, details }) => ({ termId, details }));
    changes.push(...diffFields(previous ? { accessibility: comparableList(previous) } : null, { accessibility: comparableList(features) }));
  }
  if (changes.length === 0) return { pending: undefined, write: undefined };
  return {
    pending: {
      target: { resourceType: 'location', resourceId: location.id, activityId, organizationId: existing?.organizationId ?? organizationId, action: existing ? 'update' : 'create', updatedBy },
      changes,
    } satisfies PendingChanges,
    write: async () => {
      const columns = desired as Prisma.LocationUncheckedUpdateInput;
      await tx.location.upsert({
        where: { id: location.id },
        create: { ...(desired as Omit<Prisma.LocationUncheckedCreateInput, 'id'>), id: location.id, organizationId, locationType: location.columns.locationType },
        update: columns,
      });
      if (features && changes.some((change) => change.fieldName === 'accessibility')) {
        await tx.locationAccessibility.deleteMany({ where: { locationId: location.id } });
        await tx.locationAccessibility.createMany({ data: features.map((feature) => ({ ...feature, locationId: location.id })) });
      }
    },
  };
}

/** Applies one planned service inside a transaction; returns what happened to it. */
async function applyPlan(tx: Tx, plan: ServicePlan, updatedBy: string): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; changedFields: string[] }> {
  const current = await tx.activity.findUnique({ where: { id: plan.id }, include: currentActivityInclude });
  const organization = await planOrganization(tx, plan, current, updatedBy);
  const { organizationId } = organization;

  const locationPlans = [];
  for (const location of plan.locations) locationPlans.push(await planLocation(tx, location, organizationId, plan.id, updatedBy));
  if (plan.referencedLocationIds.length > 0) {
    const found = await tx.location.findMany({ where: { id: { in: plan.referencedLocationIds } }, select: { id: true } });
    const missing = plan.referencedLocationIds.filter((id) => !found.some((row) => row.id === id));
    if (missing.length > 0) {
      throw new RecordRejection(`service_at_locations: location ${missing.join(', ')} is not in the directory and the record does not describe it`);
    }
  }

  const before = current ? currentCollections(current) : null;
  const planned: Partial<Collections> = {
    serviceAtLocations: plan.serviceAtLocations,
    schedules: plan.schedules,
    costOptions: plan.costOptions,
    serviceAreas: plan.serviceAreas,
    languages: plan.languages,
    contacts: plan.contacts,
    termIds: plan.termIds ? [...plan.termIds].sort() : undefined,
  };
  const finalPlaces = planned.serviceAtLocations ?? before?.serviceAtLocations ?? [];
  const finalCosts = planned.costOptions ?? before?.costOptions ?? [];

  // Delivery mode from where it happens: virtual only is online, virtual and physical hybrid,
  // otherwise in person. ORUK cannot tell telephone or home visits from online (all three are
  // a virtual location), so a listing we hold as one of those stays so; with no location at all
  // a listing keeps its mode, and a new one is in person.
  let deliveryMode: DeliveryMode = current?.deliveryMode ?? 'IN_PERSON';
  if (finalPlaces.length > 0) {
    const typeOf = new Map<string, LocationType>(plan.locations.map((location) => [location.id, location.columns.locationType]));
    const unknown = finalPlaces.map((place) => place.locationId).filter((id) => !typeOf.has(id));
    if (unknown.length > 0) {
      const rows = await tx.location.findMany({ where: { id: { in: unknown } }, select: { id: true, locationType: true } });
      for (const row of rows) typeOf.set(row.id, row.locationType);
    }
    const derived = deliveryModeFor(finalPlaces.map((place) => typeOf.get(place.locationId) ?? 'PHYSICAL'));
    const remoteKept = derived === 'ONLINE' && (deliveryMode === 'TELEPHONE' || deliveryMode === 'HOME_VISIT');
    if (!remoteKept) deliveryMode = derived;
  }

  const columns = {
    organizationId,
    ...plan.columns,
    deliveryMode,
    isFree: isFreeFor(finalCosts, plan.columns.fees),
    isSample: false,
  };
  const previousColumns = current
    ? Object.fromEntries(Object.keys(columns).map((key) => [key, current[key as keyof CurrentActivity]]))
    : null;
  const activityChanges = [
    ...diffFields(previousColumns ? comparable(previousColumns) : null, comparable(columns)),
    ...changedCollections(before, planned),
  ];

  const pending: PendingChanges[] = [
    ...organization.pending,
    ...locationPlans.flatMap((location) => (location.pending ? [location.pending] : [])),
  ];
  if (activityChanges.length > 0) {
    pending.push({
      target: { resourceType: 'service', resourceId: plan.id, activityId: plan.id, organizationId, action: current ? 'update' : 'create', updatedBy },
      changes: activityChanges,
    });
  }
  if (pending.length === 0) return { outcome: 'unchanged', changedFields: [] };

  // Writes, parents first.
  await organization.write?.();
  for (const location of locationPlans) await location.write?.();
  await tx.activity.upsert({ where: { id: plan.id }, create: { id: plan.id, ...columns }, update: columns });

  const changed = new Set(activityChanges.map((change) => change.fieldName));
  if (planned.serviceAtLocations && changed.has('serviceAtLocations')) {
    const ids = planned.serviceAtLocations.map((place) => place.id);
    const taken = await tx.serviceAtLocation.findFirst({ where: { id: { in: ids }, activityId: { not: plan.id } }, select: { id: true } });
    if (taken) throw new RecordRejection(`service_at_locations: id ${taken.id} already belongs to another service`);
    await tx.serviceAtLocation.deleteMany({ where: { activityId: plan.id, id: { notIn: ids } } });
    for (const place of planned.serviceAtLocations) {
      await tx.serviceAtLocation.upsert({
        where: { id: place.id },
        create: { ...place, activityId: plan.id },
        update: { locationId: place.locationId, description: place.description },
      });
    }
  }
  if (planned.schedules && changed.has('schedules')) {
    await tx.schedule.deleteMany({ where: { OR: [{ activityId: plan.id }, { serviceAtLocation: { activityId: plan.id } }] } });
    await tx.schedule.createMany({
      data: planned.schedules.map((row) => ({ ...row, activityId: row.serviceAtLocationId ? null : plan.id })),
    });
  }
  if (planned.costOptions && changed.has('costOptions')) {
    await tx.costOption.deleteMany({ where: { activityId: plan.id } });
    await tx.costOption.createMany({ data: planned.costOptions.map((row) => ({ ...row, activityId: plan.id })) });
  }
  if (planned.serviceAreas && changed.has('serviceAreas')) {
    await tx.serviceArea.deleteMany({ where: { activityId: plan.id } });
    await tx.serviceArea.createMany({ data: planned.serviceAreas.map((row) => ({ ...row, activityId: plan.id })) });
  }
  if (planned.languages && changed.has('languages')) {
    await tx.language.deleteMany({ where: { activityId: plan.id } });
    await tx.language.createMany({ data: planned.languages.map((row) => ({ ...row, activityId: plan.id })) });
  }
  if (planned.contacts && changed.has('contacts')) {
    await tx.contact.deleteMany({ where: { activityId: plan.id } });
    await tx.contact.createMany({ data: planned.contacts.map((row) => ({ ...row, activityId: plan.id })) });
  }
  if (planned.termIds && changed.has('terms')) {
    await tx.activityTerm.deleteMany({ where: { activityId: plan.id } });
    await tx.activityTerm.createMany({ data: planned.termIds.map((termId) => ({ activityId: plan.id, termId })) });
  }

  for (const { target, changes } of pending) await recordChanges(tx, target, changes);
  return {
    outcome: current ? 'updated' : 'created',
    changedFields: [...new Set(pending.flatMap(({ target, changes }) =>
      changes.map((change) => (target.resourceType === 'service' ? change.fieldName : `${target.resourceType}.${change.fieldName}`)),
    ))],
  };
}

/** A database failure in words: which rule the record broke, without internals. */
function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const model = (error as { meta?: { modelName?: unknown } }).meta?.modelName;
  const where = typeof model === 'string' ? ` (${model})` : '';
  if (code === 'P2002') return `an id in this record is already used by another record${where}`;
  if (code === 'P2003') return `it refers to a record that does not exist${where}`;
  const message = error instanceof Error ? error.message.trim().split('\n').at(-1) : String(error);
  return `it could not be saved: ${message}`;
}

function labelOf(record: unknown): { id?: string; name?: string } {
  if (record === null || typeof record !== 'object') return {};
  const { id, name } = record as { id?: unknown; name?: unknown };
  return { ...(typeof id === 'string' ? { id } : {}), ...(typeof name === 'string' ? { name } : {}) };
}

/**
 * Imports services one by one: each in its own transaction, so one bad record never stops the
 * rest and never leaves part of itself behind. Taxonomy terms map onto our vocabularies where
 * they can; the rest are reported and skipped.
 */
export async function importOrukServices(
  db: ProviderClient,
  records: readonly unknown[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const updatedBy = options.updatedBy ?? IMPORT_ACTOR;
  const vocabulary: Vocabulary = await loadVocabulary(db);
  const outcomes: ImportOutcome[] = [];
  const seen = new Set<string>();

  for (const [index, record] of records.entries()) {
    const label = labelOf(record);
    const base = { index, ...label, changedFields: [] as string[], warnings: [] as string[], unknownTerms: [] as string[] };
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      outcomes.push({ ...base, outcome: 'rejected', reason: 'is not a service object' });
      continue;
    }
    const parsed = orukServiceSchema.safeParse(record);
    if (!parsed.success) {
      outcomes.push({ ...base, outcome: 'rejected', reason: describeIssues(parsed.error) });
      continue;
    }
    if (seen.has(parsed.data.id)) {
      outcomes.push({ ...base, outcome: 'rejected', reason: 'the same id appears earlier in this input' });
      continue;
    }
    seen.add(parsed.data.id);
    let plan: ServicePlan;
    try {
      plan = planService(parsed.data, vocabulary);
    } catch (error) {
      if (!(error instanceof RecordRejection)) throw error;
      outcomes.push({ ...base, outcome: 'rejected', reason: error.message });
      continue;
    }
    const notes = { warnings: plan.warnings, unknownTerms: plan.unknownTerms };
    try {
      const result = await db.$transaction((tx) => applyPlan(tx, plan, updatedBy), { maxWait: 10_000, timeout: 60_000 });
      outcomes.push({ ...base, ...notes, ...result });
    } catch (error) {
      const reason = error instanceof RecordRejection ? error.message : describeFailure(error);
      if (!(error instanceof RecordRejection)) options.logger?.warn({ err: error, index, id: plan.id }, 'ORUK import: record not saved');
      outcomes.push({ ...base, ...notes, outcome: 'rejected', reason });
    }
  }

  const count = (kind: ImportOutcomeKind) => outcomes.filter((outcome) => outcome.outcome === kind).length;
  return {
    total: records.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    outcomes,
  };
}
