// The sample directory loaded on first start with an empty database. Organisations and offers
// are those named in the source documents (../shared/seeds/); what the documents do not say
// (times, venues, costs, capacity, analysis) is illustrative, and every record is marked as
// sample data. Organisations the documents do not name are invented and say so in their names.
import type { ProviderClient } from '../src/provider';
import { TAXONOMY_IDS, termId, type TaxonomyId } from '../reference/vocabularies';
import { SAMPLE_ACTIVITIES } from './provider-activities';
import { SAMPLE_ORGANIZATIONS } from './provider-organizations';
import { SAMPLE_VENUES } from './provider-venues';
import { sampleId, SAMPLE_NOTICE } from './sample-id';
import type { SampleActivity } from './sample-types';

export { SAMPLE_ACTIVITIES, SAMPLE_ORGANIZATIONS, SAMPLE_VENUES };

const DAY_MS = 24 * 60 * 60 * 1000;

const REMOTE_LABEL: Partial<Record<SampleActivity['deliveryMode'], string>> = {
  ONLINE: 'online',
  HYBRID: 'online',
  TELEPHONE: 'by telephone',
  HOME_VISIT: 'at home',
};

/** Ids of sample activities by slug, for other subgraphs' sample data. */
export function sampleActivityId(slug: string): string {
  if (!SAMPLE_ACTIVITIES.some((activity) => activity.slug === slug)) {
    throw new Error(`No sample activity with slug "${slug}"`);
  }
  return sampleId(`activity:${slug}`);
}

export function sampleOrganizationId(slug: string): string {
  return sampleId(`organization:${slug}`);
}

const venueId = (slug: string) => sampleId(`location:${slug}`);
const onlineLocationId = (activitySlug: string) => sampleId(`location:online:${activitySlug}`);

function terms(taxonomy: TaxonomyId, codes: string[]) {
  return codes.map((code) => ({ termId: termId(taxonomy, code) }));
}

function scheduleData(activity: SampleActivity) {
  const { freq, interval, byday, opensAt, closesAt, description } = activity.schedule;
  return { freq, interval: interval ?? 1, byday, opensAt, closesAt, description };
}

/** Every sample listing's terms, so a test can check them against the vocabularies. */
export function sampleActivityTermIds(activity: SampleActivity): string[] {
  return [
    ...terms(TAXONOMY_IDS.activityType, activity.activityTypes),
    ...terms(TAXONOMY_IDS.condition, activity.conditions),
    ...terms(TAXONOMY_IDS.group, activity.groups),
    ...terms(TAXONOMY_IDS.benefit, activity.benefits),
  ].map((link) => link.termId);
}

/**
 * Loads the sample directory when the directory is empty; does nothing otherwise, so a
 * restart never duplicates or overwrites what is stored. The vocabularies must be loaded
 * first. Returns how many activities it added.
 */
export async function seedProviderSample(client: ProviderClient, now = new Date()): Promise<number> {
  if ((await client.organization.count()) > 0) return 0;
  await client.$transaction(
    async (tx) => {
      for (const organization of SAMPLE_ORGANIZATIONS) {
        await tx.organization.create({
          data: {
            id: sampleOrganizationId(organization.slug),
            name: organization.name,
            description: organization.description,
            website: organization.website ?? null,
            isSample: true,
          },
        });
      }
      for (const venue of SAMPLE_VENUES) {
        await tx.location.create({
          data: {
            id: venueId(venue.slug),
            organizationId: venue.organization ? sampleOrganizationId(venue.organization) : null,
            locationType: 'PHYSICAL',
            name: venue.name,
            city: venue.city,
            postalCode: venue.postcodeDistrict ?? null,
            country: venue.country,
            healthBoard: venue.healthBoard ?? null,
            localAuthority: venue.localAuthority,
            latitude: venue.latitude,
            longitude: venue.longitude,
            accessibility: { create: terms(TAXONOMY_IDS.accessibility, venue.accessibility) },
          },
        });
      }
      for (const activity of SAMPLE_ACTIVITIES) {
        const id = sampleActivityId(activity.slug);
        // Remote activities (online, by telephone, at home) get a virtual location, so that
        // their places and times have a service-at-location to belong to, as in HSDS.
        const remote = REMOTE_LABEL[activity.deliveryMode];
        if (remote) {
          await tx.location.create({
            data: {
              id: onlineLocationId(activity.slug),
              organizationId: sampleOrganizationId(activity.organization),
              locationType: 'VIRTUAL',
              name: `${activity.name} (${remote})`,
            },
          });
        }
        const locationIds = [...activity.venues.map(venueId), ...(remote ? [onlineLocationId(activity.slug)] : [])];
        const scheduleAtVenue = locationIds.length > 0;
        await tx.activity.create({
          data: {
            id,
            organizationId: sampleOrganizationId(activity.organization),
            name: activity.name,
            description: `${activity.description}\n\n${SAMPLE_NOTICE}`,
            deliveryMode: activity.deliveryMode,
            status: 'ACTIVE',
            isFree: activity.cost === 0,
            fees: activity.costNote ?? (activity.cost === 0 ? 'Free' : `£${activity.cost.toFixed(2)} a session`),
            minimumAge: activity.minimumAge ?? null,
            maximumAge: activity.maximumAge ?? null,
            eligibilityDescription: activity.eligibility ?? null,
            assuredDate: new Date(now.getTime() - activity.assuredDaysAgo * DAY_MS),
            assurerEmail: 'sample-data@example.org',
            cognitiveDemand: activity.demand.cognitive,
            sensoryDemand: activity.demand.sensory,
            mobilityDemand: activity.demand.mobility,
            communicationDemand: activity.demand.communication,
            resourcesRequired: activity.resources.join('\n'),
            keywords: (activity.keywords ?? []).join('\n'),
            isSample: true,
            terms: { create: sampleActivityTermIds(activity).map((termIdValue) => ({ termId: termIdValue })) },
            costOptions: {
              create: [{ option: 'Per session', amount: activity.cost, amountDescription: activity.costNote ?? null }],
            },
            serviceAreas: { create: (activity.serviceAreas ?? []).map((name) => ({ name })) },
            languages: { create: activity.languages ?? [{ name: 'English', code: 'en' }] },
            contacts: {
              create: [{ name: 'Sample contact', title: 'Activity organiser', email: `${activity.slug}@example.org` }],
            },
            schedules: scheduleAtVenue ? undefined : { create: [scheduleData(activity)] },
          },
        });
        for (const [index, locationId] of locationIds.entries()) {
          await tx.serviceAtLocation.create({
            data: {
              id: sampleId(`service-at-location:${activity.slug}:${locationId}`),
              activityId: id,
              locationId,
              // Capacity belongs to the main venue (or the online class when there is none).
              ...(index === 0 && activity.capacity
                ? {
                    places: activity.capacity.places,
                    placesRemaining: activity.capacity.placesRemaining,
                    waitingListOpen: activity.capacity.waitingListOpen ?? false,
                    capacityUpdatedAt: new Date(now.getTime() - Math.min(activity.assuredDaysAgo, 14) * DAY_MS),
                  }
                : {}),
              schedules: { create: [scheduleData(activity)] },
            },
          });
        }
      }
    },
    { timeout: 60_000 },
  );
  return SAMPLE_ACTIVITIES.length;
}
