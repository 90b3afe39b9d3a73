import { builder } from '../builder';
import './scalars';
import './taxonomy';
import './location';
import './organization';
import './activity';

builder.queryType({});

export const providerSchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable'],
});
