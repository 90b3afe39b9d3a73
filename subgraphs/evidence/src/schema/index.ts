import { builder } from '../builder';
import './scalars';
import './activity';
import './evidence-record';

builder.queryType({});

export const evidenceSchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@extends'],
});
