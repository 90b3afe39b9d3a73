import { builder } from '../builder';
import './scalars';
import './activity';
import './referral';

builder.queryType({});
builder.mutationType({});

export const referralSchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@extends'],
});
