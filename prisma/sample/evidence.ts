// Sample evidence records, from figures the source documents state (../shared/seeds/). Where a
// document gives no figure, the summary says so. Links to sample activities use the ids the
// provider's sample data derives from the same slugs.
import type { EvidenceClient, StudyType } from '../src/evidence';
import { sampleActivityId } from './provider';
import { sampleId } from './sample-id';

interface SampleEvidence {
  slug: string;
  title: string;
  summary: string;
  sourceUrl?: string;
  studyType: StudyType;
  activitySlugs: string[];
}

export const SAMPLE_EVIDENCE: SampleEvidence[] = [
  {
    slug: 'arts-on-prescription-gloucestershire-evaluation',
    title: 'Arts on Prescription Gloucestershire: GP consultations and hospital admissions',
    summary:
      'Arts on Prescription Gloucestershire reported a 37% drop in GP consultation rates and a 27% reduction in hospital admissions among participants.',
    studyType: 'SERVICE_EVALUATION',
    activitySlugs: ['aop-gloucestershire-course'],
  },
  {
    slug: 'arts-on-prescription-sroi',
    title: 'Social return on investment of arts on prescription',
    summary: 'A social return on investment of between £4 and £11 has been calculated for every £1 invested in arts on prescription.',
    studyType: 'SOCIAL_RETURN_ON_INVESTMENT',
    activitySlugs: ['aop-gloucestershire-course', 'mill-arts-creative-workshops'],
  },
  {
    slug: 'museums-on-prescription-review',
    title: 'Museums on Prescription: a systematic review of 86 social prescribing schemes',
    summary:
      'A three-year research project (2014–17) led by Professor Helen Chatterjee, including a systematic review of 86 social prescribing schemes. The briefing that cites it gives no outcome figures.',
    studyType: 'SYSTEMATIC_REVIEW',
    activitySlugs: ['museum-of-oxford-object-handling', 'museum-of-oxford-volunteering'],
  },
  {
    slug: 'bickerdike-2017',
    title: 'Social prescribing: less rhetoric and more reality. A systematic review of the evidence',
    summary:
      'Bickerdike L, Booth A, Wilson PM, Farley K, Wright K. BMJ Open 2017;7(4):e013384. Found the current evidence insufficient to judge the success or value for money of social prescribing.',
    studyType: 'SYSTEMATIC_REVIEW',
    activitySlugs: [],
  },
  {
    slug: 'davis-scottish-ballet-qualitative',
    title: 'Cross-sector perspectives on the role of a UK national cultural asset in social prescribing: a qualitative study',
    summary:
      "Davis E. Interviews with fourteen professionals in NHS Greater Glasgow and Clyde, NHS Tayside and NHS Orkney about Scottish Ballet's dance for neurological conditions. Professionals saw it as credible and person-centred, and first-hand experience of a session gave them the confidence to refer; it reports no outcome figures for participants.",
    studyType: 'QUALITATIVE',
    activitySlugs: [
      'sb-dance-for-parkinsons-glasgow',
      'sb-dance-for-parkinsons-dundee',
      'sb-dance-for-parkinsons-orkney',
      'sb-time-to-dance-glasgow',
      'sb-elevate-glasgow',
    ],
  },
];

/** Loads the sample evidence when there is none; never duplicates on restart. */
export async function seedEvidenceSample(client: EvidenceClient): Promise<number> {
  if ((await client.evidenceRecord.count()) > 0) return 0;
  await client.$transaction(async (tx) => {
    for (const record of SAMPLE_EVIDENCE) {
      await tx.evidenceRecord.create({
        data: {
          id: sampleId(`evidence:${record.slug}`),
          title: record.title,
          summary: record.summary,
          sourceUrl: record.sourceUrl ?? null,
          studyType: record.studyType,
          activities: { create: record.activitySlugs.map((slug) => ({ activityId: sampleActivityId(slug) })) },
        },
      });
    }
  });
  return SAMPLE_EVIDENCE.length;
}
