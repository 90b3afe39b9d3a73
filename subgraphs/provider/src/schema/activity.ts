import { DeliveryMode, ListingStatus } from '@sp/prisma/provider';
import { builder } from '../builder';

const DeliveryModeEnum = builder.enumType(DeliveryMode, {
  name: 'DeliveryMode',
  description: 'How an activity is delivered.',
});

const ListingStatusEnum = builder.enumType(ListingStatus, {
  name: 'ListingStatus',
  description: 'Whether a listing is running (Open Referral UK service status).',
});

export const ActivityType = builder.prismaObject('Activity', {
  description: 'Something a person can be referred to or join (Open Referral UK: service).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    organization: t.relation('organization'),
    deliveryMode: t.expose('deliveryMode', { type: DeliveryModeEnum }),
    status: t.expose('status', { type: ListingStatusEnum }),
    town: t.exposeString('town', { nullable: true, description: 'Town or city, for activities with a venue.' }),
    area: t.exposeString('area', {
      nullable: true,
      description: 'Health board or local authority area, such as "NHS Tayside" or "Oxfordshire".',
    }),
    isFree: t.exposeBoolean('isFree'),
    costDescription: t.exposeString('costDescription', { nullable: true }),
    scheduleDescription: t.exposeString('scheduleDescription', { nullable: true }),
    suitableFor: t.stringList({
      description: 'Conditions and groups the activity suits, such as "Parkinson\'s" or "carers".',
      select: { suitableFor: true },
      resolve: (activity) =>
        activity.suitableFor
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
    }),
    isSampleData: t.exposeBoolean('isSample', {
      description: 'True for the illustrative sample directory; its details are not facts about the organisation.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.asEntity(ActivityType, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, context) => context.db.activity.findUnique({ where: { id } }),
});

builder.queryField('activity', (t) =>
  t.prismaField({
    type: 'Activity',
    nullable: true,
    description: 'One activity by id, or null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.db.activity.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
);

builder.queryField('activities', (t) =>
  t.prismaConnection(
    {
      type: 'Activity',
      cursor: 'id',
      defaultSize: 20,
      maxSize: 100,
      description: 'Active activities in name order, a page at a time (Relay connection).',
      resolve: (query, _root, _args, context) =>
        context.db.activity.findMany({
          ...query,
          where: { status: 'ACTIVE' },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    {},
    {},
  ),
);
