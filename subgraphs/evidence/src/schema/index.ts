import { builder } from '../builder';
import './scalars';
import './enums';
import './activity';
import './evidence-record';
import './curation';
import './evidence-summary';

builder.queryType({});
builder.mutationType({});

export const evidenceSchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@extends', '@requires'],
});
