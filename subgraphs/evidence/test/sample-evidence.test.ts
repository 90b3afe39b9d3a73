// The seeded evidence is real, cited as the source documents cite it, and valid under the same
// rules as anything an admin enters.
import { describe, expect, it } from 'vitest';
import { SAMPLE_EVIDENCE } from '@sp/prisma/sample/evidence';
import { sampleActivityId } from '@sp/prisma/sample/provider';
import type { RecordInput } from '../src/domain/record-fields';
import { validateRecord } from '../src/domain/validation';

const bySlug = (slug: string) => {
  const record = SAMPLE_EVIDENCE.find((candidate) => candidate.slug === slug);
  if (!record) throw new Error(`no sample ${slug}`);
  return record;
};

describe('the sample evidence', () => {
  it.each(SAMPLE_EVIDENCE.map((record) => [record.slug, record] as const))('%s passes the validation admins face', (_slug, record) => {
    const { slug: _s, organizationSlugs, activitySlugs, ...rest } = record;
    const input: RecordInput = { ...rest, organizationIds: organizationSlugs, activityIds: activitySlugs.map(sampleActivityId) };
    expect(() => validateRecord(input, null)).not.toThrow();
    expect(record.keyFinding.length).toBeLessThanOrEqual(160);
  });

  it('quotes the figures as the documents state them', () => {
    expect(bySlug('arts-on-prescription-gloucestershire-evaluation').summary).toContain(
      'a 37% drop in GP consultation rates and a 27% reduction in hospital admissions',
    );
    expect(bySlug('arts-on-prescription-sroi').summary).toContain('between £4 and £11 has been calculated for every £1 invested in arts on prescription');
    expect(bySlug('museums-on-prescription-review')).toMatchObject({ sampleSize: 86 });
    expect(bySlug('davis-scottish-ballet-qualitative')).toMatchObject({ sampleSize: 14, publicationDate: '2026-01-03', studyType: 'QUALITATIVE' });
    expect(bySlug('bickerdike-2017').citation).toBe(
      'Bickerdike L, Booth A, Wilson PM, Farley K, Wright K. Social prescribing: less rhetoric and more reality. A systematic review of the evidence. BMJ Open. 2017;7(4):e013384.',
    );
  });

  it('says so wherever a source gives no figure', () => {
    for (const record of SAMPLE_EVIDENCE) {
      if (record.outcomes.some((outcome) => outcome.figure !== undefined)) continue;
      expect(record.summary, record.slug).toMatch(/none of (its results|the review’s findings)|no (outcome )?figures/i);
    }
  });

  it('gives a DOI only where a document gives one', () => {
    const withDoi = SAMPLE_EVIDENCE.filter((record) => record.doi).map((record) => [record.slug, record.doi]);
    expect(withDoi).toEqual([
      ['jensen-2024-arts-on-prescription-meta-analysis', '10.3389/fpubh.2024.1412306'],
      ['van-der-steen-2025-music-dementia', '10.1002/14651858.CD003477.pub5'],
      ['chatterjee-2017-systematised-review', '10.1080/17533015.2017.1334002'],
      ['davis-scottish-ballet-qualitative', '10.1186/s12875-025-03156-7'],
    ]);
  });

  it('gives every record a provisional strength reason', () => {
    for (const record of SAMPLE_EVIDENCE) expect(record.strengthReason, record.slug).toMatch(/^Provisional sample grade/);
  });
});
