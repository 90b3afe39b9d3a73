import { LocationType } from '@sp/prisma/provider';
import { builder } from '../builder';
import { TaxonomyTermType } from './taxonomy';

const LocationTypeEnum = builder.enumType(LocationType, {
  name: 'LocationType',
  description: 'A physical venue, a postal address, or a virtual (online) location.',
});

export const LocationObject = builder.prismaObject('Location', {
  description: 'Where an activity takes place (Open Referral UK location).',
  fields: (t) => ({
    id: t.exposeID('id'),
    locationType: t.expose('locationType', { type: LocationTypeEnum }),
    name: t.exposeString('name', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    address1: t.exposeString('address1', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
    country: t.exposeString('country', { nullable: true }),
    healthBoard: t.exposeString('healthBoard', { nullable: true }),
    localAuthority: t.exposeString('localAuthority', { nullable: true }),
    latitude: t.exposeFloat('latitude', { nullable: true }),
    longitude: t.exposeFloat('longitude', { nullable: true }),
    accessibility: t.field({
      type: [TaxonomyTermType],
      description: 'Accessibility features of the venue, from the controlled list.',
      select: { accessibility: { select: { term: true } } },
      resolve: (location) => location.accessibility.map((feature) => feature.term),
    }),
    accessibilityNote: t.exposeString('accessibilityNote', { nullable: true }),
  }),
});
