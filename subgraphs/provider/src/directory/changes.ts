import type { Prisma } from '@sp/prisma/provider';

/** One field's change, as the HSDS metadata table records it. */
export interface FieldChange {
  fieldName: string;
  previousValue: string | null;
  replacementValue: string | null;
}

/** A value as the change log stores it: text, with lists sorted so order alone is not a change. */
export function asChangeValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => asChangeValue(item) ?? '').sort().join('\n');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The fields of `next` whose values differ from `previous`. */
export function diffFields(previous: Record<string, unknown> | null, next: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [fieldName, value] of Object.entries(next)) {
    if (value === undefined) continue;
    const before = previous ? asChangeValue(previous[fieldName]) : null;
    const after = asChangeValue(value);
    if (before !== after) changes.push({ fieldName, previousValue: before, replacementValue: after });
  }
  return changes;
}

export interface ChangeTarget {
  resourceType: string;
  resourceId: string;
  activityId?: string | null;
  organizationId?: string | null;
  action: 'create' | 'update' | 'delete';
  updatedBy: string;
}

/** Writes the changes inside the caller's transaction, so a change and its record land together. */
export async function recordChanges(tx: Prisma.TransactionClient, target: ChangeTarget, changes: FieldChange[]) {
  if (changes.length === 0) return;
  await tx.changeRecord.createMany({
    data: changes.map((change) => ({
      resourceType: target.resourceType,
      resourceId: target.resourceId,
      activityId: target.activityId ?? null,
      organizationId: target.organizationId ?? null,
      lastActionType: target.action,
      fieldName: change.fieldName,
      previousValue: change.previousValue,
      replacementValue: change.replacementValue,
      updatedBy: target.updatedBy,
    })),
  });
}
