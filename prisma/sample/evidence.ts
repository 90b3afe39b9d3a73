// Loads the published sample evidence (./evidence-records.ts) into the evidence subgraph's
// database. Links to the sample directory use the ids the provider's sample data derives from the
// same slugs; activity types and conditions are codes from the shared vocabularies.
import type { EvidenceClient } from '../src/evidence';
import { TAXONOMY_IDS } from '../reference/vocabularies';
import { SAMPLE_EVIDENCE, type SampleEvidence } from './evidence-records';
import { sampleActivityId, sampleOrganizationId } from './provider';
import { sampleId } from './sample-id';

export { SAMPLE_EVIDENCE, type SampleEvidence };

/** Who the sample records are by, in their history. */
export const SAMPLE_ACTOR = 'sample-data';

export function sampleEvidenceId(slug: string): string {
  if (!SAMPLE_EVIDENCE.some((record) => record.slug === slug)) throw new Error(`No sample evidence with slug "${slug}"`);
  return sampleId(`evidence:${slug}`);
}

/** The stored form of a sample record's text, to tell whether the stored sample is current. */
const fingerprint = (record: { title: string; summary: string; keyFinding: string; citation: string }) =>
  JSON.stringify([record.title, record.summary, record.keyFinding, record.citation]);

type RecordWriter = Pick<EvidenceClient, 'evidenceRecord'>;

async function createSampleRecord(client: RecordWriter, record: SampleEvidence, now: Date) {
  const id = sampleId(`evidence:${record.slug}`);
  await client.evidenceRecord.create({
    data: {
      id,
      title: record.title,
      summary: record.summary,
      keyFinding: record.keyFinding,
      citation: record.citation,
      url: record.url ?? null,
      doi: record.doi ?? null,
      publisher: record.publisher ?? null,
      publicationDate: record.publicationDate ?? null,
      studyType: record.studyType,
      strength: record.strength,
      strengthReason: record.strengthReason,
      ageGroup: record.population.ageGroup ?? null,
      setting: record.population.setting ?? null,
      region: record.population.region ?? null,
      sampleSize: record.sampleSize ?? null,
      sampleDescription: record.sampleDescription ?? null,
      limitations: record.limitations ?? null,
      status: 'PUBLISHED',
      publishedAt: now,
      createdBy: SAMPLE_ACTOR,
      lastEditedBy: SAMPLE_ACTOR,
      revision: 1,
      isSampleData: true,
      outcomes: {
        create: record.outcomes.map((outcome, position) => ({
          position,
          measured: outcome.measured,
          measure: outcome.measure,
          statement: outcome.statement ?? null,
          figure: outcome.figure ?? null,
          figureHigh: outcome.figureHigh ?? null,
          unit: outcome.unit ?? null,
          direction: outcome.direction,
          comparison: outcome.comparison ?? null,
        })),
      },
      topics: {
        create: [
          ...record.activityTypes.map((code) => ({ taxonomyId: TAXONOMY_IDS.activityType, code })),
          ...record.conditions.map((code) => ({ taxonomyId: TAXONOMY_IDS.condition, code })),
        ],
      },
      organizations: { create: record.organizationSlugs.map((slug) => ({ organizationId: sampleOrganizationId(slug) })) },
      activities: { create: record.activitySlugs.map((slug) => ({ activityId: sampleActivityId(slug) })) },
      revisions: {
        create: {
          number: 1,
          action: 'CREATED',
          actor: SAMPLE_ACTOR,
          changes: { create: [{ position: 0, field: 'status', previousValue: null, newValue: 'PUBLISHED' }] },
        },
      },
    },
  });
}

/**
 * Loads the sample evidence, published, into a database that has none, and returns how many
 * records it added. A database holding only untouched sample records from an earlier version has
 * them replaced by the current sample. Anything curated (a record that is not sample data, or a
 * sample record an admin has changed or retracted) means the database is left exactly as it is.
 */
export async function seedEvidenceSample(client: EvidenceClient): Promise<number> {
  const curated = await client.evidenceRecord.count({
    where: { OR: [{ isSampleData: false }, { lastEditedBy: { not: SAMPLE_ACTOR } }, { status: { not: 'PUBLISHED' } }] },
  });
  if (curated > 0) return 0;
  const stored = await client.evidenceRecord.findMany({ select: { id: true, title: true, summary: true, keyFinding: true, citation: true } });
  const storedById = new Map(stored.map((record) => [record.id, fingerprint(record)]));
  const current =
    stored.length === SAMPLE_EVIDENCE.length &&
    SAMPLE_EVIDENCE.every((record) => storedById.get(sampleId(`evidence:${record.slug}`)) === fingerprint(record));
  if (current) return 0;

  const now = new Date();
  await client.$transaction(async (tx) => {
    await tx.evidenceRecord.deleteMany({ where: { isSampleData: true, lastEditedBy: SAMPLE_ACTOR } });
    for (const record of SAMPLE_EVIDENCE) await createSampleRecord(tx, record, now);
  });
  return SAMPLE_EVIDENCE.length;
}
