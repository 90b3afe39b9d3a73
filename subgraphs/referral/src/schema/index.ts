import { builder } from '../builder';
import './scalars';
import './enums';
import './activity';
import './referral';
import './create-referral';
import './self-referral';
import './referral-changes';
import './feedback';
import './audit';
import './personal-data';

builder.queryType({});
builder.mutationType({});

export const referralSchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@extends'],
});
