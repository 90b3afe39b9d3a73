// A synthetic directory for the search benchmark: towns, venues and activities that look like the
// real thing (names, keywords, terms, modes, costs, capacity, schedules), inserted in batches.
// Deterministic: the same size gives the same directory.
import { randomUUID } from 'node:crypto';
import { TAXONOMY_IDS, termId } from '@sp/prisma/reference/vocabularies';
import type { BulkWriter } from './bulk-insert';

/** [town, council area, health board, country, latitude, longitude]; positions are approximate. */
export const TOWNS: Array<[string, string, string | null, 'Scotland' | 'England' | 'Wales', number, number]> = [
  ['Glasgow', 'Glasgow City', 'NHS Greater Glasgow and Clyde', 'Scotland', 55.86, -4.25],
  ['Paisley', 'Renfrewshire', 'NHS Greater Glasgow and Clyde', 'Scotland', 55.846, -4.424],
  ['Edinburgh', 'City of Edinburgh', 'NHS Lothian', 'Scotland', 55.953, -3.189],
  ['Livingston', 'West Lothian', 'NHS Lothian', 'Scotland', 55.886, -3.523],
  ['Dundee', 'Dundee City', 'NHS Tayside', 'Scotland', 56.462, -2.971],
  ['Perth', 'Perth and Kinross', 'NHS Tayside', 'Scotland', 56.395, -3.431],
  ['Arbroath', 'Angus', 'NHS Tayside', 'Scotland', 56.56, -2.591],
  ['Forfar', 'Angus', 'NHS Tayside', 'Scotland', 56.643, -2.889],
  ['Aberdeen', 'Aberdeen City', 'NHS Grampian', 'Scotland', 57.15, -2.094],
  ['Inverness', 'Highland', 'NHS Highland', 'Scotland', 57.478, -4.225],
  ['Fort William', 'Highland', 'NHS Highland', 'Scotland', 56.82, -5.105],
  ['Stirling', 'Stirling', 'NHS Forth Valley', 'Scotland', 56.117, -3.937],
  ['Falkirk', 'Falkirk', 'NHS Forth Valley', 'Scotland', 56.002, -3.784],
  ['Kirkcaldy', 'Fife', 'NHS Fife', 'Scotland', 56.111, -3.158],
  ['Dunfermline', 'Fife', 'NHS Fife', 'Scotland', 56.072, -3.452],
  ['Ayr', 'South Ayrshire', 'NHS Ayrshire and Arran', 'Scotland', 55.458, -4.629],
  ['Dumfries', 'Dumfries and Galloway', 'NHS Dumfries and Galloway', 'Scotland', 55.07, -3.605],
  ['Kirkwall', 'Orkney Islands', 'NHS Orkney', 'Scotland', 58.981, -2.96],
  ['Stromness', 'Orkney Islands', 'NHS Orkney', 'Scotland', 58.965, -3.296],
  ['Lerwick', 'Shetland Islands', 'NHS Shetland', 'Scotland', 60.155, -1.145],
  ['Stornoway', 'Na h-Eileanan Siar', 'NHS Western Isles', 'Scotland', 58.209, -6.387],
  ['Galashiels', 'Scottish Borders', 'NHS Borders', 'Scotland', 55.617, -2.806],
  ['Oxford', 'Oxfordshire', null, 'England', 51.752, -1.258],
  ['Banbury', 'Oxfordshire', null, 'England', 52.063, -1.34],
  ['Abingdon', 'Oxfordshire', null, 'England', 51.671, -1.282],
  ['Witney', 'Oxfordshire', null, 'England', 51.785, -1.485],
  ['Gloucester', 'Gloucestershire', null, 'England', 51.864, -2.238],
  ['Cheltenham', 'Gloucestershire', null, 'England', 51.899, -2.078],
  ['Stroud', 'Gloucestershire', null, 'England', 51.745, -2.217],
  ['Bristol', 'City of Bristol', null, 'England', 51.454, -2.588],
  ['Bath', 'Bath and North East Somerset', null, 'England', 51.381, -2.359],
  ['Reading', 'Reading', null, 'England', 51.454, -0.973],
  ['Swindon', 'Swindon', null, 'England', 51.556, -1.78],
  ['Birmingham', 'Birmingham', null, 'England', 52.486, -1.89],
  ['Coventry', 'Coventry', null, 'England', 52.407, -1.512],
  ['Leicester', 'Leicester', null, 'England', 52.637, -1.135],
  ['Nottingham', 'Nottingham', null, 'England', 52.954, -1.158],
  ['Sheffield', 'Sheffield', null, 'England', 53.381, -1.47],
  ['Leeds', 'Leeds', null, 'England', 53.801, -1.549],
  ['York', 'York', null, 'England', 53.96, -1.082],
  ['Manchester', 'Manchester', null, 'England', 53.481, -2.243],
  ['Liverpool', 'Liverpool', null, 'England', 53.408, -2.992],
  ['Newcastle upon Tyne', 'Newcastle upon Tyne', null, 'England', 54.978, -1.618],
  ['Norwich', 'Norfolk', null, 'England', 52.63, 1.297],
  ['Cambridge', 'Cambridgeshire', null, 'England', 52.205, 0.122],
  ['Brighton', 'Brighton and Hove', null, 'England', 50.822, -0.137],
  ['Exeter', 'Devon', null, 'England', 50.718, -3.534],
  ['Plymouth', 'Plymouth', null, 'England', 50.375, -4.143],
  ['Cardiff', 'Cardiff', 'Cardiff and Vale University Health Board', 'Wales', 51.482, -3.179],
  ['Swansea', 'Swansea', 'Swansea Bay University Health Board', 'Wales', 51.621, -3.944],
  ['Merthyr Tydfil', 'Merthyr Tydfil', 'Cwm Taf Morgannwg University Health Board', 'Wales', 51.749, -3.382],
  ['Newport', 'Newport', 'Aneurin Bevan University Health Board', 'Wales', 51.588, -2.998],
  ['Wrexham', 'Wrexham', 'Betsi Cadwaladr University Health Board', 'Wales', 53.046, -2.993],
  ['Bangor', 'Gwynedd', 'Betsi Cadwaladr University Health Board', 'Wales', 53.227, -4.129],
  ['Aberystwyth', 'Ceredigion', 'Hywel Dda University Health Board', 'Wales', 52.415, -4.083],
  ['Carmarthen', 'Carmarthenshire', 'Hywel Dda University Health Board', 'Wales', 51.857, -4.312],
];

/** Kinds of activity: the activity type, names to vary between and keywords people use. */
export const KINDS: Array<{ type: string; names: string[]; keywords: string[]; also?: string[] }> = [
  { type: 'dance', names: ['Dance class', 'Seated dance', 'Tea dance', 'Ballet for adults', 'Ceilidh dancing', 'Movement to music'], keywords: ['dancing', 'chair-based dance', 'ballet', 'ceilidh'], also: ['music', 'physical-activity'] },
  { type: 'singing', names: ['Community choir', 'Singing group', 'Sing-along café', 'Voices together'], keywords: ['choir', 'songs', 'singing for wellbeing'], also: ['music'] },
  { type: 'music', names: ['Drumming circle', 'Ukulele group', 'Music making', 'Steel band'], keywords: ['drumming', 'instruments', 'percussion', 'ukulele'] },
  { type: 'museum-based', names: ['Museum handling session', 'Gallery tour and chat', 'Heritage memories'], keywords: ['museum', 'reminiscence', 'local history'] },
  { type: 'visual-arts', names: ['Art group', 'Painting for pleasure', 'Drawing club', 'Printmaking workshop', 'Photography club'], keywords: ['painting', 'drawing', 'watercolour', 'art class', 'photography'] },
  { type: 'crafts', names: ['Knit and natter', 'Craft café', "Men's shed", 'Sewing circle', 'Woodwork workshop'], keywords: ['knitting', 'crochet', 'sewing', 'woodwork', 'mens shed'] },
  { type: 'reading-writing', names: ['Book group', 'Creative writing group', 'Shared reading', 'Poetry café'], keywords: ['book club', 'reading', 'writing', 'poetry'] },
  { type: 'theatre-film', names: ['Drama group', 'Relaxed film club', 'Community theatre'], keywords: ['drama', 'cinema', 'acting', 'films'] },
  { type: 'gardening', names: ['Community garden', 'Allotment group', 'Growing together', 'Therapeutic gardening'], keywords: ['gardening', 'allotment', 'vegetables', 'green prescription'], also: ['nature'] },
  { type: 'nature', names: ['Nature walk', 'Conservation volunteers', 'Forest bathing', 'Wildlife watch'], keywords: ['outdoors', 'woodland', 'wildlife', 'green space'] },
  { type: 'walking', names: ['Health walk', 'Walking group', 'Gentle walk and talk', 'Buggy walk'], keywords: ['walk', 'health walk', 'rambling'], also: ['physical-activity'] },
  { type: 'physical-activity', names: ['Chair yoga', 'Tai chi', 'Walking football', 'Strength and balance', 'Gentle exercise', 'Swimming session'], keywords: ['exercise', 'yoga', 'tai chi', 'falls prevention', 'seated exercise', 'football'] },
  { type: 'mindfulness', names: ['Mindfulness course', 'Relaxation group', 'Meditation evening'], keywords: ['mindfulness', 'meditation', 'relaxation', 'stress'] },
  { type: 'cookery', names: ['Cook and eat', 'Lunch club', 'Budget cookery', 'Community kitchen'], keywords: ['cooking', 'healthy eating', 'lunch club', 'hot meal'] },
  { type: 'befriending', names: ['Telephone befriending', 'Home visit befriending', 'Befriending service', 'Friendly call'], keywords: ['befriender', 'phone call', 'company', 'housebound'] },
  { type: 'social-group', names: ['Coffee morning', 'Social club', 'Games afternoon', 'Community café', 'Friendship group'], keywords: ['coffee morning', 'games', 'scrabble', 'quiz', 'meet people'] },
  { type: 'volunteering', names: ['Volunteering opportunities', 'Volunteer drivers', 'Café volunteers'], keywords: ['volunteer', 'give back', 'skills'] },
  { type: 'advice', names: ['Money advice', 'Debt advice drop-in', 'Benefits check', 'Housing advice'], keywords: ['debt', 'benefits', 'bills', 'cost of living'] },
  { type: 'learning', names: ['Digital skills', 'Computer help', 'English conversation', 'Learn a language'], keywords: ['computer', 'smartphone', 'internet', 'digital'] },
  { type: 'play', names: ['Stay and play', 'Toddler group', 'Baby massage', 'Story time'], keywords: ['toddlers', 'stay and play', 'babies'] },
];

/** Conditions with how common they are among listings and the words added to a name. */
export const CONDITIONS: Array<[string, number, string]> = [
  ['loneliness', 0.3, 'for people who feel lonely'],
  ['mental-health', 0.3, 'for wellbeing'],
  ['long-term-conditions', 0.12, 'for long-term conditions'],
  ['dementia', 0.08, 'for people with dementia'],
  ['parkinsons', 0.03, "for Parkinson's"],
  ['multiple-sclerosis', 0.02, 'for MS'],
  ['stroke', 0.03, 'after stroke'],
  ['chronic-pain', 0.05, 'for people living with pain'],
  ['hearing-loss', 0.02, 'for people with hearing loss'],
  ['sight-loss', 0.02, 'for people with sight loss'],
  ['learning-disability', 0.03, 'for adults with learning disabilities'],
  ['money-worries', 0.05, ''],
];
export const GROUPS: Array<[string, number]> = [
  ['older-people', 0.3],
  ['carers', 0.1],
  ['single-parents', 0.02],
  ['women-only', 0.04],
  ['men', 0.04],
  ['deaf-bsl', 0.01],
  ['young-adults', 0.06],
  ['early-years', 0.04],
  ['families', 0.06],
  ['south-asian-communities', 0.01],
  ['welsh-speakers', 0.01],
  ['gaelic-speakers', 0.005],
];
const BENEFITS = ['social-connection', 'physical-activity', 'balance-mobility', 'mood', 'confidence', 'cognitive-stimulation', 'creativity', 'skills', 'practical-help', 'carer-respite', 'self-management'];
const ACCESS = ['step-free-access', 'accessible-toilet', 'hearing-loop', 'bsl-interpretation', 'large-print', 'dementia-friendly', 'seated-option', 'quiet-space', 'accessible-parking', 'public-transport', 'changing-places', 'assistance-dogs'];
const VENUE_KINDS = ['Community centre', 'Church hall', 'Library', 'Leisure centre', 'Village hall', 'Arts centre', 'Community café', 'Health centre', 'Family centre', 'Park pavilion'];
const SENTENCES = [
  'Everyone is welcome, whatever your experience.',
  'Come along for a friendly chat and a cup of tea.',
  'Led by trained volunteers in a relaxed setting.',
  'No need to book: just turn up on the day.',
  'Please get in touch before your first visit.',
  'Materials are provided.',
  'Carers and family members are welcome too.',
  'Sessions are gentle and go at your own pace.',
  'A good way to meet people and try something new.',
  'Refreshments are available.',
  'Suitable for beginners.',
  'Transport can be arranged for people who cannot travel easily.',
  'Run in partnership with the local health and social care partnership.',
  'Referrals from link workers, GPs and nurses are welcome.',
];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const TIMES = ['09:30', '10:00', '10:30', '11:00', '13:30', '14:00', '18:00', '19:00'];

/** mulberry32: a small, fast, seeded random number generator. */
export function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, pick, chance };
}

export interface SyntheticSummary {
  activities: number;
  rows: number;
  ms: number;
}

/** Adds `count` synthetic active activities (and their organisations, venues, terms, schedules, capacity). */
export async function addSyntheticDirectory(db: BulkWriter, count: number, seed = 42): Promise<SyntheticSummary> {
  const began = performance.now();
  const random = randomSource(seed);
  const organizations = Array.from({ length: Math.max(1, Math.ceil(count / 25)) }, (_, index) => ({
    id: randomUUID(),
    name: `${random.pick(['Friends of', 'Community', 'Wellbeing', 'Together'])} ${random.pick(TOWNS)[0]} ${random.pick(['Trust', 'Network', 'Group', 'Project', 'Partnership'])} ${index + 1} (synthetic)`,
    description: 'A synthetic organisation for the search benchmark.',
    isSample: true,
    createdAt: new Date(),
    updatedAt: new Date(),
  }));
  const venues = Array.from({ length: Math.max(1, Math.ceil(count / 25)) }, () => {
    const [city, localAuthority, healthBoard, country, latitude, longitude] = random.pick(TOWNS);
    return {
      id: randomUUID(),
      locationType: 'PHYSICAL' as const,
      name: `${random.pick(VENUE_KINDS)}, ${city} (synthetic)`,
      city,
      localAuthority,
      healthBoard,
      country,
      latitude: latitude + (random.next() - 0.5) * 0.05,
      longitude: longitude + (random.next() - 0.5) * 0.05,
      access: ACCESS.filter(() => random.chance(0.35)),
      createdAt: new Date(),
      updatedAt: new Date(),
    };
  });

  const activities: Array<Record<string, unknown>> = [];
  const terms: Array<{ activityId: string; termId: string }> = [];
  const areas: Array<{ id: string; activityId: string; name: string }> = [];
  const venuesOfActivities: Array<Record<string, unknown>> = [];
  const schedules: Array<Record<string, unknown>> = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const kind = random.pick(KINDS);
    const conditions = CONDITIONS.filter(([, share]) => random.chance(share));
    const groups = GROUPS.filter(([, share]) => random.chance(share)).map(([code]) => code);
    const mode = kind.type === 'befriending'
      ? random.pick(['TELEPHONE', 'HOME_VISIT', 'IN_PERSON'] as const)
      : random.chance(0.82) ? 'IN_PERSON' : random.pick(['ONLINE', 'ONLINE', 'HYBRID', 'TELEPHONE'] as const);
    const venue = random.pick(venues);
    const condition = conditions.find(([, , words]) => words);
    const baseName = random.pick(kind.names);
    const name = `${baseName}${condition ? ` ${condition[2]}` : ''}${mode === 'IN_PERSON' || mode === 'HYBRID' ? ` – ${venue.city}` : mode === 'ONLINE' ? ' (online)' : ''}`;
    const cost = random.chance(0.6) ? 0 : 1 + Math.floor(random.next() * 8);
    const capacity = random.chance(0.8);
    const places = 8 + Math.floor(random.next() * 30);
    const full = capacity && random.chance(0.15);
    const day = random.pick(DAYS);
    const opensAt = random.pick(TIMES);
    const schedule = { id: randomUUID(), freq: 'WEEKLY', interval: 1, byday: random.chance(0.1) ? `${1 + Math.floor(random.next() * 3)}${day}` : day, opensAt, closesAt: opensAt.replace(/^(\d\d)/, (h) => String(Number(h) + 1).padStart(2, '0')), description: null };
    activities.push({
      id,
      organizationId: random.pick(organizations).id,
      name,
      description: `${baseName} ${groups.includes('older-people') ? 'for older people ' : ''}in ${venue.city}. ${random.pick(SENTENCES)} ${random.pick(SENTENCES)}`,
      status: random.chance(0.97) ? 'ACTIVE' : 'INACTIVE',
      deliveryMode: mode,
      isFree: cost === 0,
      fees: cost === 0 ? 'Free' : `£${cost} a session`,
      minimumAge: groups.includes('older-people') && random.chance(0.3) ? random.pick([50, 55, 60, 65]) : random.chance(0.2) ? random.pick([16, 18]) : null,
      maximumAge: groups.includes('early-years') ? 5 : null,
      cognitiveDemand: Math.floor(random.next() * 4),
      sensoryDemand: Math.floor(random.next() * 4),
      mobilityDemand: Math.floor(random.next() * 4),
      communicationDemand: Math.floor(random.next() * 4),
      keywords: kind.keywords.filter(() => random.chance(0.5)).join('\n'),
      isSample: true,
      createdAt: new Date(now - 100 * 86_400_000),
      updatedAt: new Date(now - Math.floor(random.next() * 90 * 86_400_000)),
    });
    const termIds = new Set<string>([termId(TAXONOMY_IDS.activityType, kind.type)]);
    for (const also of kind.also ?? []) if (random.chance(0.6)) termIds.add(termId(TAXONOMY_IDS.activityType, also));
    for (const [code] of conditions) termIds.add(termId(TAXONOMY_IDS.condition, code));
    for (const code of groups) termIds.add(termId(TAXONOMY_IDS.group, code));
    for (const code of BENEFITS.filter(() => random.chance(0.2))) termIds.add(termId(TAXONOMY_IDS.benefit, code));
    for (const value of termIds) terms.push({ activityId: id, termId: value });
    if (mode !== 'IN_PERSON') {
      areas.push({ id: randomUUID(), activityId: id, name: random.chance(0.5) ? venue.healthBoard ?? venue.localAuthority : random.chance(0.5) ? venue.localAuthority : venue.country });
    }
    if (mode === 'IN_PERSON' || mode === 'HYBRID') {
      const salId = randomUUID();
      venuesOfActivities.push({
        id: salId,
        activityId: id,
        locationId: venue.id,
        places: capacity ? places : null,
        placesRemaining: capacity ? (full ? 0 : 1 + Math.floor(random.next() * places)) : null,
        waitingListOpen: full && random.chance(0.6),
        capacityUpdatedAt: capacity ? new Date(now - Math.floor(random.next() * 30 * 86_400_000)) : null,
      });
      schedules.push({ ...schedule, serviceAtLocationId: salId });
    } else {
      schedules.push({ ...schedule, activityId: id });
    }
  }

  await db.insert('Organization', organizations);
  await db.insert('Location', venues.map(({ access: _access, ...row }) => row));
  const venueAccess = venues.flatMap((venue) => venue.access.map((code) => ({ locationId: venue.id, termId: termId(TAXONOMY_IDS.accessibility, code) })));
  await db.insert('LocationAccessibility', venueAccess);
  await db.insert('Activity', activities);
  await db.insert('ActivityTerm', terms);
  await db.insert('ServiceArea', areas);
  await db.insert('ServiceAtLocation', venuesOfActivities);
  await db.insert('Schedule', schedules);
  const rows = organizations.length + venues.length + venueAccess.length + activities.length + terms.length + areas.length + venuesOfActivities.length + schedules.length;
  return { activities: count, rows, ms: performance.now() - began };
}
