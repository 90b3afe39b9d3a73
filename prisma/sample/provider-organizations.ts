import type { SampleOrganization } from './sample-types';

// Organisations named in the source documents, with what the documents say of them; and a few
// invented ones, which say so in their names.
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
  // Invented organisations for the wider sample directory. Each says so in its name; nothing
  // here describes a real group.
  {
    slug: 'glasgow-lung-health-singers',
    name: 'Glasgow Lung Health Singers (invented sample organisation)',
    description: 'An invented Glasgow singing group used to show singing for people with COPD and other lung conditions.',
  },
  {
    slug: 'glasgow-walking-football',
    name: 'Glasgow Walking Football Club (invented sample organisation)',
    description: 'An invented sports club used to show walking football for older men.',
  },
  {
    slug: 'glasgow-gaelic-choir',
    name: 'Glasgow Gaelic Community Choir (invented sample organisation)',
    description: 'An invented choir used to show an activity in Scottish Gaelic.',
  },
  {
    slug: 'southside-south-asian-womens-group',
    name: "Southside South Asian Women's Group (invented sample organisation)",
    description: 'An invented Glasgow community group used to show a women-only offer run in community languages.',
  },
  {
    slug: 'glasgow-east-wellbeing-hub',
    name: 'Glasgow East Wellbeing Hub (invented sample organisation)',
    description: 'An invented community wellbeing project used to show chair yoga, an online mindfulness course and a relaxed film club.',
  },
  {
    slug: 'tayside-wellbeing-collective',
    name: 'Tayside Wellbeing Collective (invented sample organisation)',
    description: 'An invented Tayside charity used to show tai chi and online peer support for people living with pain.',
  },
  {
    slug: 'dundee-community-growers',
    name: 'Dundee Community Growers (invented sample organisation)',
    description: 'An invented community garden group used to show gardening as a green prescription.',
  },
  {
    slug: 'tayside-mens-shed-network',
    name: "Tayside Men's Shed Network (invented sample organisation)",
    description: "An invented network of community workshops used to show a men's shed.",
  },
  {
    slug: 'tayside-stroke-art-club',
    name: "Tayside Stroke Survivors' Art Club (invented sample organisation)",
    description: 'An invented art group used to show creative activity for people living after a stroke.',
  },
  {
    slug: 'perth-kinross-befrienders',
    name: 'Perth and Kinross Befrienders (invented sample organisation)',
    description: 'An invented befriending charity used to show home-visit befriending in a rural area.',
  },
  {
    slug: 'dundee-cook-together',
    name: 'Dundee Cook Together (invented sample organisation)',
    description: 'An invented community kitchen project used to show budget cookery courses.',
  },
  {
    slug: 'dundee-reminiscence-project',
    name: 'Dundee Memories Reminiscence Project (invented sample organisation)',
    description: 'An invented heritage project used to show museum reminiscence sessions.',
  },
  {
    slug: 'angus-seated-dancers',
    name: 'Angus Seated Dancers (invented sample organisation)',
    description: 'An invented dance group used to show seated Scottish country dancing.',
  },
  {
    slug: 'orkney-isles-connect',
    name: 'Orkney Isles Connect (invented sample organisation)',
    description: 'An invented Orkney charity used to show telephone befriending, a lunch club and a craft group for the islands.',
  },
  {
    slug: 'orkney-coastal-walkers',
    name: 'Orkney Coastal Walkers (invented sample organisation)',
    description: 'An invented walking group used to show a demanding outdoor walk.',
  },
  {
    slug: 'orkney-online-arts',
    name: 'Orkney Online Arts (invented sample organisation)',
    description: 'An invented arts group used to show online art classes for people on the isles.',
  },
  {
    slug: 'oxford-green-minds',
    name: 'Oxford Green Minds (invented sample organisation)',
    description: 'An invented nature and wellbeing group used to show forest bathing and photography walks.',
  },
  {
    slug: 'oxford-family-kitchen',
    name: 'Oxford Family Kitchen (invented sample organisation)',
    description: 'An invented cookery project used to show an offer for single parents that children can come to.',
  },
  {
    slug: 'oxford-rainbow-social',
    name: 'Oxford Rainbow Social (invented sample organisation)',
    description: 'An invented social group used to show an LGBTQ+ social with an online option.',
  },
  {
    slug: 'oxfordshire-digital-buddies',
    name: 'Oxfordshire Digital Buddies (invented sample organisation)',
    description: 'An invented volunteer project used to show digital skills help.',
  },
  {
    slug: 'abingdon-stroke-exercise-club',
    name: 'Abingdon Stroke Exercise Club (invented sample organisation)',
    description: 'An invented exercise club used to show exercise for people living after a stroke.',
  },
  {
    slug: 'oxfordshire-deaf-connect',
    name: 'Oxfordshire Deaf Connect (invented sample organisation)',
    description: 'An invented Deaf community group used to show a social activity in British Sign Language.',
  },
  {
    slug: 'oxford-community-steel-pan',
    name: 'Oxford Community Steel Pan (invented sample organisation)',
    description: 'An invented music group used to show a culturally specific music offer.',
  },
  {
    slug: 'oxfordshire-carers-circle',
    name: "Oxfordshire Carers' Circle (invented sample organisation)",
    description: "An invented carers' group used to show online peer support for unpaid carers.",
  },
  {
    slug: 'cardiff-welsh-choir',
    name: 'Cardiff Welsh Community Choir (invented sample organisation)',
    description: 'An invented choir used to show an activity in Welsh with English support.',
  },
  {
    slug: 'cardiff-deaf-drama',
    name: 'Cardiff Deaf Drama Company (invented sample organisation)',
    description: 'An invented theatre group used to show drama in British Sign Language.',
  },
  {
    slug: 'swansea-bay-arts-on-prescription',
    name: 'Swansea Bay Arts on Prescription (invented sample organisation)',
    description: 'An invented arts on prescription scheme used to show a referral-only creative course in Wales.',
  },
  {
    slug: 'cardiff-cook-eat-well',
    name: 'Cardiff Cook and Eat Well (invented sample organisation)',
    description: 'An invented food project used to show healthy eating for people with long-term conditions.',
  },
  {
    slug: 'cymru-money-line',
    name: 'Cymru Money Line (invented sample organisation)',
    description: 'An invented advice service used to show a debt and benefits phone line. It has no real phone number.',
  },
  {
    slug: 'cardiff-memory-cafe',
    name: 'Cardiff Memory Café (invented sample organisation)',
    description: 'An invented dementia café used to show support for people living with dementia and their carers.',
  },
  {
    slug: 'merthyr-welsh-play',
    name: 'Merthyr Welsh Play Group (invented sample organisation)',
    description: 'An invented parent and toddler group used to show early-years play in Welsh.',
  },
  {
    slug: 'cheltenham-sings',
    name: 'Cheltenham Sings (invented sample organisation)',
    description: 'An invented community choir used to show singing for wellbeing.',
  },
  {
    slug: 'stroud-growing-together',
    name: 'Stroud Growing Together (invented sample organisation)',
    description: 'An invented charity used to show therapeutic gardening and conservation volunteering.',
  },
  {
    slug: 'gloucester-walk-and-talk',
    name: 'Gloucester Walk and Talk (invented sample organisation)',
    description: 'An invented walking group used to show health walks.',
  },
  {
    slug: 'gloucestershire-online-writers',
    name: 'Gloucestershire Online Writers (invented sample organisation)',
    description: 'An invented writing group used to show an online creative writing group.',
  },
  {
    slug: 'cheltenham-parkinsons-move',
    name: "Cheltenham Parkinson's Move Club (invented sample organisation)",
    description: "An invented exercise club used to show exercise for people with Parkinson's.",
  },
  {
    slug: 'gloucester-men-cook',
    name: 'Gloucester Men Cook (invented sample organisation)',
    description: 'An invented cookery club used to show a cookery group for men.',
  },
];
