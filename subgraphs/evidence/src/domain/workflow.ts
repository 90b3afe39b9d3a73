// The curation workflow. Admins write drafts; another admin publishes (four-eyes); a published
// record can only be retracted, with a reason the public sees.
//
//   DRAFT ──submit──► IN_REVIEW ──publish──► PUBLISHED ──retract──► RETRACTED
//     ▲                  │
//     │            request changes
//     │                  ▼
//     └────(edit)── CHANGES_REQUESTED ──submit──► IN_REVIEW
import type { EvidenceStatus } from '@sp/prisma/evidence';
import { userError } from '@sp/runtime/errors';
import { EvidenceErrorCode } from './errors';
import { STATUS_LABELS } from './labels';

export type CurationStep = 'submit' | 'requestChanges' | 'publish' | 'retract';

export const STEPS: Record<CurationStep, { from: readonly EvidenceStatus[]; to: EvidenceStatus; verb: string }> = {
  submit: { from: ['DRAFT', 'CHANGES_REQUESTED'], to: 'IN_REVIEW', verb: 'sent for review' },
  requestChanges: { from: ['IN_REVIEW'], to: 'CHANGES_REQUESTED', verb: 'sent back for changes' },
  publish: { from: ['IN_REVIEW'], to: 'PUBLISHED', verb: 'published' },
  retract: { from: ['PUBLISHED'], to: 'RETRACTED', verb: 'retracted' },
};

/** Content can be changed only before review, or when a reviewer has sent it back. */
export const EDITABLE_STATUSES: readonly EvidenceStatus[] = ['DRAFT', 'CHANGES_REQUESTED'];

const HINTS: Partial<Record<EvidenceStatus, string>> = {
  DRAFT: 'Send it for review first.',
  CHANGES_REQUESTED: 'Make the changes and send it for review again.',
  IN_REVIEW: 'It is waiting for a reviewer.',
  PUBLISHED: 'A published record can only be retracted.',
  RETRACTED: 'A retracted record stays retracted.',
};

/** The status after `step`, or ILLEGAL_TRANSITION when the record's status does not allow it. */
export function nextStatus(current: EvidenceStatus, step: CurationStep): EvidenceStatus {
  const rule = STEPS[step];
  if (!rule.from.includes(current)) {
    throw userError(
      EvidenceErrorCode.ILLEGAL_TRANSITION,
      `This record is ${STATUS_LABELS[current]}, so it cannot be ${rule.verb}. ${HINTS[current] ?? ''}`.trim(),
      { from: current, to: rule.to },
    );
  }
  return rule.to;
}

export function assertEditable(current: EvidenceStatus): void {
  if (!EDITABLE_STATUSES.includes(current)) {
    throw userError(
      EvidenceErrorCode.RECORD_NOT_EDITABLE,
      `This record is ${STATUS_LABELS[current]}: only drafts and records sent back for changes can be edited.` +
        (current === 'IN_REVIEW' ? ' Ask the reviewer to send it back for changes.' : '') +
        (current === 'PUBLISHED' ? ' To correct a published record, retract it with the reason and publish a corrected record.' : ''),
      { status: current },
    );
  }
}

/** Four-eyes: whoever last changed the content may not publish it. */
export function assertMayPublish(lastEditedBy: string, actor: string): void {
  if (lastEditedBy === actor) {
    throw userError(
      EvidenceErrorCode.FOUR_EYES_REQUIRED,
      'You made the last change to this record, so another admin must review and publish it.',
    );
  }
}
