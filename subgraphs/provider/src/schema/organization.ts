import { builder } from '../builder';

builder.prismaObject('OrganizationIdentifier', {
  description: 'A registration number, such as a charity or company number.',
  fields: (t) => ({
    id: t.exposeID('id'),
    identifierScheme: t.exposeString('identifierScheme', { nullable: true }),
    identifierType: t.exposeString('identifierType'),
    identifier: t.exposeString('identifier'),
  }),
});

export const OrganizationType = builder.prismaObject('Organization', {
  description: 'An organisation that runs activities (Open Referral UK: organization).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    website: t.exposeString('website', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    identifiers: t.relation('identifiers'),
    isSampleData: t.exposeBoolean('isSample', {
      description: 'True for the illustrative sample directory; its details are not facts about the organisation.',
    }),
    activities: t.relatedConnection('activities', {
      cursor: 'id',
      query: { where: { status: 'ACTIVE' }, orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

builder.queryField('organization', (t) =>
  t.prismaField({
    type: 'Organization',
    nullable: true,
    description: 'One organisation by id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) => context.db.organization.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
);

builder.queryField('organizations', (t) =>
  t.prismaConnection(
    {
      type: 'Organization',
      cursor: 'id',
      defaultSize: 20,
      maxSize: 100,
      description: 'Organisations in name order, a page at a time (Relay connection).',
      args: { nameContains: t.arg.string({ description: 'Part of the name, ignoring case.' }) },
      resolve: (query, _root, args, context) =>
        context.db.organization.findMany({
          ...query,
          where: args.nameContains ? { name: { contains: args.nameContains } } : {},
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    {},
    {},
  ),
);
