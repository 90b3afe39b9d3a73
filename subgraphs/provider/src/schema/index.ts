import { builder } from '../builder';
import './scalars';
import './taxonomy';
import './location';
import './organization';
import './activity';
import './activity-mutations';
import './change-record';
import './search';

builder.queryType({});
builder.mutationType({});

export const providerSchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable'],
});
