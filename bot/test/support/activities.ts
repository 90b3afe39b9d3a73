import type { DeliveryMode } from '../../src/search/activity-search';
import type { GatewayActivity, SearchHit } from '../../src/search/gateway-client';

/**
 * A small directory shaped like the real one: a few offers for the same condition in different
 * places, offers that share words ("dance"), paid and free, online, telephone and home visits,
 * some with places, a waiting list or evidence. Each record is what the gateway's
 * `searchActivities` returns for an activity, plus the words the fake gateway matches on.
 */

export interface FixtureActivity extends GatewayActivity {
  description: string;
  suitableFor: string[];
}

interface Draft {
  id: string;
  name: string;
  organisation: string;
  description: string;
  deliveryMode: DeliveryMode;
  town?: string;
  area?: string;
  isFree?: boolean;
  fees?: string;
  scheduleDescription?: string;
  suitableFor: string[];
  placesRemaining?: number;
  waitingListOpen?: boolean;
  evidence?: string;
  /** The organiser's public contact details (Ofcom drama numbers and example.net addresses). */
  phone?: string;
  email?: string;
  website?: string;
}

function activity(draft: Draft): FixtureActivity {
  const recordsPlaces = draft.placesRemaining !== undefined || draft.waitingListOpen !== undefined;
  return {
    id: draft.id,
    name: draft.name,
    email: draft.email ?? null,
    url: null,
    organization: { name: draft.organisation, phone: draft.phone ?? null, email: null, website: draft.website ?? null },
    description: draft.description,
    deliveryMode: draft.deliveryMode,
    town: draft.town ?? null,
    area: draft.area ?? null,
    isFree: draft.isFree ?? true,
    fees: draft.fees ?? null,
    scheduleDescription: draft.scheduleDescription ?? null,
    hasPlaces: recordsPlaces ? (draft.placesRemaining ?? 0) > 0 : null,
    venues: [
      {
        capacity: recordsPlaces
          ? { placesRemaining: draft.placesRemaining ?? 0, waitingListOpen: draft.waitingListOpen ?? false }
          : null,
      },
    ],
    evidence: draft.evidence ? [{ headline: draft.evidence }] : [],
    suitableFor: draft.suitableFor,
  };
}

/** A hit as the gateway returns it, for tests that do not need the fake gateway's ranking. */
export function hit(activity: FixtureActivity, reasons: string[] = []): SearchHit {
  const { description: _description, suitableFor: _suitableFor, ...fields } = activity;
  return { activity: fields, score: 1, reasons };
}

export const ACTIVITIES: FixtureActivity[] = [
  activity({
    id: 'act-dfp-glasgow',
    name: "Dance for Parkinson's – Glasgow",
    organisation: 'Scottish Ballet',
    description: 'Seated and standing dance with live music, led by trained dance artists. Partners and carers welcome.',
    deliveryMode: 'IN_PERSON',
    town: 'Glasgow',
    area: 'NHS Greater Glasgow and Clyde',
    scheduleDescription: 'Tuesdays, 2pm to 3.15pm',
    suitableFor: ["Parkinson's", 'carers'],
    waitingListOpen: true,
  }),
  activity({
    id: 'act-dfp-dundee',
    name: "Dance for Parkinson's – Dundee",
    organisation: 'Scottish Ballet',
    description: 'Dance class with live piano in a step-free studio. Chairs are provided for anyone who needs them.',
    deliveryMode: 'IN_PERSON',
    town: 'Dundee',
    area: 'NHS Tayside',
    scheduleDescription: 'Every other Wednesday, 1.30pm',
    suitableFor: ["Parkinson's", 'older people'],
    placesRemaining: 4,
    evidence: "Dance improved balance and mood in people with Parkinson's",
    phone: '01632 960123',
    email: 'dance.dundee@example.net',
  }),
  activity({
    id: 'act-dfp-online',
    name: "Dance for Parkinson's at home",
    organisation: 'Scottish Ballet',
    description: 'A live class on video call that you can join from your own living room.',
    deliveryMode: 'ONLINE',
    area: 'Scotland',
    scheduleDescription: 'Thursdays, 10.30am',
    suitableFor: ["Parkinson's"],
    website: 'https://dance-at-home.example.net',
  }),
  activity({
    id: 'act-time-to-dance',
    name: 'Time to Dance',
    organisation: 'Scottish Ballet',
    description: 'Dementia-friendly dance sessions with music from across the decades.',
    deliveryMode: 'IN_PERSON',
    town: 'Glasgow',
    area: 'NHS Greater Glasgow and Clyde',
    scheduleDescription: 'Fridays, 11am',
    suitableFor: ['dementia', 'carers', 'older people'],
  }),
  activity({
    id: 'act-elevate',
    name: 'Elevate: dance for people with MS',
    organisation: 'Scottish Ballet',
    description: 'Creative movement for people living with multiple sclerosis, in the studio or online.',
    deliveryMode: 'HYBRID',
    town: 'Glasgow',
    area: 'NHS Greater Glasgow and Clyde',
    scheduleDescription: 'Mondays, 3pm',
    suitableFor: ['multiple sclerosis'],
  }),
  activity({
    id: 'act-singing-memory',
    name: 'Singing for memory',
    organisation: 'Clydeside Voices',
    description: 'Familiar songs, tea and a friendly welcome for people with memory problems and those who care for them.',
    deliveryMode: 'IN_PERSON',
    town: 'Glasgow',
    area: 'NHS Greater Glasgow and Clyde',
    isFree: false,
    fees: '£2 a session; carers free',
    scheduleDescription: 'Thursdays, 2pm',
    suitableFor: ['dementia', 'carers'],
  }),
  activity({
    id: 'act-phone-befriending',
    name: 'Telephone befriending',
    organisation: 'Riverside Befriending Network',
    description: 'A weekly chat with the same trained volunteer, at a time that suits you.',
    deliveryMode: 'TELEPHONE',
    area: 'Scotland',
    scheduleDescription: 'Weekly call, at a time you choose',
    suitableFor: ['loneliness', 'older people'],
  }),
  activity({
    id: 'act-home-befriending',
    name: 'Home visit befriending',
    organisation: 'Riverside Befriending Network',
    description: 'A volunteer visits you at home for a cup of tea and a chat.',
    deliveryMode: 'HOME_VISIT',
    town: 'Dundee',
    area: 'NHS Tayside',
    scheduleDescription: 'Weekly, arranged with you',
    suitableFor: ['loneliness', 'older people'],
  }),
  activity({
    id: 'act-walking-merthyr',
    name: 'Gentle walking group',
    organisation: 'Valleys Community Connectors',
    description: 'Short, flat walks at an easy pace, finishing with a hot drink.',
    deliveryMode: 'IN_PERSON',
    town: 'Merthyr Tydfil',
    area: 'Wales',
    scheduleDescription: 'Wednesdays, 11am',
    suitableFor: ['mental health', 'older people'],
  }),
  activity({
    id: 'act-teabooks',
    name: 'TeaBooks sociable book group',
    organisation: 'Age UK Oxfordshire',
    description: 'A relaxed book group over tea and cake for people over 60.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    scheduleDescription: 'First Wednesday of the month, 2pm',
    suitableFor: ['older people', 'loneliness'],
  }),
  activity({
    id: 'act-creative-banbury',
    name: 'Creative wellbeing workshops',
    organisation: 'The Mill Arts Centre',
    description: 'Drawing, printmaking and writing in small friendly groups.',
    deliveryMode: 'IN_PERSON',
    town: 'Banbury',
    area: 'Oxfordshire',
    isFree: false,
    fees: '£3 a session',
    scheduleDescription: 'Wednesdays, 6pm',
    suitableFor: ['mental health', 'loneliness'],
  }),
  activity({
    id: 'act-gardening-oxford',
    name: 'Community gardening',
    organisation: 'Cutteslowe Garden Project',
    description: 'Grow vegetables and flowers together; no experience needed.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    scheduleDescription: 'Saturdays, 10am to 1pm',
    suitableFor: ['mental health', 'loneliness'],
  }),
];
