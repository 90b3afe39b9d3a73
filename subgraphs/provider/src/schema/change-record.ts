import { requireRole } from '@sp/auth/authorisation';
import type { Prisma } from '@sp/prisma/provider';
import { builder } from '../builder';

builder.prismaObject('ChangeRecord', {
  description: 'One field of the directory changed: who, when, from what to what (HSDS metadata).',
  fields: (t) => ({
    id: t.exposeID('id'),
    resourceType: t.exposeString('resourceType', { description: 'service, service_at_location or location.' }),
    resourceId: t.exposeID('resourceId'),
    activityId: t.exposeID('activityId', { nullable: true }),
    organizationId: t.exposeID('organizationId', { nullable: true }),
    action: t.exposeString('lastActionType', { description: 'create, update or delete.' }),
    fieldName: t.exposeString('fieldName'),
    previousValue: t.exposeString('previousValue', { nullable: true }),
    replacementValue: t.exposeString('replacementValue', { nullable: true }),
    updatedBy: t.exposeString('updatedBy', { description: 'The role and user id of who made the change, or the import that did.' }),
    updatedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('directoryChanges', (t) =>
  t.prismaConnection(
    {
      type: 'ChangeRecord',
      cursor: 'id',
      defaultSize: 50,
      maxSize: 200,
      description: 'The history of changes to the directory, newest first. Admins only.',
      args: {
        activityId: t.arg.id(),
        organizationId: t.arg.id(),
        since: t.arg({ type: 'DateTime' }),
      },
      resolve: (query, _root, args, context) => {
        requireRole(context.identity, 'admin');
        const where: Prisma.ChangeRecordWhereInput = {
          ...(args.activityId ? { activityId: String(args.activityId) } : {}),
          ...(args.organizationId ? { organizationId: String(args.organizationId) } : {}),
          ...(args.since ? { createdAt: { gte: args.since } } : {}),
        };
        return context.db.changeRecord.findMany({ ...query, where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
      },
    },
    {},
    {},
  ),
);

builder.queryField('staleActivities', (t) =>
  t.prismaConnection(
    {
      type: 'Activity',
      cursor: 'id',
      defaultSize: 50,
      maxSize: 200,
      description:
        'Active listings not assured since the given date, oldest first (Open Referral UK recommends reassurance every three months). Admins see all; providers see their own.',
      args: { notAssuredSince: t.arg({ type: 'DateTime', required: true }) },
      resolve: (query, _root, args, context) => {
        const user = requireRole(context.identity, 'admin', 'provider');
        return context.db.activity.findMany({
          ...query,
          where: {
            status: 'ACTIVE',
            OR: [{ assuredDate: null }, { assuredDate: { lt: args.notAssuredSince } }],
            ...(user.role === 'provider' ? { organizationId: user.organizationId ?? '' } : {}),
          },
          orderBy: [{ assuredDate: 'asc' }, { id: 'asc' }],
        });
      },
    },
    {},
    {},
  ),
);
