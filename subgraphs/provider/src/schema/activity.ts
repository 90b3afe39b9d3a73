import { DeliveryMode, ListingStatus, type TaxonomyTerm } from '@sp/prisma/provider';
import { TAXONOMY_IDS } from '@sp/prisma/reference/vocabularies';
import { builder } from '../builder';
import { buildActivityWhere, DAYS_OF_WEEK, type DayOfWeek } from '../directory/filter';
import { LocationObject } from './location';
import { TaxonomyTermType } from './taxonomy';

export const DeliveryModeEnum = builder.enumType(DeliveryMode, {
  name: 'DeliveryMode',
  description: 'How an activity is delivered.',
});

export const ListingStatusEnum = builder.enumType(ListingStatus, {
  name: 'ListingStatus',
  description: 'Whether a listing is running (Open Referral UK service status).',
});

export const DemandLevelEnum = builder.enumType('DemandLevel', {
  description: 'How much an activity asks of a participant in one domain (activity analysis).',
  values: {
    NONE: { value: 0, description: 'Asks nothing in this domain.' },
    LOW: { value: 1 },
    MODERATE: { value: 2 },
    HIGH: { value: 3 },
  } as const,
});

export const DayOfWeekEnum = builder.enumType('DayOfWeek', {
  description: 'A day of the week, as in RFC 5545.',
  values: DAYS_OF_WEEK,
});

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function daysOf(byday: string | null): DayOfWeek[] {
  if (!byday) return [];
  return DAYS_OF_WEEK.filter((day) => byday.split(',').some((part) => part.endsWith(day)));
}

builder.prismaObject('Schedule', {
  description: 'When an activity runs (Open Referral UK schedule, RFC 5545 terms).',
  fields: (t) => ({
    id: t.exposeID('id'),
    freq: t.exposeString('freq', { nullable: true, description: 'WEEKLY or MONTHLY.' }),
    interval: t.exposeInt('interval', { nullable: true }),
    byday: t.exposeString('byday', { nullable: true, description: 'RFC 5545 BYDAY, such as "TU" or "1WE".' }),
    days: t.field({ type: [DayOfWeekEnum], select: { byday: true }, resolve: (schedule) => daysOf(schedule.byday) }),
    opensAt: t.exposeString('opensAt', { nullable: true, description: 'Local time, HH:MM.' }),
    closesAt: t.exposeString('closesAt', { nullable: true }),
    validFrom: t.expose('validFrom', { type: 'DateTime', nullable: true }),
    validTo: t.expose('validTo', { type: 'DateTime', nullable: true }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

builder.prismaObject('CostOption', {
  description: 'A price for an activity; an amount of 0 means free.',
  fields: (t) => ({
    id: t.exposeID('id'),
    option: t.exposeString('option', { nullable: true }),
    amount: t.float({ nullable: true, select: { amount: true }, resolve: (cost) => (cost.amount === null ? null : Number(cost.amount)) }),
    amountDescription: t.exposeString('amountDescription', { nullable: true }),
  }),
});

const Capacity = builder.objectRef<{
  places: number | null;
  placesRemaining: number | null;
  waitingListOpen: boolean;
  capacityUpdatedAt: Date | null;
}>('Capacity');
Capacity.implement({
  description: 'Places at one venue (HSDS 3.1 capacity).',
  fields: (t) => ({
    places: t.exposeInt('places', { nullable: true }),
    placesRemaining: t.exposeInt('placesRemaining', { nullable: true }),
    waitingListOpen: t.exposeBoolean('waitingListOpen'),
    updatedAt: t.expose('capacityUpdatedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.prismaObject('ServiceAtLocation', {
  description: 'An activity at one venue, or online (Open Referral UK service at location).',
  fields: (t) => ({
    id: t.exposeID('id'),
    location: t.relation('location', { type: LocationObject }),
    description: t.exposeString('description', { nullable: true }),
    capacity: t.field({
      type: Capacity,
      nullable: true,
      description: 'Places and the waiting list, when the provider records them.',
      select: { places: true, placesRemaining: true, waitingListOpen: true, capacityUpdatedAt: true },
      resolve: (at) => (at.places === null && at.placesRemaining === null && !at.waitingListOpen ? null : at),
    }),
    schedules: t.relation('schedules'),
  }),
});

const ActivityAnalysis = builder.objectRef<{
  cognitiveDemand: number;
  sensoryDemand: number;
  mobilityDemand: number;
  communicationDemand: number;
  resourcesRequired: string;
  benefits: TaxonomyTerm[];
}>('ActivityAnalysis');

type DemandLevel = 0 | 1 | 2 | 3;
const demandLevel = (value: number) => Math.min(Math.max(Math.round(value), 0), 3) as DemandLevel;
ActivityAnalysis.implement({
  description: 'What an activity asks of a participant and what they can expect from it (occupational-therapy activity analysis).',
  fields: (t) => ({
    cognitiveDemand: t.field({ type: DemandLevelEnum, resolve: (analysis) => demandLevel(analysis.cognitiveDemand) }),
    sensoryDemand: t.field({ type: DemandLevelEnum, resolve: (analysis) => demandLevel(analysis.sensoryDemand) }),
    mobilityDemand: t.field({ type: DemandLevelEnum, resolve: (analysis) => demandLevel(analysis.mobilityDemand) }),
    communicationDemand: t.field({ type: DemandLevelEnum, resolve: (analysis) => demandLevel(analysis.communicationDemand) }),
    resourcesRequired: t.stringList({ resolve: (analysis) => lines(analysis.resourcesRequired) }),
    benefits: t.field({ type: [TaxonomyTermType], resolve: (analysis) => analysis.benefits }),
  }),
});

const TERMS_SELECT = { terms: { select: { term: true } } } as const;
const termsOf = (activity: { terms: Array<{ term: TaxonomyTerm }> }, taxonomy: string) =>
  activity.terms.map((link) => link.term).filter((term) => term.taxonomyId === taxonomy);

// Each field selects only what it reads: Pothos merges the selections of the fields a client
// asks for into one Prisma query, and every relation here is one more SQL statement per page
// (`town` alone needs venues and their locations, not areas or schedules).
const TOWN_SELECT = {
  serviceAtLocations: { select: { location: { select: { locationType: true, city: true } } } },
} as const;

const AREA_SELECT = {
  serviceAtLocations: { select: { location: { select: { locationType: true, healthBoard: true, localAuthority: true } } } },
  serviceAreas: { select: { name: true } },
} as const;

const SCHEDULES_SELECT = {
  serviceAtLocations: { select: { schedules: { select: { description: true } } } },
  schedules: { select: { description: true } },
} as const;

export const ActivityType = builder.prismaObject('Activity', {
  description: 'Something a person can be referred to or join (Open Referral UK: service).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    url: t.exposeString('url', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    organization: t.relation('organization'),
    status: t.expose('status', { type: ListingStatusEnum }),
    deliveryMode: t.expose('deliveryMode', { type: DeliveryModeEnum }),
    isFree: t.exposeBoolean('isFree'),
    fees: t.exposeString('fees', { nullable: true, description: 'What it costs, in words.' }),
    costDescription: t.exposeString('fees', { nullable: true, deprecationReason: 'Use fees, or costOptions for amounts.' }),
    costOptions: t.relation('costOptions'),
    minimumAge: t.exposeInt('minimumAge', { nullable: true }),
    maximumAge: t.exposeInt('maximumAge', { nullable: true }),
    eligibilityDescription: t.exposeString('eligibilityDescription', { nullable: true }),
    assuredDate: t.expose('assuredDate', {
      type: 'DateTime',
      nullable: true,
      description: 'When the provider last confirmed the listing is correct.',
    }),
    conditions: t.field({
      type: [TaxonomyTermType],
      description: 'Conditions the activity is designed for or suits.',
      select: TERMS_SELECT,
      resolve: (activity) => termsOf(activity, TAXONOMY_IDS.condition)
    }),
    groups: t.field({
      type: [TaxonomyTermType],
      description: 'Groups of people it is for.',
      select: TERMS_SELECT,
      resolve: (activity) => termsOf(activity, TAXONOMY_IDS.group)
    }),
    activityTypes: t.field({
      type: [TaxonomyTermType],
      select: TERMS_SELECT,
      resolve: (activity) => termsOf(activity, TAXONOMY_IDS.activityType)
    }),
    suitableFor: t.stringList({
      description: 'Names of the conditions and groups it suits, such as "Parkinson\'s" or "Carers".',
      select: TERMS_SELECT,
      resolve: (activity) =>
        [...termsOf(activity, TAXONOMY_IDS.condition), ...termsOf(activity, TAXONOMY_IDS.group)].map((term) => term.name),
    }),
    analysis: t.field({
      type: ActivityAnalysis,
      select: {
        cognitiveDemand: true,
        sensoryDemand: true,
        mobilityDemand: true,
        communicationDemand: true,
        resourcesRequired: true,
        ...TERMS_SELECT,
      },
      resolve: (activity) => ({ ...activity, benefits: termsOf(activity, TAXONOMY_IDS.benefit) }),
    }),
    venues: t.relation('serviceAtLocations', {
      description: 'Where it runs: each venue, or the online class, with capacity and times.',
    }),
    schedules: t.relation('schedules', { description: 'Times that apply whatever the venue (online and telephone activities).' }),
    serviceAreas: t.stringList({
      description: 'Areas where it is available, such as "Scotland" for an online class.',
      select: { serviceAreas: { select: { name: true } } },
      resolve: (activity) => activity.serviceAreas.map((area) => area.name),
    }),
    languages: t.stringList({
      select: { languages: { select: { name: true } } },
      resolve: (activity) => activity.languages.map((language) => language.name),
    }),
    contacts: t.relation('contacts'),
    town: t.string({
      nullable: true,
      description: 'Town of the first venue; null when there is none.',
      select: TOWN_SELECT,
      resolve: (activity) => activity.serviceAtLocations.find((at) => at.location.locationType === 'PHYSICAL')?.location.city ?? null,
    }),
    area: t.string({
      nullable: true,
      description: 'Health board or local authority of the first venue, or the first area an online activity serves.',
      select: AREA_SELECT,
      resolve: (activity) => {
        const venue = activity.serviceAtLocations.find((at) => at.location.locationType === 'PHYSICAL')?.location;
        return venue?.healthBoard ?? venue?.localAuthority ?? activity.serviceAreas[0]?.name ?? null;
      },
    }),
    scheduleDescription: t.string({
      nullable: true,
      description: 'When it runs, in words.',
      select: SCHEDULES_SELECT,
      resolve: (activity) =>
        [...activity.schedules, ...activity.serviceAtLocations.flatMap((at) => at.schedules)].find((schedule) => schedule.description)
          ?.description ?? null,
    }),
    hasPlaces: t.boolean({
      nullable: true,
      description: 'Whether any venue has places left; null when the provider does not record places.',
      select: { serviceAtLocations: { select: { placesRemaining: true, places: true } } },
      resolve: (activity) => {
        const recorded = activity.serviceAtLocations.filter((at) => at.placesRemaining !== null);
        return recorded.length === 0 ? null : recorded.some((at) => (at.placesRemaining ?? 0) > 0);
      },
    }),
    isSampleData: t.exposeBoolean('isSample', {
      description: 'True for the illustrative sample directory; its details are not facts about the organisation.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('Contact', {
  description: 'Someone to contact about an activity.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { nullable: true }),
    title: t.exposeString('title', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
  }),
});

builder.asEntity(ActivityType, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, context) => context.db.activity.findUnique({ where: { id } }),
});

const DemandLimitsInput = builder.inputType('DemandLimitsInput', {
  description: 'The most an activity may ask of the person in each domain.',
  fields: (t) => ({
    cognitive: t.field({ type: DemandLevelEnum }),
    sensory: t.field({ type: DemandLevelEnum }),
    mobility: t.field({ type: DemandLevelEnum }),
    communication: t.field({ type: DemandLevelEnum }),
  }),
});

export const ActivityFilterInput = builder.inputType('ActivityFilter', {
  description: 'Narrows the directory. Every field is optional; all that are given must hold.',
  fields: (t) => ({
    conditions: t.stringList({ description: 'Condition codes (taxonomy sp-condition); any of them.' }),
    groups: t.stringList({ description: 'Group codes (taxonomy sp-group); any of them.' }),
    activityTypes: t.stringList({ description: 'Activity type codes (taxonomy sp-activity-type); any of them.' }),
    place: t.string({ description: 'A town, council area or health board, such as "Dundee" or "NHS Tayside".' }),
    deliveryModes: t.field({ type: [DeliveryModeEnum] }),
    freeOnly: t.boolean(),
    accessibility: t.stringList({ description: 'Accessibility codes (taxonomy sp-accessibility) a venue must have, all of them.' }),
    maxDemand: t.field({ type: DemandLimitsInput }),
    age: t.int({ description: "The person's age in years." }),
    days: t.field({ type: [DayOfWeekEnum], description: 'Runs on any of these days.' }),
    hasPlaces: t.boolean({ description: 'Only activities with places left.' }),
  }),
});

builder.queryField('activity', (t) =>
  t.prismaField({
    type: 'Activity',
    nullable: true,
    description: 'One activity by id, or null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) => context.db.activity.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
);

builder.queryField('activities', (t) =>
  t.prismaConnection(
    {
      type: 'Activity',
      cursor: 'id',
      defaultSize: 20,
      maxSize: 100,
      description: 'Active activities in name order, a page at a time (Relay connection), narrowed by a filter.',
      args: { filter: t.arg({ type: ActivityFilterInput }) },
      resolve: async (query, _root, args, context) =>
        context.db.activity.findMany({
          ...query,
          where: await buildActivityWhere(context.db, args.filter),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    {},
    {},
  ),
);
