import { VOCABULARIES } from '@sp/prisma/reference/vocabularies';
import { builder } from '../builder';

export const TaxonomyTermType = builder.prismaObject('TaxonomyTerm', {
  description: 'A term from one of the directory’s controlled vocabularies (Open Referral UK taxonomy term).',
  fields: (t) => ({
    id: t.exposeID('id'),
    code: t.exposeString('code', { description: 'Stable short code, such as "parkinsons" or "step-free-access".' }),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    taxonomy: t.exposeString('taxonomyId', { description: 'The vocabulary it belongs to, such as "sp-condition".' }),
  }),
});

builder.prismaObject('Taxonomy', {
  description: 'A controlled vocabulary (Open Referral UK taxonomy).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    terms: t.relation('terms', { query: { orderBy: { name: 'asc' } } }),
  }),
});

builder.queryField('taxonomies', (t) =>
  t.prismaField({
    type: ['Taxonomy'],
    description: 'The vocabularies: activity types, conditions, groups, accessibility features and benefits.',
    resolve: (query, _root, _args, context) =>
      context.db.taxonomy.findMany({ ...query, where: { id: { in: VOCABULARIES.map((vocabulary) => vocabulary.id) } }, orderBy: { id: 'asc' } }),
  }),
);

builder.queryField('taxonomyTerms', (t) =>
  t.prismaField({
    type: ['TaxonomyTerm'],
    description: 'The terms of one vocabulary, by its id (for example "sp-condition").',
    args: { taxonomy: t.arg.string({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.db.taxonomyTerm.findMany({ ...query, where: { taxonomyId: args.taxonomy }, orderBy: { name: 'asc' } }),
  }),
);
