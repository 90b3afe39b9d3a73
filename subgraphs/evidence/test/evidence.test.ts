// The subgraph's reading side on each database: the sample evidence, `Activity.evidence` as the
// gateway calls it (an `_entities` request carrying the fields `@requires` asks for), ranking,
// headlines, `EvidenceRecord.activities` stubs and `evidenceSummary`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ACTOR, SAMPLE_EVIDENCE, sampleEvidenceId, seedEvidenceSample } from '@sp/prisma/sample/evidence';
import { sampleActivityId, sampleOrganizationId } from '@sp/prisma/sample/provider';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { codeOf, startEvidenceTestServer, type EvidenceTestServer } from './support/evidence-server';
import { VALID_INPUT } from './support/records';

const ENTITIES = `query($representations: [_Any!]!, $first: Int) {
  _entities(representations: $representations) {
    ... on Activity { id evidence(first: $first) { id title studyType strength headline publicationDate activities { id } } }
  }
}`;

interface Facts {
  id: string;
  organization: string;
  activityTypes: string[];
  conditions: string[];
}

/** An activity as the gateway hands it over: its key and the fields `evidence` requires. */
const representation = ({ id, organization, activityTypes, conditions }: Facts) => ({
  __typename: 'Activity',
  id,
  organization: { id: organization },
  activityTypes: activityTypes.map((code) => ({ code })),
  conditions: conditions.map((code) => ({ code })),
});

const DUNDEE: Facts = {
  id: sampleActivityId('sb-dance-for-parkinsons-dundee'),
  organization: sampleOrganizationId('scottish-ballet'),
  activityTypes: ['dance', 'music'],
  conditions: ['parkinsons'],
};
const GLOUCESTERSHIRE: Facts = {
  id: sampleActivityId('aop-gloucestershire-course'),
  organization: sampleOrganizationId('arts-on-prescription-gloucestershire'),
  activityTypes: ['visual-arts', 'crafts'],
  conditions: ['mental-health', 'long-term-conditions', 'loneliness'],
};
const SINGING_FOR_MEMORY: Facts = {
  id: sampleActivityId('clydeside-singing-for-memory'),
  organization: sampleOrganizationId('clydeside-voices'),
  activityTypes: ['singing', 'music'],
  conditions: ['dementia'],
};
const DEBT_ADVICE: Facts = { id: 'debt-advice', organization: 'org-x', activityTypes: ['advice'], conditions: ['money-worries'] };

describe.each(testDatabaseKinds())('reading evidence on %s', (kind) => {
  let server: EvidenceTestServer;
  const evidenceFor = async (activities: Facts[], first?: number) => {
    const result = await server.call('public', ENTITIES, { representations: activities.map(representation), first });
    expect(result.errors).toBeUndefined();
    return result.data!._entities as Array<{ id: string; evidence: Array<Record<string, any>> }>;
  };

  beforeAll(async () => {
    server = await startEvidenceTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('loads the published sample into an empty database, once', async () => {
    expect(await seedEvidenceSample(server.database.client)).toBe(SAMPLE_EVIDENCE.length);
    expect(await seedEvidenceSample(server.database.client)).toBe(0);
    expect(await server.database.client.evidenceRecord.count({ where: { status: 'PUBLISHED', isSampleData: true } })).toBe(SAMPLE_EVIDENCE.length);
  });

  it('gives the Dundee Dance for Parkinson’s class the Scottish Ballet study first, then dance evidence, strongest first', async () => {
    const [dundee] = await evidenceFor([DUNDEE], 3);
    expect(dundee!.evidence).toHaveLength(3);
    expect(dundee!.evidence[0]).toMatchObject({ id: sampleEvidenceId('davis-scottish-ballet-qualitative'), studyType: 'QUALITATIVE', strength: 'LOW' });
    expect(dundee!.evidence[0]!.title).toMatch(/qualitative study/);
    expect(dundee!.evidence[0]!.headline).toBe(
      'Qualitative study, low strength: professionals saw Scottish Ballet’s dance for neurological conditions as credible, and trying a session first hand gave them confidence to refer',
    );
    expect(dundee!.evidence[0]!.activities).toContainEqual({ id: DUNDEE.id });
    // Then records about dance in general (not contradicted by a condition), moderate before very low.
    expect(dundee!.evidence.slice(1).map((record) => record.studyType)).toEqual(['META_ANALYSIS', 'META_ANALYSIS']);
    const all = (await evidenceFor([DUNDEE], 50))[0]!.evidence;
    expect(all.map((record) => record.strength)).toEqual(['LOW', 'MODERATE', 'MODERATE', 'VERY_LOW']);
    // Music for dementia does not apply to a class for Parkinson's.
    expect(all.map((record) => record.id)).not.toContain(sampleEvidenceId('van-der-steen-2025-music-dementia'));
  });

  it('ranks a record sharing an activity type and a condition above one sharing only one', async () => {
    const [singing] = await evidenceFor([SINGING_FOR_MEMORY]);
    expect(singing!.evidence[0]).toMatchObject({ id: sampleEvidenceId('van-der-steen-2025-music-dementia') });
    expect(singing!.evidence.map((record) => record.id)).toContain(sampleEvidenceId('jensen-2024-arts-on-prescription-meta-analysis'));
  });

  it('puts the Gloucestershire evaluation first for its own course, with the figures as the documents state them', async () => {
    const [course] = await evidenceFor([GLOUCESTERSHIRE]);
    expect(course!.evidence[0]).toMatchObject({ id: sampleEvidenceId('arts-on-prescription-gloucestershire-evaluation'), studyType: 'SERVICE_EVALUATION' });
    const detail = await server.call(
      'public',
      `query($id: ID!) { evidenceRecord(id: $id) { summary citation doi sampleSize sampleDescription
        outcomes { measured measure statement figure unit direction comparison result }
        population { region setting ageGroup conditions { code } } organizationIds } }`,
      { id: course!.evidence[0]!.id },
    );
    const record = detail.data!.evidenceRecord;
    expect(record.summary).toContain('a 37% drop in GP consultation rates and a 27% reduction in hospital admissions');
    expect(record.outcomes).toEqual([
      expect.objectContaining({ figure: 37, unit: '%', direction: 'DECREASE', result: '37% decrease', comparison: null }),
      expect.objectContaining({ figure: 27, unit: '%', direction: 'DECREASE', result: '27% decrease', comparison: null }),
    ]);
    expect(record).toMatchObject({ doi: null, sampleSize: null, sampleDescription: 'Not stated in the source.' });
    expect(record.population).toMatchObject({ region: 'Gloucestershire, England', ageGroup: null, conditions: [] });
    expect(record.organizationIds).toEqual([GLOUCESTERSHIRE.organization]);
  });

  it('says so where a source gives no figure', async () => {
    const result = await server.call('public', `query($id: ID!) { evidenceRecord(id: $id) { summary outcomes { figure result } } }`, {
      id: sampleEvidenceId('museums-on-prescription-review'),
    });
    expect(result.data!.evidenceRecord.summary).toContain('gives none of the review’s findings');
    expect(result.data!.evidenceRecord.outcomes).toEqual([{ figure: null, result: 'No figure given in the source' }]);
  });

  it('caps the number of records, and gives an empty list to an activity nothing applies to', async () => {
    const [dundee, debt] = await evidenceFor([DUNDEE, DEBT_ADVICE], 1);
    expect(dundee!.evidence).toHaveLength(1);
    expect(debt).toEqual({ id: DEBT_ADVICE.id, evidence: [] });
    const none = await server.call('public', ENTITIES, { representations: [{ __typename: 'Activity', id: 'bare' }] });
    expect(none.data!._entities).toEqual([{ id: 'bare', evidence: [] }]);
  });

  it('lists the activities a record applies to as entity stubs', async () => {
    const result = await server.call('public', `query($id: ID!) { evidenceRecord(id: $id) { activities { __typename id } } }`, {
      id: sampleEvidenceId('davis-scottish-ballet-qualitative'),
    });
    expect(result.data!.evidenceRecord.activities).toContainEqual({ __typename: 'Activity', id: DUNDEE.id });
    expect(result.data!.evidenceRecord.activities).toHaveLength(6);
  });

  it('counts published records by study type and strength for an activity type or a condition', async () => {
    const SUMMARY = `query($activityType: String, $condition: String) { evidenceSummary(activityType: $activityType, condition: $condition) {
      activityType condition total byStudyType { studyType count } byStrength { strength count } byStudyTypeAndStrength { studyType strength count }
    } }`;
    const dance = (await server.call('public', SUMMARY, { activityType: 'dance' })).data!.evidenceSummary;
    // Dance: the Scottish Ballet study, the dance and the arts-on-prescription meta-analyses, the SROI figure.
    expect(dance.total).toBe(4);
    expect(dance.byStudyType).toHaveLength(9);
    expect(dance.byStudyType).toContainEqual({ studyType: 'META_ANALYSIS', count: 2 });
    expect(dance.byStrength).toEqual([
      { strength: 'HIGH', count: 0 },
      { strength: 'MODERATE', count: 2 },
      { strength: 'LOW', count: 1 },
      { strength: 'VERY_LOW', count: 1 },
    ]);
    expect(dance.byStudyTypeAndStrength).toContainEqual({ studyType: 'QUALITATIVE', strength: 'LOW', count: 1 });

    const danceForDementia = (await server.call('public', SUMMARY, { activityType: 'dance', condition: 'dementia' })).data!.evidenceSummary;
    expect(danceForDementia).toMatchObject({ activityType: 'dance', condition: 'dementia', total: 1 });
    const dementia = (await server.call('public', SUMMARY, { condition: 'dementia' })).data!.evidenceSummary;
    expect(dementia.total).toBe(2);

    expect(codeOf(await server.call('public', SUMMARY, { condition: 'gout' }))).toBe('UNKNOWN_TAXONOMY_TERM');
    expect(codeOf(await server.call('public', SUMMARY, {}))).toBe('BAD_USER_INPUT');
  });

  it('never attaches unpublished records to an activity', async () => {
    const draft = await server.call('admin', `mutation($input: EvidenceRecordInput!) { createEvidenceRecord(input: $input) { id } }`, {
      input: { ...VALID_INPUT, activityIds: [DEBT_ADVICE.id] },
    });
    const id = draft.data!.createEvidenceRecord.id as string;
    await server.call('admin', `mutation($id: ID!) { submitEvidenceRecord(id: $id) { id } }`, { id });
    expect((await evidenceFor([DEBT_ADVICE]))[0]!.evidence).toEqual([]);
    await server.call('secondAdmin', `mutation($id: ID!) { publishEvidenceRecord(id: $id) { id } }`, { id });
    expect((await evidenceFor([DEBT_ADVICE]))[0]!.evidence.map((record) => record.id)).toEqual([id]);
  });

  it('attaches a change at once, made here or by another instance on the same database', async () => {
    const activity: Facts = { id: 'change-check', organization: 'org-change-check', activityTypes: ['advice'], conditions: ['money-worries'] };
    const publish = async () => {
      const draft = await server.call('admin', `mutation($input: EvidenceRecordInput!) { createEvidenceRecord(input: $input) { id } }`, {
        input: { ...VALID_INPUT, activityIds: [activity.id] },
      });
      const id = draft.data!.createEvidenceRecord.id as string;
      await server.call('admin', `mutation($id: ID!) { submitEvidenceRecord(id: $id) { id } }`, { id });
      await server.call('secondAdmin', `mutation($id: ID!) { publishEvidenceRecord(id: $id) { id } }`, { id });
      return id;
    };
    const attached = async () => (await evidenceFor([activity]))[0]!.evidence.map((record) => record.id);

    const first = await publish();
    expect(await attached()).toEqual([first]);
    await server.call('admin', `mutation($id: ID!, $reason: String) { retractEvidenceRecord(id: $id, reason: $reason) { id } }`, {
      id: first,
      reason: 'Withdrawn by the journal.',
    });
    expect(await attached()).toEqual([]);

    // Another instance (or the import tool) writes as this one does: the status and the revision together.
    const second = await publish();
    expect(await attached()).toEqual([second]);
    const client = server.database.client;
    await client.evidenceRecord.update({ where: { id: second }, data: { status: 'RETRACTED', retractionReason: 'Withdrawn.', revision: { increment: 1 } } });
    expect(await attached()).toEqual([]);
    await client.evidenceRecord.update({ where: { id: second }, data: { status: 'PUBLISHED', retractionReason: null, revision: { increment: 1 } } });
    expect(await attached()).toEqual([second]);
    await client.evidenceRecord.delete({ where: { id: second } });
    expect(await attached()).toEqual([]);
  });

  it('replaces an older sample that nobody has touched, and leaves a curated database alone', async () => {
    const client = server.database.client;
    const davis = sampleEvidenceId('davis-scottish-ballet-qualitative');
    await client.evidenceRecord.update({ where: { id: davis }, data: { summary: 'An older sample text.' } });
    // A curated record (the one published above) is there: nothing is replaced.
    expect(await seedEvidenceSample(client)).toBe(0);
    expect((await client.evidenceRecord.findUniqueOrThrow({ where: { id: davis } })).summary).toBe('An older sample text.');

    await client.evidenceRecord.deleteMany({ where: { isSampleData: false } });
    expect(await seedEvidenceSample(client)).toBe(SAMPLE_EVIDENCE.length);
    const refreshed = await client.evidenceRecord.findUniqueOrThrow({ where: { id: davis } });
    expect(refreshed).toMatchObject({ lastEditedBy: SAMPLE_ACTOR, status: 'PUBLISHED' });
    expect(refreshed.summary).not.toBe('An older sample text.');
    expect(await client.evidenceRecord.count()).toBe(SAMPLE_EVIDENCE.length);
  });
});
