// The sample directory loaded on first start with an empty database. Organisations and offers
// are those named in the source documents (../shared/seeds/); what the documents do not say
// (times, venues, costs) is illustrative, and every record is marked as sample data.
// Organisations the documents do not name are invented and say so in their names.
import type { DeliveryMode, ProviderClient } from '../src/provider';
import { sampleId, SAMPLE_NOTICE } from './sample-id';

interface SampleOrganization {
  slug: string;
  name: string;
  description: string;
}

interface SampleActivity {
  slug: string;
  organization: string;
  name: string;
  description: string;
  deliveryMode: DeliveryMode;
  town?: string;
  area?: string;
  isFree: boolean;
  costDescription?: string;
  scheduleDescription?: string;
  suitableFor: string[];
}

export const SAMPLE_ORGANIZATIONS: SampleOrganization[] = [
  {
    slug: 'scottish-ballet',
    name: 'Scottish Ballet (SB Health)',
    description:
      "Scotland's national dance company. Its health programme, SB Health, runs dance for people with neurological conditions in Glasgow, with in-person offers in Tayside and Orkney and online and hybrid access.",
  },
  {
    slug: 'age-uk-oxfordshire',
    name: 'Age UK Oxfordshire',
    description: 'Charity for older people in Oxfordshire, including TeaBooks sociable book groups for the over-60s.',
  },
  { slug: 'museum-of-oxford', name: 'Museum of Oxford', description: "Oxford's city museum." },
  {
    slug: 'story-museum',
    name: 'The Story Museum',
    description: 'Museum of stories in Oxford with story-based play for early-years families.',
  },
  {
    slug: 'cutteslowe-garden-project',
    name: 'Cutteslowe Garden Project',
    description: 'Community garden in north Oxford offering gardening, crafting and small-enterprise experience.',
  },
  { slug: 'mill-arts-centre', name: 'The Mill Arts Centre', description: 'Arts centre in Banbury, Oxfordshire.' },
  {
    slug: 'oxfordshire-libraries',
    name: 'Oxfordshire Libraries',
    description: 'Public libraries running clubs and groups, such as scrabble clubs and crochet groups.',
  },
  {
    slug: 'oxford-dance-festival',
    name: 'Oxford Dance Festival',
    description: 'Dance festival with community engagement projects.',
  },
  {
    slug: 'brampton-community-hub',
    name: 'Brampton Community Hub',
    description: 'Community hub hosting exhibitions and workshops.',
  },
  {
    slug: 'arts-on-prescription-gloucestershire',
    name: 'Arts on Prescription Gloucestershire',
    description: 'Arts on prescription programme in Gloucestershire: small-group creative courses led by artists.',
  },
  {
    slug: 'riverside-befriending',
    name: 'Riverside Befriending Network (invented sample organisation)',
    description: 'An invented befriending charity used to show telephone and home-visit befriending.',
  },
  {
    slug: 'valleys-community-connectors',
    name: 'Valleys Community Connectors (invented sample organisation)',
    description: 'An invented Welsh community group used to show walking, singing and advice offers.',
  },
  {
    slug: 'clydeside-voices',
    name: 'Clydeside Voices (invented sample organisation)',
    description: 'An invented Glasgow singing charity used to show music for people living with dementia.',
  },
];

export const SAMPLE_ACTIVITIES: SampleActivity[] = [
  {
    slug: 'sb-dance-for-parkinsons-glasgow',
    organization: 'scottish-ballet',
    name: "Dance for Parkinson's Scotland – Glasgow",
    description:
      "Dance classes for people living with Parkinson's, their families and carers, led by dance artists at Scottish Ballet's Glasgow home. Seated and standing options.",
    deliveryMode: 'IN_PERSON',
    town: 'Glasgow',
    area: 'NHS Greater Glasgow and Clyde',
    isFree: true,
    scheduleDescription: 'Weekly, Tuesday afternoons',
    suitableFor: ["Parkinson's", 'carers', 'older people'],
  },
  {
    slug: 'sb-dance-for-parkinsons-online',
    organization: 'scottish-ballet',
    name: "Dance for Parkinson's Scotland – online",
    description:
      "The Dance for Parkinson's Scotland class streamed live, so people who cannot travel can dance at home. Chair-based options throughout.",
    deliveryMode: 'ONLINE',
    area: 'Scotland',
    isFree: true,
    scheduleDescription: 'Weekly, Thursday mornings',
    suitableFor: ["Parkinson's", 'carers'],
  },
  {
    slug: 'sb-dance-for-parkinsons-dundee',
    organization: 'scottish-ballet',
    name: "Dance for Parkinson's – Dundee",
    description:
      "In-person dance for people with Parkinson's in Tayside, often suggested by consultants, specialist nurses and physiotherapists. Chair-based and standing options.",
    deliveryMode: 'IN_PERSON',
    town: 'Dundee',
    area: 'NHS Tayside',
    isFree: true,
    scheduleDescription: 'Fortnightly, Wednesday afternoons',
    suitableFor: ["Parkinson's", 'older people'],
  },
  {
    slug: 'sb-dance-for-parkinsons-orkney',
    organization: 'scottish-ballet',
    name: "Dance for Parkinson's – Orkney",
    description: "In-person dance sessions for people with Parkinson's in Orkney, with hybrid access for the isles.",
    deliveryMode: 'HYBRID',
    town: 'Kirkwall',
    area: 'NHS Orkney',
    isFree: true,
    scheduleDescription: 'Monthly, Saturday mornings',
    suitableFor: ["Parkinson's", 'older people'],
  },
  {
    slug: 'sb-time-to-dance-glasgow',
    organization: 'scottish-ballet',
    name: 'Time to Dance (dementia-friendly dance)',
    description:
      'A dementia-friendly dance programme for people living with dementia and the people who care for them. Music, movement and conversation.',
    deliveryMode: 'IN_PERSON',
    town: 'Glasgow',
    area: 'NHS Greater Glasgow and Clyde',
    isFree: true,
    scheduleDescription: 'Weekly, Friday mornings',
    suitableFor: ['dementia', 'carers', 'older people'],
  },
  {
    slug: 'sb-elevate-glasgow',
    organization: 'scottish-ballet',
    name: 'SB Elevate (dance for people with MS)',
    description: 'A dance and movement programme for people living with multiple sclerosis, in person and online.',
    deliveryMode: 'HYBRID',
    town: 'Glasgow',
    area: 'NHS Greater Glasgow and Clyde',
    isFree: true,
    scheduleDescription: 'Weekly, Monday afternoons',
    suitableFor: ['multiple sclerosis'],
  },
  {
    slug: 'teabooks-oxford',
    organization: 'age-uk-oxfordshire',
    name: 'TeaBooks sociable book group',
    description: 'A friendly book group over tea and cake for people over 60. No need to finish the book.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Monthly, first Wednesday, 2pm',
    suitableFor: ['older people', 'loneliness'],
  },
  {
    slug: 'museum-of-oxford-object-handling',
    organization: 'museum-of-oxford',
    name: 'Museum object handling and conversation group',
    description: 'Handle objects from the collection and share memories and stories in a small, relaxed group.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Weekly, Thursday 10:30am',
    suitableFor: ['loneliness', 'dementia', 'older people', 'mental health'],
  },
  {
    slug: 'museum-of-oxford-volunteering',
    organization: 'museum-of-oxford',
    name: 'Museum volunteering',
    description: 'Volunteer roles at the museum, from welcoming visitors to helping with the collection.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Flexible, by arrangement',
    suitableFor: ['loneliness', 'mental health', 'young adults'],
  },
  {
    slug: 'story-museum-early-years',
    organization: 'story-museum',
    name: 'Early years story play',
    description: 'Story-based play sessions for babies, toddlers and their grown-ups. Free for families referred to us.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Weekly, Tuesday 10am',
    suitableFor: ['early years', 'single parents', 'carers'],
  },
  {
    slug: 'cutteslowe-gardening',
    organization: 'cutteslowe-garden-project',
    name: 'Community gardening and crafts',
    description: 'Grow food and flowers, make crafts and sell them to visitors. All abilities welcome; raised beds available.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Weekly, Saturday mornings',
    suitableFor: ['mental health', 'loneliness'],
  },
  {
    slug: 'mill-arts-creative-workshops',
    organization: 'mill-arts-centre',
    name: 'Creative wellbeing workshops',
    description: 'Drawing, printmaking and collage workshops in a small group. Materials provided.',
    deliveryMode: 'IN_PERSON',
    town: 'Banbury',
    area: 'Oxfordshire',
    isFree: false,
    costDescription: '£3 a session; free with a referral',
    scheduleDescription: 'Weekly, Wednesday 6pm',
    suitableFor: ['mental health', 'loneliness'],
  },
  {
    slug: 'library-scrabble-club',
    organization: 'oxfordshire-libraries',
    name: 'Library scrabble club',
    description: 'A friendly scrabble club at the library. Beginners welcome.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Weekly, Friday 2pm',
    suitableFor: ['older people', 'loneliness'],
  },
  {
    slug: 'library-crochet-group',
    organization: 'oxfordshire-libraries',
    name: 'Library crochet and knitting group',
    description: 'Bring your own project or learn to crochet and knit with others. Yarn and hooks to borrow.',
    deliveryMode: 'IN_PERSON',
    town: 'Banbury',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Weekly, Monday 10am',
    suitableFor: ['loneliness', 'older people', 'mental health'],
  },
  {
    slug: 'oxford-dance-festival-community',
    organization: 'oxford-dance-festival',
    name: 'Community dance project',
    description: 'Join a community dance project and perform at the festival. No experience needed.',
    deliveryMode: 'IN_PERSON',
    town: 'Oxford',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Weekly in spring, Sunday afternoons',
    suitableFor: ['young adults', 'mental health'],
  },
  {
    slug: 'brampton-workshops',
    organization: 'brampton-community-hub',
    name: 'Exhibitions and creative workshops',
    description: 'Drop-in creative workshops linked to the current exhibition.',
    deliveryMode: 'IN_PERSON',
    area: 'Oxfordshire',
    isFree: true,
    scheduleDescription: 'Monthly, last Saturday',
    suitableFor: ['loneliness'],
  },
  {
    slug: 'aop-gloucestershire-course',
    organization: 'arts-on-prescription-gloucestershire',
    name: 'Arts on Prescription course',
    description: 'A course of weekly creative sessions led by artists, for people referred for anxiety, low mood or long-term conditions.',
    deliveryMode: 'IN_PERSON',
    town: 'Gloucester',
    area: 'Gloucestershire',
    isFree: true,
    scheduleDescription: 'Weekly for 10 weeks, Tuesday mornings',
    suitableFor: ['mental health', 'loneliness'],
  },
  {
    slug: 'riverside-telephone-befriending',
    organization: 'riverside-befriending',
    name: 'Telephone befriending',
    description: 'A weekly friendly phone call from a trained volunteer, for people who feel lonely or cannot get out much.',
    deliveryMode: 'TELEPHONE',
    area: 'Scotland',
    isFree: true,
    scheduleDescription: 'Weekly call at a time that suits you',
    suitableFor: ['loneliness', 'older people'],
  },
  {
    slug: 'riverside-home-befriending',
    organization: 'riverside-befriending',
    name: 'Home visit befriending',
    description: 'A volunteer visits you at home for a chat and a cup of tea, and can help you get to local groups.',
    deliveryMode: 'HOME_VISIT',
    town: 'Dundee',
    area: 'NHS Tayside',
    isFree: true,
    scheduleDescription: 'Weekly visit, arranged with you',
    suitableFor: ['loneliness', 'older people', 'dementia'],
  },
  {
    slug: 'valleys-walking-group',
    organization: 'valleys-community-connectors',
    name: 'Gentle walking group',
    description: 'A short, gentle walk on level paths followed by a cuppa. Walk at your own pace.',
    deliveryMode: 'IN_PERSON',
    town: 'Merthyr Tydfil',
    area: 'Wales',
    isFree: true,
    scheduleDescription: 'Weekly, Wednesday 11am',
    suitableFor: ['mental health', 'loneliness', 'older people'],
  },
  {
    slug: 'valleys-debt-advice',
    organization: 'valleys-community-connectors',
    name: 'Money and debt advice drop-in',
    description: 'Free, confidential help with debt, benefits and bills from a trained adviser.',
    deliveryMode: 'HYBRID',
    town: 'Merthyr Tydfil',
    area: 'Wales',
    isFree: true,
    scheduleDescription: 'Weekly, Monday 1pm to 4pm, or by phone',
    suitableFor: ['mental health'],
  },
  {
    slug: 'clydeside-singing-for-memory',
    organization: 'clydeside-voices',
    name: 'Singing for memory',
    description: 'A singing group for people living with dementia or memory problems and their carers. Familiar songs, no experience needed.',
    deliveryMode: 'IN_PERSON',
    town: 'Glasgow',
    area: 'NHS Greater Glasgow and Clyde',
    isFree: false,
    costDescription: '£2 a session, carers free',
    scheduleDescription: 'Weekly, Thursday 2pm',
    suitableFor: ['dementia', 'carers', 'older people'],
  },
];

/** Ids of sample activities by slug, for other subgraphs' sample data. */
export function sampleActivityId(slug: string): string {
  if (!SAMPLE_ACTIVITIES.some((activity) => activity.slug === slug)) {
    throw new Error(`No sample activity with slug "${slug}"`);
  }
  return sampleId(`activity:${slug}`);
}

/**
 * Loads the sample directory when the directory is empty; does nothing otherwise, so a
 * restart never duplicates or overwrites what is stored. Returns how many activities it added.
 */
export async function seedProviderSample(client: ProviderClient): Promise<number> {
  if ((await client.organization.count()) > 0) return 0;
  await client.$transaction(async (tx) => {
    for (const organization of SAMPLE_ORGANIZATIONS) {
      await tx.organization.create({
        data: {
          id: sampleId(`organization:${organization.slug}`),
          name: organization.name,
          description: organization.description,
          isSample: true,
        },
      });
    }
    for (const activity of SAMPLE_ACTIVITIES) {
      await tx.activity.create({
        data: {
          id: sampleActivityId(activity.slug),
          organizationId: sampleId(`organization:${activity.organization}`),
          name: activity.name,
          description: `${activity.description}\n\n${SAMPLE_NOTICE}`,
          deliveryMode: activity.deliveryMode,
          town: activity.town ?? null,
          area: activity.area ?? null,
          isFree: activity.isFree,
          costDescription: activity.costDescription ?? (activity.isFree ? 'Free' : null),
          scheduleDescription: activity.scheduleDescription ?? null,
          suitableFor: activity.suitableFor.join(','),
          isSample: true,
        },
      });
    }
  });
  return SAMPLE_ACTIVITIES.length;
}
