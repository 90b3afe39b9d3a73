// Field-level history: a record's content flattened to named text values, and the differences
// between two versions, so a revision can say who changed which field from what to what.
import { FIELD_ORDER, OUTCOME_FIELD_ORDER, type RecordFields } from './record-fields';

export interface FieldChange {
  field: string;
  previousValue: string | null;
  newValue: string | null;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : [...value].map(String).sort().join('\n');
  return String(value);
}

/**
 * The record as `field → text`: lists of codes and ids one per line (sorted, so order alone is not
 * a change), and each outcome's parts as `outcomes[0].measure` and so on.
 */
export function flattenRecord(fields: RecordFields): Map<string, string | null> {
  const flat = new Map<string, string | null>();
  for (const field of FIELD_ORDER) {
    if (field === 'outcomes') continue;
    flat.set(field, asText(fields[field]));
  }
  fields.outcomes.forEach((outcome, index) => {
    for (const part of OUTCOME_FIELD_ORDER) flat.set(`outcomes[${index}].${part}`, asText(outcome[part]));
  });
  return flat;
}

/** What changed from `previous` (null: nothing before) to `next`, in field order. */
export function diffRecords(previous: RecordFields | null, next: RecordFields): FieldChange[] {
  const before = previous ? flattenRecord(previous) : new Map<string, string | null>();
  const after = flattenRecord(next);
  const fields = [...new Set([...after.keys(), ...before.keys()])];
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const previousValue = before.get(field) ?? null;
    const newValue = after.get(field) ?? null;
    if (previousValue !== newValue) changes.push({ field, previousValue, newValue });
  }
  return changes;
}
