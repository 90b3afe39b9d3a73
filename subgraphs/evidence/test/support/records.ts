// A valid record for tests to start from and change one thing at a time.
import type { RecordInput } from '../../src/domain/record-fields';

/** Invented for tests: not a real study. */
export const VALID_INPUT: RecordInput = {
  title: 'Dance for Parkinson’s: a trial',
  summary: 'People with Parkinson’s who danced weekly had better balance.',
  keyFinding: 'dance improved balance in people with Parkinson’s.',
  citation: 'Example A. A trial. Journal. 2020.',
  studyType: 'RANDOMISED_CONTROLLED_TRIAL',
  strength: 'MODERATE',
  strengthReason: 'One trial of moderate size.',
  activityTypes: ['dance'],
  conditions: ['parkinsons'],
  outcomes: [{ measured: 'Balance', measure: 'Berg Balance Scale', figure: 4, unit: 'points', direction: 'IMPROVEMENT' }],
};
