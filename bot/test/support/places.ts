import { PlaceIndex, type PlaceSource } from '../../src/conversation/places';
import { ACTIVITIES } from './activities';

/** The towns and areas of the test directory, as the bot would fetch them through the gateway. */
export const FIXTURE_PLACES = new PlaceIndex({
  names: [...new Set(ACTIVITIES.flatMap((activity) => [activity.town, activity.area]).filter((name): name is string => name !== null))],
  postcodes: { DD1: 'Dundee', DD: 'Dundee', G1: 'Glasgow', G: 'Glasgow', OX1: 'Oxford', OX: 'Oxford' },
});

export const fixturePlaces: PlaceSource = { get: async () => FIXTURE_PLACES };
