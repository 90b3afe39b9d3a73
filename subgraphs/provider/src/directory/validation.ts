import { z } from 'zod';
import { ErrorCode, userError } from '@sp/runtime/errors';

const email = z.email();

export function checkEmail(value: string | null | undefined, field: string) {
  if (value === null || value === undefined || value === '') return;
  if (!email.safeParse(value).success) {
    throw userError(ErrorCode.BAD_USER_INPUT, `${field} is not a valid email address.`, { field });
  }
}

export function checkUrl(value: string | null | undefined, field: string) {
  if (value === null || value === undefined || value === '') return;
  const ok = URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
  if (!ok) throw userError(ErrorCode.BAD_USER_INPUT, `${field} must be a web address starting with https:// or http://.`, { field });
}

export function checkText(value: string | null | undefined, field: string, { required = false, max = 5000 } = {}) {
  if (value === null || value === undefined) {
    if (required) throw userError(ErrorCode.BAD_USER_INPUT, `${field} is required.`, { field });
    return;
  }
  if (required && value.trim() === '') throw userError(ErrorCode.BAD_USER_INPUT, `${field} cannot be empty.`, { field });
  if (value.length > max) throw userError(ErrorCode.BAD_USER_INPUT, `${field} must be at most ${max} characters.`, { field });
}

export function checkWholeNumber(value: number | null | undefined, field: string, min: number, max: number) {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    const message = min === 0 && value < 0 ? `${field} cannot be negative.` : `${field} must be a whole number from ${min} to ${max}.`;
    throw userError(ErrorCode.BAD_USER_INPUT, message, { field });
  }
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const BYDAY = /^(?:[+-]?[1-5]?(?:MO|TU|WE|TH|FR|SA|SU))(?:,[+-]?[1-5]?(?:MO|TU|WE|TH|FR|SA|SU))*$/;

export interface ScheduleFields {
  freq?: string | null;
  interval?: number | null;
  byday?: string | null;
  opensAt?: string | null;
  closesAt?: string | null;
  validFrom?: Date | null;
  validTo?: Date | null;
  description?: string | null;
}

export function checkSchedule(schedule: ScheduleFields, field: string) {
  if (schedule.freq && !['WEEKLY', 'MONTHLY'].includes(schedule.freq)) {
    throw userError(ErrorCode.BAD_USER_INPUT, `${field}.freq must be WEEKLY or MONTHLY.`, { field: `${field}.freq` });
  }
  checkWholeNumber(schedule.interval, `${field}.interval`, 1, 52);
  if (schedule.byday && !BYDAY.test(schedule.byday)) {
    throw userError(ErrorCode.BAD_USER_INPUT, `${field}.byday must be RFC 5545 days such as "TU", "MO,TH" or "1WE".`, { field: `${field}.byday` });
  }
  for (const key of ['opensAt', 'closesAt'] as const) {
    const value = schedule[key];
    if (value && !TIME.test(value)) {
      throw userError(ErrorCode.BAD_USER_INPUT, `${field}.${key} must be a time such as 14:00.`, { field: `${field}.${key}` });
    }
  }
  if (schedule.opensAt && schedule.closesAt && schedule.closesAt <= schedule.opensAt) {
    throw userError(ErrorCode.BAD_USER_INPUT, `${field}.closesAt must be after opensAt.`, { field: `${field}.closesAt` });
  }
  if (schedule.validFrom && schedule.validTo && schedule.validTo < schedule.validFrom) {
    throw userError(ErrorCode.BAD_USER_INPUT, `${field}.validTo cannot be before validFrom.`, { field: `${field}.validTo` });
  }
  checkText(schedule.description, `${field}.description`, { max: 500 });
}

export interface CapacityFields {
  places?: number | null;
  placesRemaining?: number | null;
}

export function checkCapacity(capacity: CapacityFields, field: string) {
  checkWholeNumber(capacity.places, `${field}.places`, 0, 100_000);
  checkWholeNumber(capacity.placesRemaining, `${field}.placesRemaining`, 0, 100_000);
  if (
    capacity.places !== null && capacity.places !== undefined &&
    capacity.placesRemaining !== null && capacity.placesRemaining !== undefined &&
    capacity.placesRemaining > capacity.places
  ) {
    throw userError(ErrorCode.BAD_USER_INPUT, `${field}.placesRemaining cannot be more than places.`, { field: `${field}.placesRemaining` });
  }
}
