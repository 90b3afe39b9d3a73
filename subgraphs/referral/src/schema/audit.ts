// The audit log, for admins: who read or changed which referral, and when.
import { requireRole } from '@sp/auth/authorisation';
import type { Prisma } from '@sp/prisma/referral';
import { builder } from '../builder';

builder.prismaObject('AuditEntry', {
  description: 'One read or change of a referral. Ids and codes only.',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    actorRole: t.exposeString('actorRole', { description: 'public, person, professional, provider, admin or system.' }),
    actorId: t.exposeString('actorSubject', { nullable: true }),
    actorOrganizationId: t.exposeString('actorOrganizationId', { nullable: true }),
    action: t.exposeString('action', { description: 'READ, LIST, CREATE, CREATE_REPLAYED, STATUS_CHANGE, CONSENT_CHANGE, FOLLOW_UP, FEEDBACK, OUTCOME, ACTIVITY_CHECK, EXPORT or ERASE.' }),
    referralId: t.exposeID('referralId', { nullable: true }),
    outcome: t.exposeString('outcome', { description: 'ALLOWED, or DENIED when the referral was asked for by someone who may not see it.' }),
    detail: t.exposeString('detail', { nullable: true }),
    requestId: t.exposeString('requestId', { nullable: true }),
  }),
});

const AuditFilter = builder.inputType('AuditFilter', {
  fields: (t) => ({
    referralId: t.id(),
    actorId: t.string(),
    action: t.string(),
    outcome: t.string(),
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime' }),
  }),
});

builder.queryField('referralAuditLog', (t) =>
  t.prismaConnection(
    {
      type: 'AuditEntry',
      cursor: 'id',
      defaultSize: 50,
      maxSize: 500,
      description: 'The audit log, newest first (admins only).',
      args: { filter: t.arg({ type: AuditFilter }) },
      resolve: (query, _root, args, context) => {
        requireRole(context.identity, 'admin');
        const filter = args.filter;
        const where: Prisma.AuditEntryWhereInput = {
          ...(filter?.referralId ? { referralId: String(filter.referralId) } : {}),
          ...(filter?.actorId ? { actorSubject: filter.actorId } : {}),
          ...(filter?.action ? { action: filter.action } : {}),
          ...(filter?.outcome ? { outcome: filter.outcome } : {}),
          ...(filter?.from || filter?.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
        };
        return context.db.auditEntry.findMany({ ...query, where, orderBy: { id: 'desc' } });
      },
    },
    { name: 'AuditEntryConnection' },
    { name: 'AuditEntryEdge' },
  ),
);
