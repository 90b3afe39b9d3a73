// The controlled vocabularies of the directory, published as Open Referral UK taxonomies.
// They are reference data, loaded on every start (not sample data): a listing may only use
// these terms, and the search and the evidence subgraph share their codes.
import { v5 as uuidv5 } from 'uuid';
import type { ProviderClient } from '../src/provider';

const VOCABULARY_NAMESPACE = '0b8f5f1e-2a55-4c3e-9e1f-6d2a9c4b7e31';

export const TAXONOMY_IDS = {
  activityType: 'sp-activity-type',
  condition: 'sp-condition',
  group: 'sp-group',
  accessibility: 'sp-accessibility',
  benefit: 'sp-benefit',
} as const;

export type TaxonomyKey = keyof typeof TAXONOMY_IDS;
export type TaxonomyId = (typeof TAXONOMY_IDS)[TaxonomyKey];

export interface VocabularyTerm {
  code: string;
  name: string;
  description: string;
  /** Other words people use, matched by the search ("PD" for Parkinson's). */
  synonyms?: string[];
}

export interface Vocabulary {
  id: TaxonomyId;
  name: string;
  description: string;
  terms: VocabularyTerm[];
}

export const VOCABULARIES: Vocabulary[] = [
  {
    id: TAXONOMY_IDS.activityType,
    name: 'Social prescribing activity types',
    description: 'What kind of activity it is.',
    terms: [
      { code: 'dance', name: 'Dance', description: 'Dance and movement to music.', synonyms: ['dancing', 'ballet', 'movement to music'] },
      { code: 'singing', name: 'Singing', description: 'Singing groups and choirs.', synonyms: ['choir', 'sing', 'songs'] },
      { code: 'music', name: 'Music', description: 'Making or listening to music.', synonyms: ['musical', 'instruments', 'drumming'] },
      { code: 'museum-based', name: 'Museum-based', description: 'Activities in or with museums and galleries.', synonyms: ['museum', 'gallery', 'heritage', 'collections'] },
      { code: 'visual-arts', name: 'Visual arts', description: 'Drawing, painting, printmaking and other visual art.', synonyms: ['art', 'drawing', 'painting', 'arts', 'printmaking'] },
      { code: 'crafts', name: 'Crafts', description: 'Knitting, crochet, sewing, origami and other crafts.', synonyms: ['craft', 'knitting', 'crochet', 'sewing', 'origami', 'making'] },
      { code: 'reading-writing', name: 'Reading and writing', description: 'Book groups, storytelling and creative writing.', synonyms: ['book club', 'books', 'reading', 'writing', 'stories', 'poetry', 'library'] },
      { code: 'theatre-film', name: 'Theatre and film', description: 'Drama, theatre and cinema clubs.', synonyms: ['drama', 'theatre', 'cinema', 'film', 'acting'] },
      { code: 'gardening', name: 'Gardening', description: 'Growing food and plants with others.', synonyms: ['garden', 'allotment', 'growing', 'horticulture', 'green'] },
      { code: 'nature', name: 'Nature and outdoors', description: 'Time outdoors in green and blue spaces.', synonyms: ['outdoors', 'green space', 'forest bathing', 'conservation', 'wildlife'] },
      { code: 'walking', name: 'Walking', description: 'Walking groups and health walks.', synonyms: ['walk', 'walks', 'rambling', 'health walk'] },
      { code: 'physical-activity', name: 'Physical activity and sport', description: 'Exercise, sport and movement classes.', synonyms: ['exercise', 'sport', 'fitness', 'keep fit', 'yoga', 'tai chi', 'swimming'] },
      { code: 'mindfulness', name: 'Mindfulness and relaxation', description: 'Mindfulness, meditation and relaxation.', synonyms: ['meditation', 'relaxation', 'calm'] },
      { code: 'cookery', name: 'Cookery and healthy eating', description: 'Cooking and eating together, healthy eating.', synonyms: ['cooking', 'food', 'lunch club', 'healthy eating', 'nutrition'] },
      { code: 'befriending', name: 'Befriending', description: 'Regular company from a trained volunteer.', synonyms: ['friendship', 'company', 'companionship', 'someone to talk to', 'chat'] },
      { code: 'social-group', name: 'Social group', description: 'Groups for meeting people and making friends.', synonyms: ['social', 'club', 'coffee morning', 'meet people', 'friends', 'games', 'scrabble'] },
      { code: 'volunteering', name: 'Volunteering', description: 'Volunteering roles.', synonyms: ['volunteer', 'give back', 'helping'] },
      { code: 'advice', name: 'Practical advice', description: 'Advice on money, debt, benefits and housing.', synonyms: ['debt', 'money', 'benefits', 'housing', 'bills', 'welfare'] },
      { code: 'learning', name: 'Learning and skills', description: 'Courses and skills, including digital skills.', synonyms: ['course', 'class', 'skills', 'computer', 'digital'] },
      { code: 'play', name: 'Play', description: 'Play for babies, children and families.', synonyms: ['toddlers', 'stay and play', 'children'] },
    ],
  },
  {
    id: TAXONOMY_IDS.condition,
    name: 'Conditions and needs',
    description: 'Health conditions and needs an activity is designed for or suits.',
    terms: [
      { code: 'parkinsons', name: "Parkinson's", description: "People living with Parkinson's.", synonyms: ['PD', 'parkinson', 'parkinsons disease', "parkinson's disease"] },
      { code: 'dementia', name: 'Dementia', description: 'People living with dementia or memory problems.', synonyms: ['memory problems', 'memory loss', 'alzheimers', "alzheimer's", 'forgetful'] },
      { code: 'multiple-sclerosis', name: 'Multiple sclerosis', description: 'People living with MS.', synonyms: ['MS'] },
      { code: 'stroke', name: 'Stroke', description: 'People recovering from or living after a stroke.', synonyms: ['after a stroke', 'stroke survivors'] },
      { code: 'mental-health', name: 'Mental health', description: 'People with low mood, anxiety, stress or other mental health needs.', synonyms: ['low mood', 'anxiety', 'depression', 'stress', 'anxious', 'depressed', 'wellbeing'] },
      { code: 'loneliness', name: 'Loneliness and isolation', description: 'People who feel lonely or isolated.', synonyms: ['lonely', 'isolated', 'isolation', "can't get out much", 'cannot get out', 'housebound', 'on my own'] },
      { code: 'long-term-conditions', name: 'Long-term conditions', description: 'People living with long-term health conditions.', synonyms: ['chronic illness', 'long term condition', 'diabetes', 'COPD', 'heart condition'] },
      { code: 'chronic-pain', name: 'Chronic pain', description: 'People living with persistent pain.', synonyms: ['pain', 'arthritis', 'back pain'] },
      { code: 'hearing-loss', name: 'Hearing loss', description: 'People who are deaf or have hearing loss.', synonyms: ['deaf', 'hard of hearing'] },
      { code: 'sight-loss', name: 'Sight loss', description: 'People who are blind or partially sighted.', synonyms: ['blind', 'partially sighted', 'visual impairment'] },
      { code: 'learning-disability', name: 'Learning disability', description: 'People with a learning disability.', synonyms: ['learning disabilities'] },
      { code: 'money-worries', name: 'Money worries', description: 'People struggling with debt, bills or benefits.', synonyms: ['debt', 'money', 'bills', 'cost of living', 'benefits'] },
    ],
  },
  {
    id: TAXONOMY_IDS.group,
    name: 'Who it is for',
    description: 'Groups of people an activity is for.',
    terms: [
      { code: 'older-people', name: 'Older people', description: 'People over 60.', synonyms: ['elderly', 'over 60s', 'over 65s', 'pensioners', 'seniors', 'older adults', 'older man', 'older woman'] },
      { code: 'carers', name: 'Carers', description: 'People who care for a family member or friend.', synonyms: ['carer', 'caring', 'unpaid carers'] },
      { code: 'single-parents', name: 'Single parents', description: 'Parents bringing up children on their own.', synonyms: ['single parent', 'lone parent', 'single mum', 'single dad'] },
      { code: 'women-only', name: 'Women only', description: 'Groups for women only.', synonyms: ['women', 'ladies', 'female'] },
      { code: 'men', name: 'Men', description: 'Groups for men.', synonyms: ["men's shed", 'male', 'mens'] },
      { code: 'deaf-bsl', name: 'Deaf and BSL users', description: 'Deaf people who use British Sign Language.', synonyms: ['BSL', 'sign language', 'deaf'] },
      { code: 'young-adults', name: 'Young adults', description: 'People aged about 16 to 25.', synonyms: ['young people', 'teenagers', 'youth'] },
      { code: 'early-years', name: 'Early years families', description: 'Babies, toddlers and their grown-ups.', synonyms: ['babies', 'toddlers', 'under 5s', 'new parents', 'families'] },
      { code: 'families', name: 'Families', description: 'Families with children.', synonyms: ['children', 'kids', 'family'] },
      { code: 'south-asian-communities', name: 'South Asian communities', description: 'Groups run for and with South Asian communities.', synonyms: ['asian', 'urdu', 'punjabi'] },
      { code: 'welsh-speakers', name: 'Welsh speakers', description: 'Activities in Welsh.', synonyms: ['cymraeg', 'welsh language'] },
      { code: 'gaelic-speakers', name: 'Gaelic speakers', description: 'Activities in Scottish Gaelic.', synonyms: ['gaelic', 'gàidhlig'] },
    ],
  },
  {
    id: TAXONOMY_IDS.accessibility,
    name: 'Accessibility features',
    description: 'Structured accessibility features of a venue.',
    terms: [
      { code: 'step-free-access', name: 'Step-free access', description: 'Step-free entrance and route to the activity.', synonyms: ['step free', 'wheelchair accessible', 'wheelchair', 'no steps', 'level access', 'ramp'] },
      { code: 'accessible-toilet', name: 'Accessible toilet', description: 'An accessible toilet on site.', synonyms: ['disabled toilet', 'accessible loo'] },
      { code: 'hearing-loop', name: 'Hearing loop', description: 'An induction loop for hearing aid users.', synonyms: ['induction loop', 'loop system'] },
      { code: 'bsl-interpretation', name: 'BSL interpretation', description: 'British Sign Language interpretation available.', synonyms: ['BSL', 'sign language interpreter'] },
      { code: 'large-print', name: 'Large print', description: 'Large-print materials available.', synonyms: ['large text'] },
      { code: 'dementia-friendly', name: 'Dementia friendly', description: 'Staff trained and the space set up to be dementia friendly.', synonyms: ['dementia-friendly'] },
      { code: 'seated-option', name: 'Seated or chair-based option', description: 'The activity can be done seated.', synonyms: ['chair based', 'chair-based', 'seated', 'sitting down'] },
      { code: 'quiet-space', name: 'Quiet space', description: 'A quiet room or space to take a break.', synonyms: ['quiet room', 'calm space'] },
      { code: 'accessible-parking', name: 'Accessible parking', description: 'Blue Badge or accessible parking close by.', synonyms: ['blue badge', 'disabled parking', 'parking'] },
      { code: 'public-transport', name: 'Near public transport', description: 'A bus stop or station within a short walk.', synonyms: ['bus', 'train', 'transport'] },
      { code: 'changing-places', name: 'Changing Places toilet', description: 'A Changing Places toilet with hoist and bench.', synonyms: ['hoist'] },
      { code: 'assistance-dogs', name: 'Assistance dogs welcome', description: 'Assistance dogs are welcome.', synonyms: ['guide dog'] },
    ],
  },
  {
    id: TAXONOMY_IDS.benefit,
    name: 'Expected benefits',
    description: 'What a participant can expect to gain (activity analysis).',
    terms: [
      { code: 'social-connection', name: 'Social connection', description: 'Meeting people and feeling part of a group.' },
      { code: 'physical-activity', name: 'Physical activity', description: 'Moving more.' },
      { code: 'balance-mobility', name: 'Balance and mobility', description: 'Steadier balance and easier movement.' },
      { code: 'mood', name: 'Mood and wellbeing', description: 'Better mood and wellbeing.' },
      { code: 'confidence', name: 'Confidence', description: 'More confidence and self-esteem.' },
      { code: 'cognitive-stimulation', name: 'Cognitive stimulation', description: 'Keeping the mind active.' },
      { code: 'creativity', name: 'Creativity', description: 'Making and expressing.' },
      { code: 'skills', name: 'New skills', description: 'Learning something new.' },
      { code: 'practical-help', name: 'Practical help', description: 'Help with practical problems such as money or housing.' },
      { code: 'carer-respite', name: 'Time for carers', description: 'A break and support for carers.' },
      { code: 'self-management', name: 'Self-management', description: 'Managing a condition day to day.' },
    ],
  },
];

/** The stable id of a term, the same in every database and in the ORUK feed. */
export function termId(taxonomyId: TaxonomyId, code: string): string {
  return uuidv5(`${taxonomyId}:${code}`, VOCABULARY_NAMESPACE);
}

/** Every term code of one taxonomy, to validate input against. */
export function termCodes(taxonomyId: TaxonomyId): Set<string> {
  const vocabulary = VOCABULARIES.find((candidate) => candidate.id === taxonomyId);
  return new Set(vocabulary?.terms.map((term) => term.code) ?? []);
}

/**
 * Creates or updates the vocabularies so the database matches this file. Terms are never
 * deleted here: a listing may still use a retired term.
 */
export async function ensureVocabularies(client: ProviderClient): Promise<void> {
  for (const vocabulary of VOCABULARIES) {
    await client.taxonomy.upsert({
      where: { id: vocabulary.id },
      create: { id: vocabulary.id, name: vocabulary.name, description: vocabulary.description },
      update: { name: vocabulary.name, description: vocabulary.description },
    });
    for (const term of vocabulary.terms) {
      const data = {
        name: term.name,
        description: term.description,
        synonyms: (term.synonyms ?? []).join('\n'),
      };
      await client.taxonomyTerm.upsert({
        where: { id: termId(vocabulary.id, term.code) },
        create: { id: termId(vocabulary.id, term.code), taxonomyId: vocabulary.id, code: term.code, ...data },
        update: data,
      });
    }
  }
}
