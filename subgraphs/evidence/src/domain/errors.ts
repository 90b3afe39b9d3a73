// The evidence subgraph's error codes: stable names a client can act on (`extensions.code`),
// each raised with a plain-language message and, for input, the `field` at fault.
import { ErrorCode, userError } from '@sp/runtime/errors';

export const EvidenceErrorCode = {
  ...ErrorCode,
  /** A required field is missing or blank, or a value is out of range. */
  INVALID_FIELD: 'BAD_USER_INPUT',
  INVALID_DOI: 'INVALID_DOI',
  INVALID_URL: 'INVALID_URL',
  INVALID_PUBLICATION_DATE: 'INVALID_PUBLICATION_DATE',
  PUBLICATION_DATE_IN_FUTURE: 'PUBLICATION_DATE_IN_FUTURE',
  OUTCOME_MEASURE_REQUIRED: 'OUTCOME_MEASURE_REQUIRED',
  INVALID_FIGURE: 'INVALID_FIGURE',
  UNKNOWN_TAXONOMY_TERM: 'UNKNOWN_TAXONOMY_TERM',
  /** The record's status does not allow that step (publishing a draft, retracting a draft...). */
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  /** Only drafts and records sent back for changes can be edited. */
  RECORD_NOT_EDITABLE: 'RECORD_NOT_EDITABLE',
  /** The admin who last edited a record cannot also publish it. */
  FOUR_EYES_REQUIRED: 'FOUR_EYES_REQUIRED',
  RETRACTION_REASON_REQUIRED: 'RETRACTION_REASON_REQUIRED',
  REVIEW_COMMENT_REQUIRED: 'REVIEW_COMMENT_REQUIRED',
  /** The record changed since the revision the caller had (someone else edited it). */
  STALE_REVISION: 'STALE_REVISION',
  /** An import names an id that is already taken. */
  RECORD_EXISTS: 'RECORD_EXISTS',
} as const;

export type EvidenceErrorCode = (typeof EvidenceErrorCode)[keyof typeof EvidenceErrorCode];

/** An input error that names the field at fault. */
export function fieldError(code: EvidenceErrorCode, field: string, message: string) {
  return userError(code, message, { field });
}
