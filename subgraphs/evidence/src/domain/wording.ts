// Sentences built from a record for people: the one-line headline a professional can read in a
// chat, and an outcome's result in words.
import type { EvidenceStatus, EvidenceStrength, OutcomeDirection, StudyType } from '@sp/prisma/evidence';
import { DIRECTION_LABELS, STRENGTH_LABELS, STUDY_TYPE_LABELS } from './labels';

const HEADLINE_MAX = 240;

/**
 * "Systematic review, moderate strength: dance improved balance and mood in people with
 * Parkinson's". One line, never longer than 240 characters; a retracted record says so first.
 */
export function headlineOf(record: { studyType: StudyType; strength: EvidenceStrength; keyFinding: string; status: EvidenceStatus }): string {
  const finding = record.keyFinding.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  const line = `${STUDY_TYPE_LABELS[record.studyType]}, ${STRENGTH_LABELS[record.strength]} strength: ${finding}`;
  const prefixed = record.status === 'RETRACTED' ? `Retracted. ${line}` : line;
  return prefixed.length <= HEADLINE_MAX ? prefixed : `${prefixed.slice(0, HEADLINE_MAX - 1).trimEnd()}…`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-GB') : value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

/** "37%", "20% of GP referrals", "£4–£11 per £1 invested", "4.8 out of 5": the figure with its unit. */
export function figureText(outcome: { figure: number | null; figureHigh: number | null; unit: string | null }): string | null {
  if (outcome.figure === null) return null;
  const unit = outcome.unit ?? '';
  const withUnit = (value: number) => {
    const number = formatNumber(value);
    if (unit.startsWith('%')) return `${number}${unit}`;
    if (unit.startsWith('£')) return `£${number}${unit.slice(1)}`;
    return unit === '' ? number : `${number} ${unit}`;
  };
  if (outcome.figureHigh === null || outcome.figureHigh === outcome.figure) return withUnit(outcome.figure);
  if (unit.startsWith('£')) return `£${formatNumber(outcome.figure)}–£${formatNumber(outcome.figureHigh)}${unit.slice(1)}`;
  if (unit.startsWith('%')) return `${formatNumber(outcome.figure)}–${formatNumber(outcome.figureHigh)}${unit}`;
  return `${formatNumber(outcome.figure)}–${formatNumber(outcome.figureHigh)} ${unit}`.trimEnd();
}

/**
 * The result in a few words: "37% decrease", "£4–£11 per £1 invested", "improvement (no figure
 * given in the source)". Says plainly when the source gives no figure.
 */
export function resultText(outcome: {
  figure: number | null;
  figureHigh: number | null;
  unit: string | null;
  direction: OutcomeDirection;
}): string {
  const figure = figureText(outcome);
  const direction = DIRECTION_LABELS[outcome.direction];
  if (figure === null) {
    return outcome.direction === 'NOT_STATED' ? 'No figure given in the source' : `${capitalise(direction)} (no figure given in the source)`;
  }
  if (outcome.direction === 'INCREASE' || outcome.direction === 'DECREASE') return `${figure} ${direction}`;
  if (outcome.direction === 'NOT_STATED') return figure;
  return `${figure} (${direction})`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
