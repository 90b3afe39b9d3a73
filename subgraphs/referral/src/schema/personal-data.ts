// The person's rights, exercised by an admin on request: export everything held about them, and
// erase it (keeping the anonymised record).
import { requireRole } from '@sp/auth/authorisation';
import { ErrorCode, userError } from '@sp/runtime/errors';
import { builder } from '../builder';
import { actorOf, auditNow } from '../domain/audit';
import { normaliseEmail, normaliseNhsNumber, normalisePhone } from '../domain/person';
import { erasePersonalData, exportReferrals, findPersonReferrals } from '../domain/retention';
import { normaliseReferenceCode } from '../domain/self-service';

const PersonMatchInput = builder.inputType('PersonMatchInput', {
  description: 'Finds the referrals whose person matches every identifier given (at least one).',
  fields: (t) => ({
    nhsNumber: t.string(),
    email: t.string(),
    phone: t.string(),
    referenceCode: t.string(),
    referralId: t.id(),
  }),
});

interface PersonalDataExport {
  referralIds: string[];
  document: string;
}

const PersonalDataExportRef = builder.objectRef<PersonalDataExport>('PersonalDataExport').implement({
  description: 'Everything held about a person: their referrals, history, consents, feedback, outcomes, messages and who accessed them.',
  fields: (t) => ({
    referralIds: t.exposeIDList('referralIds'),
    document: t.exposeString('document', { description: 'JSON.' }),
  }),
});

interface ErasureResult {
  erased: string[];
  alreadyErased: string[];
  notFound: string[];
}

const ErasureResultRef = builder.objectRef<ErasureResult>('ErasureResult').implement({
  fields: (t) => ({
    erased: t.exposeIDList('erased'),
    alreadyErased: t.exposeIDList('alreadyErased'),
    notFound: t.exposeIDList('notFound'),
  }),
});

builder.queryField('personalDataExport', (t) =>
  t.field({
    type: PersonalDataExportRef,
    description: 'Exports everything held about one person (admins only, for a subject access request). Audited.',
    args: { match: t.arg({ type: PersonMatchInput, required: true }) },
    resolve: async (_root, { match }, context) => {
      const admin = requireRole(context.identity, 'admin');
      const reference = match.referenceCode ? normaliseReferenceCode(match.referenceCode) : null;
      if (match.referenceCode && !reference) {
        throw userError(ErrorCode.BAD_USER_INPUT, 'referenceCode is not a reference this service gives.', { field: 'match.referenceCode' });
      }
      const criteria = {
        nhsNumber: normaliseNhsNumber(match.nhsNumber, 'match.nhsNumber'),
        email: normaliseEmail(match.email, 'match.email'),
        phone: normalisePhone(match.phone, 'match.phone'),
        referenceCode: reference,
        referralId: match.referralId ? String(match.referralId) : null,
      };
      if (Object.values(criteria).every((value) => value === null)) {
        throw userError(ErrorCode.BAD_USER_INPUT, 'Give at least one identifier to match.', { field: 'match' });
      }
      const referralIds = await findPersonReferrals(context.db, criteria);
      await auditNow(context.db, actorOf(admin), context.requestId, referralIds.map((referralId) => ({ action: 'EXPORT' as const, referralId })));
      const document = await exportReferrals(context.db, referralIds, context.services.now());
      return { referralIds, document: JSON.stringify(document) };
    },
  }),
);

builder.mutationField('erasePersonalData', (t) =>
  t.field({
    type: ErasureResultRef,
    description:
      'Erases the personal data of these referrals on the person’s request (admins only): the person’s details, free-text notes and feedback comments go; the anonymised record (status, dates, pathway, age band, postcode area letters, outcome scores) stays. Audited.',
    args: { referralIds: t.arg.idList({ required: true }) },
    resolve: async (_root, args, context) => {
      const admin = requireRole(context.identity, 'admin');
      const ids = [...new Set(args.referralIds.map(String))];
      if (ids.length === 0 || ids.length > 1000) {
        throw userError(ErrorCode.BAD_USER_INPUT, 'Give 1 to 1000 referral ids.', { field: 'referralIds' });
      }
      const existing = new Set((await context.db.referral.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id));
      const result: ErasureResult = { erased: [], alreadyErased: [], notFound: [] };
      for (const id of ids) {
        if (!existing.has(id)) {
          result.notFound.push(id);
          continue;
        }
        const erased = await erasePersonalData(context.db, id, { actor: actorOf(admin), requestId: context.requestId, now: context.services.now(), reason: 'REQUEST' });
        (erased ? result.erased : result.alreadyErased).push(id);
      }
      return result;
    },
  }),
);
