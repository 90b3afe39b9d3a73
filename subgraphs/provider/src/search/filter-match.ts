// The `ActivityFilter` argument applied to the in-memory records, with the same meaning as
// `buildActivityWhere` gives it in the database (a test checks the two agree on the sample).
// Validation is left to `buildActivityWhere` and `resolvePlace`, so errors and codes are the same.
import type { ActivityFilter, ResolvedPlace } from '../directory/filter';
import { REMOTE_MODES, type IndexedActivity } from './records';

export interface ResolvedActivityFilter extends Omit<ActivityFilter, 'place'> {
  /** The place as `resolvePlace` found it in the directory. */
  place?: ResolvedPlace | null;
}

export function matchesFilter(activity: IndexedActivity, filter: ResolvedActivityFilter): boolean {
  const anyOf = (have: string[], wanted: string[] | null | undefined) => !wanted || wanted.length === 0 || wanted.some((code) => have.includes(code));
  if (!anyOf(activity.conditions, filter.conditions)) return false;
  if (!anyOf(activity.groups, filter.groups)) return false;
  if (!anyOf(activity.activityTypes, filter.activityTypes)) return false;

  if (filter.accessibility && filter.accessibility.length > 0) {
    const wanted = filter.accessibility;
    const ok = activity.venues.some((venue) => venue.location.physical && wanted.every((code) => venue.location.accessibility.includes(code)));
    if (!ok) return false;
  }

  if (filter.place) {
    const { name, areaNames } = filter.place;
    const atVenue = activity.venues.some(
      (venue) =>
        venue.location.physical &&
        (venue.location.city === name || venue.location.localAuthority === name || venue.location.healthBoard === name || venue.location.country === name),
    );
    const remote = REMOTE_MODES.has(activity.deliveryMode) && activity.serviceAreas.some((area) => areaNames.includes(area));
    if (!atVenue && !remote) return false;
  }

  if (filter.deliveryModes && filter.deliveryModes.length > 0 && !filter.deliveryModes.includes(activity.deliveryMode)) return false;
  if (filter.freeOnly && !activity.isFree) return false;

  const limits = filter.maxDemand;
  if (limits) {
    if (limits.cognitive != null && activity.cognitiveDemand > limits.cognitive) return false;
    if (limits.sensory != null && activity.sensoryDemand > limits.sensory) return false;
    if (limits.mobility != null && activity.mobilityDemand > limits.mobility) return false;
    if (limits.communication != null && activity.communicationDemand > limits.communication) return false;
  }

  if (filter.age !== null && filter.age !== undefined && !ageFits(activity, filter.age)) return false;

  if (filter.days && filter.days.length > 0) {
    const days = filter.days;
    const schedules = [...activity.schedules, ...activity.venues.flatMap((venue) => venue.schedules)];
    if (!schedules.some((schedule) => schedule.byday !== null && days.some((day) => schedule.byday!.includes(day)))) return false;
  }

  if (filter.hasPlaces && !activity.venues.some((venue) => (venue.placesRemaining ?? 0) > 0)) return false;
  return true;
}

export function ageFits(activity: IndexedActivity, age: number): boolean {
  return (activity.minimumAge === null || activity.minimumAge <= age) && (activity.maximumAge === null || activity.maximumAge >= age);
}
