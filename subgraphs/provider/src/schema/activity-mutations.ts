// Providers keep their own organisation's listings current; admins can edit any. Every change
// is validated first, written in one transaction with its change records, and never half-done.
import { requireOrganization, requireRole } from '@sp/auth/authorisation';
import type { UserIdentity } from '@sp/auth/identity';
import type { Prisma, ProviderClient } from '@sp/prisma/provider';
import { TAXONOMY_IDS, termCodes, termId, type TaxonomyId } from '@sp/prisma/reference/vocabularies';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import { diffFields, recordChanges, type FieldChange } from '../directory/changes';
import {
  checkCapacity,
  checkEmail,
  checkSchedule,
  checkText,
  checkUrl,
  checkWholeNumber,
  type ScheduleFields,
} from '../directory/validation';
import { DeliveryModeEnum, DemandLevelEnum, ListingStatusEnum } from './activity';

const ScheduleInput = builder.inputType('ScheduleInput', {
  description: 'When an activity runs, in RFC 5545 terms.',
  fields: (t) => ({
    freq: t.string({ description: 'WEEKLY or MONTHLY.' }),
    interval: t.int(),
    byday: t.string({ description: 'RFC 5545 BYDAY, such as "TU", "MO,TH" or "1WE".' }),
    opensAt: t.string({ description: 'Local time HH:MM.' }),
    closesAt: t.string({ description: 'Local time HH:MM.' }),
    validFrom: t.field({ type: 'DateTime' }),
    validTo: t.field({ type: 'DateTime' }),
    description: t.string({ description: 'When it runs, in words.' }),
  }),
});

const CostOptionInput = builder.inputType('CostOptionInput', {
  fields: (t) => ({
    option: t.string(),
    amount: t.float({ required: true, description: 'In pounds; 0 means free.' }),
    amountDescription: t.string(),
  }),
});

const AnalysisInput = builder.inputType('ActivityAnalysisInput', {
  fields: (t) => ({
    cognitiveDemand: t.field({ type: DemandLevelEnum }),
    sensoryDemand: t.field({ type: DemandLevelEnum }),
    mobilityDemand: t.field({ type: DemandLevelEnum }),
    communicationDemand: t.field({ type: DemandLevelEnum }),
    resourcesRequired: t.stringList(),
    benefits: t.stringList({ description: 'Benefit codes (taxonomy sp-benefit).' }),
  }),
});

const ActivityInput = builder.inputType('ActivityInput', {
  description: 'The fields of a listing. On update, only the fields given change; lists given replace the old list.',
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    url: t.string(),
    email: t.string(),
    deliveryMode: t.field({ type: DeliveryModeEnum }),
    status: t.field({ type: ListingStatusEnum }),
    fees: t.string(),
    costOptions: t.field({ type: [CostOptionInput] }),
    minimumAge: t.int(),
    maximumAge: t.int(),
    eligibilityDescription: t.string(),
    conditions: t.stringList({ description: 'Condition codes (taxonomy sp-condition).' }),
    groups: t.stringList({ description: 'Group codes (taxonomy sp-group).' }),
    activityTypes: t.stringList({ description: 'Activity type codes (taxonomy sp-activity-type).' }),
    analysis: t.field({ type: AnalysisInput }),
    keywords: t.stringList(),
    serviceAreas: t.stringList({ description: 'Areas where a remote activity is available, such as "NHS Tayside".' }),
    languages: t.stringList({ description: 'Languages spoken, such as "English" or "Welsh".' }),
    schedules: t.field({ type: [ScheduleInput], description: 'Times for remote activities; venues carry their own.' }),
  }),
});

const CapacityInput = builder.inputType('CapacityInput', {
  fields: (t) => ({
    places: t.int(),
    placesRemaining: t.int(),
    waitingListOpen: t.boolean(),
  }),
});

const LocationInput = builder.inputType('LocationInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    address1: t.string(),
    city: t.string(),
    postalCode: t.string(),
    country: t.string(),
    healthBoard: t.string(),
    localAuthority: t.string(),
    latitude: t.float(),
    longitude: t.float(),
    accessibility: t.stringList({ description: 'Accessibility codes (taxonomy sp-accessibility); replaces the list.' }),
    accessibilityNote: t.string(),
  }),
});

type ActivityInputShape = typeof ActivityInput.$inferInput;
type ScheduleShape = typeof ScheduleInput.$inferInput;

const who = (user: UserIdentity) => `${user.role}:${user.subject}`;

function checkTerms(taxonomy: TaxonomyId, codes: readonly string[] | null | undefined, field: string) {
  if (!codes) return;
  const known = termCodes(taxonomy);
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw userError('UNKNOWN_TAXONOMY_TERM', `Unknown ${field}: ${unknown.join(', ')}.`, { field });
  }
}

function scheduleData(schedule: ScheduleShape): ScheduleFields {
  return {
    freq: schedule.freq ?? null,
    interval: schedule.interval ?? null,
    byday: schedule.byday ?? null,
    opensAt: schedule.opensAt ?? null,
    closesAt: schedule.closesAt ?? null,
    validFrom: schedule.validFrom ?? null,
    validTo: schedule.validTo ?? null,
    description: schedule.description ?? null,
  };
}

const scheduleText = (schedules: ScheduleFields[]) =>
  schedules.map((s) => [s.freq, s.interval, s.byday, s.opensAt, s.closesAt, s.description].filter((v) => v !== null && v !== undefined).join(' '));

/** Validates everything before anything is written. */
function validateActivityInput(input: ActivityInputShape, creating: boolean) {
  // On update a field left out stays as it is, but a name or description given must not be blank.
  checkText(input.name, 'name', { required: creating || input.name !== undefined, max: 200 });
  checkText(input.description, 'description', { required: creating || input.description !== undefined, max: 5000 });
  if (creating && !input.deliveryMode) throw userError(ErrorCode.BAD_USER_INPUT, 'deliveryMode is required.', { field: 'deliveryMode' });
  if (input.name === null) throw userError(ErrorCode.BAD_USER_INPUT, 'name cannot be removed.', { field: 'name' });
  checkUrl(input.url, 'url');
  checkEmail(input.email, 'email');
  checkText(input.fees, 'fees', { max: 500 });
  checkWholeNumber(input.minimumAge, 'minimumAge', 0, 130);
  checkWholeNumber(input.maximumAge, 'maximumAge', 0, 130);
  if (input.minimumAge != null && input.maximumAge != null && input.maximumAge < input.minimumAge) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'maximumAge cannot be less than minimumAge.', { field: 'maximumAge' });
  }
  for (const [index, cost] of (input.costOptions ?? []).entries()) {
    if (!Number.isFinite(cost.amount) || cost.amount < 0) {
      throw userError(ErrorCode.BAD_USER_INPUT, `costOptions[${index}].amount cannot be negative.`, { field: `costOptions[${index}].amount` });
    }
  }
  checkTerms(TAXONOMY_IDS.condition, input.conditions, 'conditions');
  checkTerms(TAXONOMY_IDS.group, input.groups, 'groups');
  checkTerms(TAXONOMY_IDS.activityType, input.activityTypes, 'activityTypes');
  checkTerms(TAXONOMY_IDS.benefit, input.analysis?.benefits, 'analysis.benefits');
  for (const [index, schedule] of (input.schedules ?? []).entries()) checkSchedule(scheduleData(schedule), `schedules[${index}]`);
}

/** The activity's own columns from the input; undefined where the input says nothing. */
function activityColumns(input: ActivityInputShape) {
  const analysis = input.analysis;
  const costs = input.costOptions;
  return {
    name: input.name ?? undefined,
    description: input.description ?? undefined,
    url: input.url === undefined ? undefined : input.url || null,
    email: input.email === undefined ? undefined : input.email || null,
    deliveryMode: input.deliveryMode ?? undefined,
    status: input.status ?? undefined,
    fees: input.fees === undefined ? undefined : input.fees,
    isFree: costs ? costs.length === 0 || costs.some((cost) => cost.amount === 0) : undefined,
    minimumAge: input.minimumAge,
    maximumAge: input.maximumAge,
    eligibilityDescription: input.eligibilityDescription,
    cognitiveDemand: analysis?.cognitiveDemand ?? undefined,
    sensoryDemand: analysis?.sensoryDemand ?? undefined,
    mobilityDemand: analysis?.mobilityDemand ?? undefined,
    communicationDemand: analysis?.communicationDemand ?? undefined,
    resourcesRequired: analysis?.resourcesRequired ? analysis.resourcesRequired.join('\n') : undefined,
    keywords: input.keywords ? input.keywords.join('\n') : undefined,
  };
}

const TERM_FIELDS = [
  ['conditions', TAXONOMY_IDS.condition],
  ['groups', TAXONOMY_IDS.group],
  ['activityTypes', TAXONOMY_IDS.activityType],
] as const;

/** Replaces the lists the input gives, returning what changed. */
async function replaceLists(tx: Prisma.TransactionClient, activityId: string, input: ActivityInputShape): Promise<FieldChange[]> {
  const changes: FieldChange[] = [];
  const current = await tx.activity.findUniqueOrThrow({
    where: { id: activityId },
    select: {
      terms: { select: { term: { select: { taxonomyId: true, code: true } } } },
      costOptions: true,
      serviceAreas: { select: { name: true } },
      languages: { select: { name: true } },
      schedules: true,
    },
  });
  const termLists: Array<[string, TaxonomyId, readonly string[] | null | undefined]> = [
    ...TERM_FIELDS.map(([field, taxonomy]) => [field, taxonomy, input[field]] as [string, TaxonomyId, readonly string[] | null | undefined]),
    ['benefits', TAXONOMY_IDS.benefit, input.analysis?.benefits],
  ];
  for (const [field, taxonomy, codes] of termLists) {
    if (!codes) continue;
    const before = current.terms.filter((link) => link.term.taxonomyId === taxonomy).map((link) => link.term.code);
    changes.push(...diffFields({ [field]: before }, { [field]: [...codes] }));
    await tx.activityTerm.deleteMany({ where: { activityId, term: { taxonomyId: taxonomy } } });
    await tx.activityTerm.createMany({ data: [...new Set(codes)].map((code) => ({ activityId, termId: termId(taxonomy, code) })) });
  }
  if (input.costOptions) {
    const before = current.costOptions.map((cost) => `${cost.option ?? ''} ${Number(cost.amount ?? 0)} ${cost.amountDescription ?? ''}`.trim());
    const after = input.costOptions.map((cost) => `${cost.option ?? ''} ${cost.amount} ${cost.amountDescription ?? ''}`.trim());
    changes.push(...diffFields({ costOptions: before }, { costOptions: after }));
    await tx.costOption.deleteMany({ where: { activityId } });
    await tx.costOption.createMany({
      data: input.costOptions.map((cost) => ({ activityId, option: cost.option ?? null, amount: cost.amount, amountDescription: cost.amountDescription ?? null })),
    });
  }
  if (input.serviceAreas) {
    changes.push(...diffFields({ serviceAreas: current.serviceAreas.map((a) => a.name) }, { serviceAreas: [...input.serviceAreas] }));
    await tx.serviceArea.deleteMany({ where: { activityId } });
    await tx.serviceArea.createMany({ data: input.serviceAreas.map((name) => ({ activityId, name })) });
  }
  if (input.languages) {
    changes.push(...diffFields({ languages: current.languages.map((l) => l.name) }, { languages: [...input.languages] }));
    await tx.language.deleteMany({ where: { activityId } });
    await tx.language.createMany({ data: input.languages.map((name) => ({ activityId, name })) });
  }
  if (input.schedules) {
    const after = input.schedules.map(scheduleData);
    changes.push(...diffFields({ schedules: scheduleText(current.schedules) }, { schedules: scheduleText(after) }));
    await tx.schedule.deleteMany({ where: { activityId } });
    await tx.schedule.createMany({ data: after.map((schedule) => ({ activityId, ...schedule })) });
  }
  return changes;
}

async function organizationOfActivity(db: ProviderClient, id: string) {
  const activity = await db.activity.findUnique({ where: { id }, select: { organizationId: true } });
  if (!activity) throw userError(ErrorCode.NOT_FOUND, 'There is no activity with that id.', { field: 'id' });
  return activity.organizationId;
}

builder.mutationField('createActivity', (t) =>
  t.prismaField({
    type: 'Activity',
    description: "Adds a listing for an organisation. Providers may add listings for their own organisation; admins for any.",
    args: { organizationId: t.arg.id({ required: true }), input: t.arg({ type: ActivityInput, required: true }) },
    resolve: async (query, _root, args, context) => {
      const organizationId = String(args.organizationId);
      const user = requireOrganization(requireRole(context.identity, 'provider', 'admin'), organizationId);
      validateActivityInput(args.input, true);
      const organization = await context.db.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
      if (!organization) throw userError(ErrorCode.NOT_FOUND, 'There is no organisation with that id.', { field: 'organizationId' });
      const id = await context.db.$transaction(async (tx) => {
        const columns = activityColumns(args.input);
        const created = await tx.activity.create({
          data: {
            ...columns,
            name: args.input.name!,
            description: args.input.description!,
            deliveryMode: args.input.deliveryMode!,
            organizationId,
            isFree: columns.isFree ?? false,
            // Whoever creates a listing vouches for it today.
            assuredDate: new Date(),
          },
        });
        const listChanges = await replaceLists(tx, created.id, args.input);
        const target = { resourceType: 'service', resourceId: created.id, activityId: created.id, organizationId, action: 'create' as const, updatedBy: who(user) };
        await recordChanges(tx, target, [...diffFields(null, columns), ...listChanges]);
        return created.id;
      });
      await context.search.refresh([id]);
      return context.db.activity.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('updateActivity', (t) =>
  t.prismaField({
    type: 'Activity',
    description: 'Changes a listing. Only the fields given change; every change is recorded.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: ActivityInput, required: true }) },
    resolve: async (query, _root, args, context) => {
      const id = String(args.id);
      requireRole(context.identity, 'provider', 'admin');
      const organizationId = await organizationOfActivity(context.db, id);
      const user = requireOrganization(context.identity, organizationId);
      validateActivityInput(args.input, false);
      await context.db.$transaction(async (tx) => {
        const before = await tx.activity.findUniqueOrThrow({ where: { id } });
        const columns = activityColumns(args.input);
        if (columns.minimumAge !== undefined || columns.maximumAge !== undefined) {
          const min = columns.minimumAge === undefined ? before.minimumAge : columns.minimumAge;
          const max = columns.maximumAge === undefined ? before.maximumAge : columns.maximumAge;
          if (min != null && max != null && max < min) {
            throw userError(ErrorCode.BAD_USER_INPUT, 'maximumAge cannot be less than minimumAge.', { field: 'maximumAge' });
          }
        }
        await tx.activity.update({ where: { id }, data: columns });
        const listChanges = await replaceLists(tx, id, args.input);
        const target = { resourceType: 'service', resourceId: id, activityId: id, organizationId, action: 'update' as const, updatedBy: who(user) };
        await recordChanges(tx, target, [...diffFields(before, columns), ...listChanges]);
        if (listChanges.length > 0) await tx.activity.update({ where: { id }, data: { updatedAt: new Date() } });
      });
      await context.search.refresh([id]);
      return context.db.activity.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('assureActivity', (t) =>
  t.prismaField({
    type: 'Activity',
    description: 'Confirms a listing is correct today (Open Referral UK assured date).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, context) => {
      const id = String(args.id);
      requireRole(context.identity, 'provider', 'admin');
      const organizationId = await organizationOfActivity(context.db, id);
      const user = requireOrganization(context.identity, organizationId);
      await context.db.$transaction(async (tx) => {
        const before = await tx.activity.findUniqueOrThrow({ where: { id }, select: { assuredDate: true } });
        const assuredDate = new Date();
        await tx.activity.update({ where: { id }, data: { assuredDate, assurerEmail: null } });
        const target = { resourceType: 'service', resourceId: id, activityId: id, organizationId, action: 'update' as const, updatedBy: who(user) };
        await recordChanges(tx, target, diffFields(before, { assuredDate }));
      });
      return context.db.activity.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

async function loadVenue(db: ProviderClient, id: string) {
  const venue = await db.serviceAtLocation.findUnique({ where: { id }, include: { activity: { select: { organizationId: true } } } });
  if (!venue) throw userError(ErrorCode.NOT_FOUND, 'There is no venue listing with that id.', { field: 'id' });
  return venue;
}

builder.mutationField('updateCapacity', (t) =>
  t.prismaField({
    type: 'ServiceAtLocation',
    description: 'Updates the places at one venue of an activity.',
    args: { serviceAtLocationId: t.arg.id({ required: true }), input: t.arg({ type: CapacityInput, required: true }) },
    resolve: async (query, _root, args, context) => {
      const id = String(args.serviceAtLocationId);
      requireRole(context.identity, 'provider', 'admin');
      const venue = await loadVenue(context.db, id);
      const user = requireOrganization(context.identity, venue.activity.organizationId);
      const next = {
        places: args.input.places === undefined ? venue.places : args.input.places,
        placesRemaining: args.input.placesRemaining === undefined ? venue.placesRemaining : args.input.placesRemaining,
        waitingListOpen: args.input.waitingListOpen ?? venue.waitingListOpen,
      };
      checkCapacity(next, 'input');
      await context.db.$transaction(async (tx) => {
        await tx.serviceAtLocation.update({ where: { id }, data: { ...next, capacityUpdatedAt: new Date() } });
        await tx.activity.update({ where: { id: venue.activityId }, data: { updatedAt: new Date() } });
        const target = {
          resourceType: 'service_at_location',
          resourceId: id,
          activityId: venue.activityId,
          organizationId: venue.activity.organizationId,
          action: 'update' as const,
          updatedBy: who(user),
        };
        await recordChanges(tx, target, diffFields(venue, next));
      });
      await context.search.refresh([venue.activityId]);
      return context.db.serviceAtLocation.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('addActivityVenue', (t) =>
  t.prismaField({
    type: 'ServiceAtLocation',
    description: 'Runs an activity at one of its organisation’s venues (or online), with its own times and places.',
    args: {
      activityId: t.arg.id({ required: true }),
      locationId: t.arg.id({ required: true }),
      capacity: t.arg({ type: CapacityInput }),
      schedules: t.arg({ type: [ScheduleInput] }),
    },
    resolve: async (query, _root, args, context) => {
      const activityId = String(args.activityId);
      const locationId = String(args.locationId);
      requireRole(context.identity, 'provider', 'admin');
      const organizationId = await organizationOfActivity(context.db, activityId);
      const user = requireOrganization(context.identity, organizationId);
      const location = await context.db.location.findUnique({ where: { id: locationId }, select: { organizationId: true } });
      if (!location) throw userError(ErrorCode.NOT_FOUND, 'There is no location with that id.', { field: 'locationId' });
      if (location.organizationId && location.organizationId !== organizationId) {
        throw userError(ErrorCode.FORBIDDEN, 'That venue belongs to another organisation.', { field: 'locationId' });
      }
      if (args.capacity) checkCapacity(args.capacity, 'capacity');
      const schedules = (args.schedules ?? []).map(scheduleData);
      schedules.forEach((schedule, index) => checkSchedule(schedule, `schedules[${index}]`));
      const existing = await context.db.serviceAtLocation.findUnique({ where: { activityId_locationId: { activityId, locationId } } });
      if (existing) throw userError(ErrorCode.CONFLICT, 'The activity already runs at that venue.', { field: 'locationId' });
      const id = await context.db.$transaction(async (tx) => {
        const created = await tx.serviceAtLocation.create({
          data: {
            activityId,
            locationId,
            places: args.capacity?.places ?? null,
            placesRemaining: args.capacity?.placesRemaining ?? null,
            waitingListOpen: args.capacity?.waitingListOpen ?? false,
            capacityUpdatedAt: args.capacity ? new Date() : null,
            schedules: { create: schedules },
          },
        });
        await tx.activity.update({ where: { id: activityId }, data: { updatedAt: new Date() } });
        const target = { resourceType: 'service_at_location', resourceId: created.id, activityId, organizationId, action: 'create' as const, updatedBy: who(user) };
        await recordChanges(tx, target, diffFields(null, { locationId, schedules: scheduleText(schedules), places: created.places, placesRemaining: created.placesRemaining }));
        return created.id;
      });
      await context.search.refresh([activityId]);
      return context.db.serviceAtLocation.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

type LocationInputShape = typeof LocationInput.$inferInput;

function validateLocation(input: LocationInputShape) {
  checkText(input.name, 'name', { max: 200 });
  checkText(input.city, 'city', { max: 100 });
  checkTerms(TAXONOMY_IDS.accessibility, input.accessibility, 'accessibility');
  if (input.latitude != null && (input.latitude < -90 || input.latitude > 90)) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'latitude must be between -90 and 90.', { field: 'latitude' });
  }
  if (input.longitude != null && (input.longitude < -180 || input.longitude > 180)) {
    throw userError(ErrorCode.BAD_USER_INPUT, 'longitude must be between -180 and 180.', { field: 'longitude' });
  }
}

function locationColumns(input: LocationInputShape) {
  const { accessibility: _accessibility, ...columns } = input;
  return columns;
}

builder.mutationField('createLocation', (t) =>
  t.prismaField({
    type: 'Location',
    description: 'Adds a venue for an organisation, with its accessibility features.',
    args: { organizationId: t.arg.id({ required: true }), input: t.arg({ type: LocationInput, required: true }) },
    resolve: async (query, _root, args, context) => {
      const organizationId = String(args.organizationId);
      const user = requireOrganization(requireRole(context.identity, 'provider', 'admin'), organizationId);
      validateLocation(args.input);
      checkText(args.input.city, 'city', { required: true, max: 100 });
      const id = await context.db.$transaction(async (tx) => {
        const created = await tx.location.create({
          data: {
            ...locationColumns(args.input),
            organizationId,
            locationType: 'PHYSICAL',
            accessibility: { create: (args.input.accessibility ?? []).map((code) => ({ termId: termId(TAXONOMY_IDS.accessibility, code) })) },
          },
        });
        const target = { resourceType: 'location', resourceId: created.id, organizationId, action: 'create' as const, updatedBy: who(user) };
        await recordChanges(tx, target, diffFields(null, { ...locationColumns(args.input), accessibility: args.input.accessibility ?? [] }));
        return created.id;
      });
      return context.db.location.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('updateLocation', (t) =>
  t.prismaField({
    type: 'Location',
    description: 'Changes a venue, including its accessibility features (the list given replaces the old one).',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: LocationInput, required: true }) },
    resolve: async (query, _root, args, context) => {
      const id = String(args.id);
      requireRole(context.identity, 'provider', 'admin');
      const location = await context.db.location.findUnique({
        where: { id },
        include: { accessibility: { select: { term: { select: { code: true } } } } },
      });
      if (!location) throw userError(ErrorCode.NOT_FOUND, 'There is no location with that id.', { field: 'id' });
      if (!location.organizationId) requireRole(context.identity, 'admin');
      const user = requireOrganization(context.identity, location.organizationId ?? '');
      validateLocation(args.input);
      const affected = await context.db.$transaction(async (tx) => {
        const columns = locationColumns(args.input);
        await tx.location.update({ where: { id }, data: columns });
        const changes = diffFields(location, columns);
        if (args.input.accessibility) {
          changes.push(...diffFields({ accessibility: location.accessibility.map((a) => a.term.code) }, { accessibility: [...args.input.accessibility] }));
          await tx.locationAccessibility.deleteMany({ where: { locationId: id } });
          await tx.locationAccessibility.createMany({
            data: [...new Set(args.input.accessibility)].map((code) => ({ locationId: id, termId: termId(TAXONOMY_IDS.accessibility, code) })),
          });
        }
        // Search and the feed read accessibility through the activities at this venue.
        const activityIds = (await tx.serviceAtLocation.findMany({ where: { locationId: id }, select: { activityId: true } })).map((at) => at.activityId);
        if (activityIds.length > 0) await tx.activity.updateMany({ where: { id: { in: activityIds } }, data: { updatedAt: new Date() } });
        const target = { resourceType: 'location', resourceId: id, organizationId: location.organizationId, action: 'update' as const, updatedBy: who(user) };
        await recordChanges(tx, target, changes);
        return activityIds;
      });
      await context.search.refresh(affected);
      return context.db.location.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
