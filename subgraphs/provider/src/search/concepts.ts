// What a phrase in a query can mean. The controlled vocabularies (prisma/reference) give the
// terms and most synonyms; this file adds the everyday words people type that the vocabularies
// do not carry, and the words for cost, delivery mode, days and availability.
import type { DeliveryMode } from '@sp/prisma/provider';
import type { DayOfWeek } from '../directory/filter';

export type TermKind = 'condition' | 'group' | 'activityType' | 'accessibility' | 'benefit';

export type Concept =
  | { kind: 'term'; termKind: TermKind; code: string; weight?: number }
  | { kind: 'place'; key: string }
  | { kind: 'free' }
  | { kind: 'cheap' }
  | { kind: 'mode'; modes: DeliveryMode[]; label: ModeLabel }
  | { kind: 'day'; days: DayOfWeek[] }
  | { kind: 'time'; part: TimeOfDay }
  | { kind: 'hasPlaces' };

export type ModeLabel = 'online' | 'by phone' | 'home visits' | 'from home' | 'in person';
export type TimeOfDay = 'morning' | 'afternoon' | 'evening';

const term = (termKind: TermKind, code: string, weight?: number): Concept =>
  weight === undefined ? { kind: 'term', termKind, code } : { kind: 'term', termKind, code, weight };

/** Vocabulary synonyms too vague to mean the term when typed alone. */
export const VAGUE_SINGLE_WORDS: ReadonlySet<string> = new Set(['making', 'green', 'class', 'club', 'course', 'calm', 'money', 'benefits']);

/** Extra phrases for vocabulary terms, as people type them. Matched after normalising and stemming. */
export const EXTRA_TERM_PHRASES: Array<[string[], Concept[]]> = [
  // Conditions
  [['parkinsonism', 'parkinsons uk'], [term('condition', 'parkinsons')]],
  [['memory', 'memory issues', 'memory difficulties', 'poor memory', 'confused', 'confusion', 'alzheimer', 'vascular dementia', 'cognitive impairment', 'forgetfulness', 'memory cafe'], [term('condition', 'dementia')]],
  [['dementia friendly'], [term('accessibility', 'dementia-friendly'), term('condition', 'dementia')]],
  [['m s', 'multiple sclerosis'], [term('condition', 'multiple-sclerosis')]],
  [['had a stroke', 'stroke survivor', 'post stroke', 'aphasia'], [term('condition', 'stroke')]],
  [['mental health', 'mental illness', 'panic', 'nerves', 'feeling low', 'low', 'down', 'sad', 'worried', 'worries', 'grief', 'bereaved', 'bereavement', 'confidence issues'], [term('condition', 'mental-health')]],
  [['loneliness', 'alone', 'all alone', 'no friends', 'no one to talk to', 'cant get out', 'cannot get out much', 'doesnt get out', 'does not get out', 'stuck at home', 'stuck indoors', 'socially isolated', 'widowed', 'widow', 'widower', 'lives alone', 'living alone', 'on her own', 'on his own'], [term('condition', 'loneliness')]],
  [['copd', 'lung', 'lungs', 'lung condition', 'breathing', 'breathless', 'breathlessness', 'asthma', 'heart', 'diabetic', 'long covid', 'fatigue'], [term('condition', 'long-term-conditions')]],
  [['fibromyalgia', 'aches', 'joint pain', 'sore joints'], [term('condition', 'chronic-pain')]],
  [['hearing', 'hearing impaired', 'hearing impairment'], [term('condition', 'hearing-loss')]],
  [['sight', 'visually impaired', 'low vision', 'vision', 'sight impaired'], [term('condition', 'sight-loss')]],
  [['learning difficulties', 'learning difficulty'], [term('condition', 'learning-disability')]],
  [['skint', 'broke', 'rent arrears', 'arrears', 'universal credit', 'struggling with money', 'money problems', 'money worries'], [term('condition', 'money-worries'), term('activityType', 'advice')]],
  // Groups
  [['older', 'elderly', 'old age', 'pensioner', 'retired', 'senior', 'older person', 'older people', 'later life', 'over 50s', 'over 50', 'old man', 'old lady', 'older gentleman', 'older lady', 'gran', 'granny', 'grandma', 'grandad', 'grandpa', 'nan', 'nana'], [term('group', 'older-people')]],
  [['older man', 'elderly man', 'old man', 'older gentleman', 'elderly gentleman'], [term('group', 'older-people'), term('group', 'men', 1.5)]],
  [['older woman', 'elderly woman', 'older lady', 'elderly lady'], [term('group', 'older-people'), term('group', 'women-only', 1.5)]],
  [['mum', 'dad', 'mother', 'father', 'mam', 'mom', 'parent', 'parents'], [term('group', 'older-people', 1)]],
  [['cares for', 'caring for', 'looks after', 'looking after', 'carer support'], [term('group', 'carers')]],
  [['man', 'men', 'male', 'gents', 'gentleman', 'blokes', 'mens shed', 'men only'], [term('group', 'men', 1.5)]],
  [['woman', 'women', 'lady', 'ladies', 'female', 'womens', 'women only'], [term('group', 'women-only', 1.5)]],
  [['young', 'teen', 'teens', 'teenager', 'student', 'young adult'], [term('group', 'young-adults')]],
  [['baby', 'toddler', 'pre school', 'preschool', 'under fives', 'under 5', 'under 5s'], [term('group', 'early-years'), term('activityType', 'play', 2)]],
  [['kids', 'child', 'children', 'grandchildren', 'grandkids'], [term('group', 'families'), term('group', 'early-years', 1.5)]],
  [['signing', 'deaf community'], [term('group', 'deaf-bsl')]],
  [['hindi', 'bengali', 'desi'], [term('group', 'south-asian-communities')]],
  [['welsh', 'in welsh', 'welsh speaking'], [term('group', 'welsh-speakers')]],
  [['gaelic speaking', 'in gaelic'], [term('group', 'gaelic-speakers')]],
  // Accessibility
  [['disabled access', 'accessible', 'wheelchair user', 'no stairs', 'step free access', 'level entrance', 'lift'], [term('accessibility', 'step-free-access')]],
  [['chair', 'sit down', 'sitting', 'seated exercise', 'chair exercise', 'from a chair'], [term('accessibility', 'seated-option')]],
  [['loop', 'hearing aid', 'hearing aids'], [term('accessibility', 'hearing-loop')]],
  [['toilet', 'disabled loo', 'accessible toilets'], [term('accessibility', 'accessible-toilet')]],
  [['quiet', 'quiet area', 'sensory friendly', 'autism friendly'], [term('accessibility', 'quiet-space')]],
  [['blue badge parking', 'car park'], [term('accessibility', 'accessible-parking')]],
  [['bus route', 'bus stop', 'train station'], [term('accessibility', 'public-transport')]],
  // Activity types
  [['ceilidh', 'tea dance', 'zumba', 'country dancing'], [term('activityType', 'dance')]],
  [['chorus', 'sing along', 'singalong', 'song'], [term('activityType', 'singing')]],
  [['band', 'instrument', 'drum', 'drums', 'guitar', 'ukulele', 'percussion', 'steel pan'], [term('activityType', 'music')]],
  [['history', 'local history', 'reminiscence', 'exhibition'], [term('activityType', 'museum-based')]],
  [['sketching', 'photography', 'collage', 'pottery', 'watercolour', 'creative', 'artist'], [term('activityType', 'visual-arts')]],
  [['knit', 'woodwork', 'sew', 'embroidery', 'quilting', 'needlework'], [term('activityType', 'crafts')]],
  [['book', 'book group', 'creative writing', 'storytelling'], [term('activityType', 'reading-writing')]],
  [['films', 'movies', 'movie'], [term('activityType', 'theatre-film')]],
  [['plants', 'vegetables', 'veg', 'grow'], [term('activityType', 'gardening')]],
  [['outdoor', 'woods', 'woodland', 'forest', 'coast', 'beach', 'birdwatching', 'fresh air'], [term('activityType', 'nature')]],
  [['hiking', 'ramble', 'walking group', 'stroll'], [term('activityType', 'walking')]],
  [['sports', 'gym', 'pilates', 'football', 'strength', 'keep active', 'movement', 'exercise class', 'get fitter', 'get active'], [term('activityType', 'physical-activity')]],
  [['relax', 'meditate', 'stress relief'], [term('activityType', 'mindfulness')]],
  [['cook', 'lunch', 'meal', 'meals', 'eating', 'diet', 'hot meal'], [term('activityType', 'cookery')]],
  [['befriend', 'befriender', 'companion', 'friendly call', 'someone to chat to', 'visitor', 'a visit'], [term('activityType', 'befriending')]],
  [['socialise', 'socialising', 'socializing', 'meeting people', 'make friends', 'making friends', 'new friends', 'quiz', 'cafe', 'coffee', 'cuppa'], [term('activityType', 'social-group')]],
  [['volunteer work', 'volunteering role'], [term('activityType', 'volunteering')]],
  [['citizens advice', 'energy bills', 'debt advice', 'benefits advice', 'money advice'], [term('activityType', 'advice'), term('condition', 'money-worries')]],
  [['learn', 'smartphone', 'tablet', 'internet', 'computer skills', 'it skills'], [term('activityType', 'learning')]],
  [['playgroup', 'play group', 'toddler group'], [term('activityType', 'play'), term('group', 'early-years')]],
];

export const ONLINE: Concept = { kind: 'mode', modes: ['ONLINE', 'HYBRID'], label: 'online' };
export const BY_PHONE: Concept = { kind: 'mode', modes: ['TELEPHONE'], label: 'by phone' };
export const HOME_VISITS: Concept = { kind: 'mode', modes: ['HOME_VISIT'], label: 'home visits' };
export const FROM_HOME: Concept = { kind: 'mode', modes: ['ONLINE', 'TELEPHONE', 'HOME_VISIT', 'HYBRID'], label: 'from home' };
export const IN_PERSON: Concept = { kind: 'mode', modes: ['IN_PERSON', 'HYBRID'], label: 'in person' };

/** Cost, delivery, days and availability: what the sentence asks of an activity rather than what it is about. */
export const CONSTRAINT_PHRASES: Array<[string[], Concept[]]> = [
  [['free', 'free of charge', 'no cost', 'no charge', 'doesnt cost anything', 'costs nothing', 'cost nothing', 'nothing to pay', 'without charge', 'at no cost', 'for free', 'no fee', 'no fees'], [{ kind: 'free' }]],
  [['cheap', 'low cost', 'affordable', 'inexpensive', 'not expensive', 'not too expensive'], [{ kind: 'cheap' }]],
  [['online', 'on line', 'zoom', 'virtual', 'video', 'video call', 'remote', 'remotely', 'on the computer', 'on the internet'], [ONLINE]],
  [['by phone', 'phone', 'telephone', 'over the phone', 'on the phone', 'by telephone', 'phone call', 'phone calls', 'calls', 'ring'], [BY_PHONE]],
  [['home visit', 'home visits', 'visit at home', 'visits at home', 'visit me', 'visit her', 'visit him', 'visit them', 'comes to the house', 'come to the house', 'comes to me', 'come to me', 'come to her', 'come to him', 'in her home', 'in his home', 'visiting service'], [HOME_VISITS]],
  [['at home', 'from home', 'in my home', 'at my home', 'from my home', 'without leaving home', 'without travelling', 'no travel'], [FROM_HOME]],
  [['in person', 'face to face', 'f2f', 'in the room'], [IN_PERSON]],
  [['monday', 'mondays'], [{ kind: 'day', days: ['MO'] }]],
  [['tuesday', 'tuesdays'], [{ kind: 'day', days: ['TU'] }]],
  [['wednesday', 'wednesdays'], [{ kind: 'day', days: ['WE'] }]],
  [['thursday', 'thursdays'], [{ kind: 'day', days: ['TH'] }]],
  [['friday', 'fridays'], [{ kind: 'day', days: ['FR'] }]],
  [['saturday', 'saturdays'], [{ kind: 'day', days: ['SA'] }]],
  [['sunday', 'sundays'], [{ kind: 'day', days: ['SU'] }]],
  [['weekend', 'weekends', 'at the weekend', 'on the weekend', 'at weekends'], [{ kind: 'day', days: ['SA', 'SU'] }]],
  [['weekday', 'weekdays', 'during the week', 'in the week'], [{ kind: 'day', days: ['MO', 'TU', 'WE', 'TH', 'FR'] }]],
  [['morning', 'mornings', 'in the morning'], [{ kind: 'time', part: 'morning' }]],
  [['afternoon', 'afternoons', 'in the afternoon'], [{ kind: 'time', part: 'afternoon' }]],
  [['evening', 'evenings', 'in the evening', 'after work', 'night', 'nights'], [{ kind: 'time', part: 'evening' }]],
  [['places available', 'with places', 'spaces available', 'space available', 'has space', 'has places', 'not full', 'availability', 'no waiting list', 'start now', 'start straight away', 'spare places', 'places left', 'with space', 'with spaces'], [{ kind: 'hasPlaces' }]],
];

const ABBREVIATED_DAYS: Record<string, DayOfWeek> = {
  mon: 'MO', tue: 'TU', tues: 'TU', wed: 'WE', weds: 'WE', thu: 'TH', thur: 'TH', thurs: 'TH', fri: 'FR', sat: 'SA', sun: 'SU',
};
for (const [word, day] of Object.entries(ABBREVIATED_DAYS)) {
  // Abbreviations are also ordinary words ("sat", "sun", "wed"): only after "on" or "every".
  CONSTRAINT_PHRASES.push([[`on ${word}`, `every ${word}`], [{ kind: 'day', days: [day] }]]);
}
