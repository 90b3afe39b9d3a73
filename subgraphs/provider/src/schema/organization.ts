import { builder } from '../builder';

export const OrganizationType = builder.prismaObject('Organization', {
  description: 'An organisation that runs activities (Open Referral UK: organization).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    website: t.exposeString('website', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    isSampleData: t.exposeBoolean('isSample', {
      description: 'True for the illustrative sample directory; its details are not facts about the organisation.',
    }),
    activities: t.relatedConnection('activities', {
      cursor: 'id',
      query: { orderBy: { name: 'asc' } },
    }),
  }),
});

builder.queryField('organization', (t) =>
  t.prismaField({
    type: 'Organization',
    nullable: true,
    description: 'One organisation by id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.db.organization.findUnique({ ...query, where: { id: String(args.id) } }),
  }),
);
