// Plain-English pieces for the reasons a hit carries: "For people with Parkinson's",
// "Step-free access", "Tuesdays 2pm in Dundee", "No places at the moment – waiting list open".
import type { DeliveryMode } from '@sp/prisma/provider';
import { VOCABULARIES, TAXONOMY_IDS } from '@sp/prisma/reference/vocabularies';
import type { DayOfWeek } from '../directory/filter';
import type { IndexedSchedule } from './records';

const DAY_NAMES: Record<DayOfWeek, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const ORDINALS: Record<string, string> = { '1': 'First', '2': 'Second', '3': 'Third', '4': 'Fourth', '-1': 'Last' };

function termNames(taxonomy: string): Map<string, string> {
  return new Map(VOCABULARIES.find((vocabulary) => vocabulary.id === taxonomy)?.terms.map((term) => [term.code, term.name]) ?? []);
}
const CONDITION_NAMES = termNames(TAXONOMY_IDS.condition);
const GROUP_NAMES = termNames(TAXONOMY_IDS.group);
const TYPE_NAMES = termNames(TAXONOMY_IDS.activityType);
const ACCESS_NAMES = termNames(TAXONOMY_IDS.accessibility);
const BENEFIT_NAMES = termNames(TAXONOMY_IDS.benefit);

const CONDITION_REASONS: Record<string, string> = {
  parkinsons: "For people with Parkinson's",
  dementia: 'For people with dementia',
  'multiple-sclerosis': 'For people with multiple sclerosis',
  stroke: 'For people after a stroke',
  'mental-health': 'Supports mental health and wellbeing',
  loneliness: 'For people who feel lonely or isolated',
  'long-term-conditions': 'For people with long-term conditions',
  'chronic-pain': 'For people living with pain',
  'hearing-loss': 'For people with hearing loss',
  'sight-loss': 'For people with sight loss',
  'learning-disability': 'For people with a learning disability',
  'money-worries': 'Help with money worries',
};

const GROUP_REASONS: Record<string, string> = {
  'older-people': 'For older people',
  carers: 'For carers',
  'single-parents': 'For single parents',
  'women-only': 'For women',
  men: 'For men',
  'deaf-bsl': 'For Deaf people who use BSL',
  'young-adults': 'For young adults',
  'early-years': 'For babies, toddlers and their grown-ups',
  families: 'For families',
  'south-asian-communities': 'For South Asian communities',
  'welsh-speakers': 'In Welsh',
  'gaelic-speakers': 'In Gaelic',
};

export function conditionReason(code: string): string {
  return CONDITION_REASONS[code] ?? `For people with ${(CONDITION_NAMES.get(code) ?? code).toLowerCase()}`;
}

export function groupReason(code: string): string {
  return GROUP_REASONS[code] ?? `For ${(GROUP_NAMES.get(code) ?? code).toLowerCase()}`;
}

export function activityTypeReason(code: string): string {
  return TYPE_NAMES.get(code) ?? code;
}

export function accessibilityReason(code: string): string {
  return ACCESS_NAMES.get(code) ?? code;
}

export function benefitReason(code: string): string {
  return `Expected benefit: ${(BENEFIT_NAMES.get(code) ?? code).toLowerCase()}`;
}

export function modeReason(mode: DeliveryMode): string {
  switch (mode) {
    case 'ONLINE':
      return 'Online';
    case 'TELEPHONE':
      return 'By phone';
    case 'HOME_VISIT':
      return 'Home visits';
    case 'HYBRID':
      return 'In person or online';
    default:
      return 'In person';
  }
}

/** "14:00" → "2pm", "10:30" → "10:30am", "12:00" → "12 noon". */
export function formatTime(time: string | null): string | null {
  const match = time ? /^(\d{1,2}):(\d{2})/.exec(time) : null;
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = match[2]!;
  if (hours === 12 && minutes === '00') return '12 noon';
  if (hours === 0 && minutes === '00') return 'midnight';
  const suffix = hours < 12 ? 'am' : 'pm';
  const shown = hours % 12 === 0 ? 12 : hours % 12;
  return minutes === '00' ? `${shown}${suffix}` : `${shown}:${minutes}${suffix}`;
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** When a schedule runs, in words: "Tuesdays 2pm", "Every other Wednesday 2pm", "First Saturday of the month 10:30am". */
export function describeSchedule(schedule: IndexedSchedule): string | null {
  const parts = (schedule.byday ?? '')
    .split(',')
    .map((part) => /^(-?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(part.trim()))
    .filter((match): match is RegExpExecArray => match !== null);
  const time = formatTime(schedule.opensAt);
  if (parts.length === 0) return schedule.description ?? null;
  let days: string;
  const ordinal = parts.filter((part) => part[1]);
  if (ordinal.length === parts.length) {
    days = `${joinWords(parts.map((part) => `${(ORDINALS[part[1]!] ?? part[1])!} ${DAY_NAMES[part[2] as DayOfWeek]}`))} of the month`;
    days = days.charAt(0) + days.slice(1).replace(/\b(First|Second|Third|Fourth|Last)\b/g, (word) => word.toLowerCase());
  } else {
    const codes = parts.map((part) => part[2] as DayOfWeek);
    const set = new Set(codes);
    if (set.size === 5 && ['MO', 'TU', 'WE', 'TH', 'FR'].every((day) => set.has(day as DayOfWeek))) days = 'Weekdays';
    else if (set.size === 2 && set.has('SA') && set.has('SU')) days = 'Weekends';
    else if (schedule.interval === 2 && codes.length === 1) days = `Every other ${DAY_NAMES[codes[0]!]}`;
    else days = joinWords(codes.map((code) => `${DAY_NAMES[code]}s`));
  }
  return time ? `${days} ${time}` : days;
}

/** Whether a schedule runs on one of these days (RFC 5545 BYDAY, monthly rules included). */
export function runsOn(schedule: IndexedSchedule, days: readonly DayOfWeek[]): boolean {
  const byday = schedule.byday;
  return byday !== null && days.some((day) => byday.includes(day));
}

export function opensIn(schedule: IndexedSchedule, part: 'morning' | 'afternoon' | 'evening'): boolean {
  const match = schedule.opensAt ? /^(\d{1,2})/.exec(schedule.opensAt) : null;
  if (!match) return false;
  const hour = Number(match[1]);
  if (part === 'morning') return hour < 12;
  if (part === 'afternoon') return hour >= 12 && hour < 17;
  return hour >= 17;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function ageRange(minimum: number | null, maximum: number | null): string {
  if (minimum !== null && maximum !== null) return `For ages ${minimum} to ${maximum}`;
  if (minimum !== null) return `For ages ${minimum} and over`;
  if (maximum !== null) return `For ages up to ${maximum}`;
  return 'Open to all ages';
}
