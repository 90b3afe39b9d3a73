import type { DeliveryMode } from '../src/provider';

/** 0 none, 1 low, 2 moderate, 3 high: the activity analysis scale. */
export type DemandLevel = 0 | 1 | 2 | 3;

export interface SampleOrganization {
  slug: string;
  name: string;
  description: string;
  website?: string;
}

/** A venue. Only the town, area and rough position are given: street details would be invented. */
export interface SampleVenue {
  slug: string;
  organization?: string;
  name: string;
  city: string;
  /** Postcode district only, such as "G41". */
  postcodeDistrict?: string;
  healthBoard?: string;
  localAuthority: string;
  country: 'Scotland' | 'England' | 'Wales';
  latitude: number;
  longitude: number;
  /** Codes from the accessibility vocabulary. */
  accessibility: string[];
}

export interface SampleSchedule {
  freq: 'WEEKLY' | 'MONTHLY';
  interval?: number;
  /** RFC 5545 days such as "TU" or "MO,TH"; monthly rules may use "1WE". */
  byday: string;
  opensAt: string;
  closesAt: string;
  description: string;
}

export interface SampleActivity {
  slug: string;
  organization: string;
  name: string;
  description: string;
  deliveryMode: DeliveryMode;
  /** Venue slugs for in-person sessions; online-only activities have none. */
  venues: string[];
  /** Areas where an online, telephone or home-visit activity is available. */
  serviceAreas?: string[];
  schedule: SampleSchedule;
  /** Pounds per session; 0 is free. */
  cost: number;
  costNote?: string;
  minimumAge?: number;
  maximumAge?: number;
  eligibility?: string;
  activityTypes: string[];
  conditions: string[];
  groups: string[];
  benefits: string[];
  demand: { cognitive: DemandLevel; sensory: DemandLevel; mobility: DemandLevel; communication: DemandLevel };
  resources: string[];
  keywords?: string[];
  capacity?: { places: number; placesRemaining: number; waitingListOpen?: boolean };
  languages?: Array<{ name: string; code: string }>;
  /** How long ago the listing was last checked with the provider. */
  assuredDaysAgo: number;
}
