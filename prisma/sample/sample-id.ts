import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace for the sample data's ids, so every subgraph derives the same id from a slug. */
const SAMPLE_NAMESPACE = '6f1f3c1e-6a8e-4b8e-9a57-3c0b3f1f2a10';

/** A stable UUID for a sample record: the evidence sample can link to a sample activity by slug. */
export function sampleId(slug: string): string {
  return uuidv5(slug, SAMPLE_NAMESPACE);
}

/** Added to every sample listing so nobody mistakes illustrative details for facts. */
export const SAMPLE_NOTICE =
  'Sample listing for demonstration: times, venues, costs and contact details are illustrative, not confirmed by the organisation.';
