import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvidenceDatabase } from '@sp/prisma/evidence';
import { SAMPLE_EVIDENCE, seedEvidenceSample } from '@sp/prisma/sample/evidence';
import { sampleActivityId } from '@sp/prisma/sample/provider';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { printSubgraphSdl } from '@sp/runtime/subgraph';
import { createTestLogger, graphqlRequest } from '@sp/runtime/testing';
import { evidenceSchema } from '../src/schema/index';
import { createEvidenceServer } from '../src/server';

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Activity { id evidence(first: 5) { id title studyType sourceUrl activities { id } } }
  }
}`;

describe('the committed schema', () => {
  it('matches the schema the code prints (run `npm run print-schema` after changing types)', async () => {
    const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSubgraphSdl(evidenceSchema)).toBe(committed);
  });
});

describe.each(testDatabaseKinds())('evidence subgraph on %s', (kind) => {
  let place: TestDatabaseLocation;
  let database: Awaited<ReturnType<typeof openEvidenceDatabase>>;
  let service: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    place = await createTestDatabaseLocation('evidence', kind);
    database = await openEvidenceDatabase(place.location);
    service = await createEvidenceServer({ db: database.client, logger: createTestLogger() }).listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await service?.close();
    await database?.close();
    await place?.destroy();
  });

  it('loads the sample evidence into an empty database, once', async () => {
    expect(await seedEvidenceSample(database.client)).toBe(SAMPLE_EVIDENCE.length);
    expect(await seedEvidenceSample(database.client)).toBe(0);
    expect(await database.client.evidenceRecord.count()).toBe(SAMPLE_EVIDENCE.length);
  });

  it("gives an activity the evidence linked to it, and an empty list to one without any", async () => {
    const dundee = sampleActivityId('sb-dance-for-parkinsons-dundee');
    const result = await graphqlRequest(service.url, ENTITIES, {
      representations: [
        { __typename: 'Activity', id: dundee },
        { __typename: 'Activity', id: 'an-activity-with-no-evidence' },
      ],
    });
    expect(result.errors).toBeUndefined();
    const [withEvidence, without] = result.data!._entities;
    expect(withEvidence.evidence).toHaveLength(1);
    expect(withEvidence.evidence[0]).toMatchObject({ studyType: 'QUALITATIVE' });
    expect(withEvidence.evidence[0].title).toMatch(/qualitative study/);
    expect(withEvidence.evidence[0].activities).toContainEqual({ id: dundee });
    expect(without).toEqual({ id: 'an-activity-with-no-evidence', evidence: [] });
  });

  it('quotes the Gloucestershire figures as the documents state them', async () => {
    const result = await graphqlRequest(service.url, ENTITIES, {
      representations: [{ __typename: 'Activity', id: sampleActivityId('aop-gloucestershire-course') }],
    });
    const records = result.data!._entities[0].evidence as Array<{ id: string; studyType: string }>;
    expect(records.map((record) => record.studyType).sort()).toEqual(['SERVICE_EVALUATION', 'SOCIAL_RETURN_ON_INVESTMENT']);
    const evaluation = await graphqlRequest(service.url, 'query($id: ID!) { evidenceRecord(id: $id) { summary } }', {
      id: records.find((record) => record.studyType === 'SERVICE_EVALUATION')!.id,
    });
    expect(evaluation.data!.evidenceRecord.summary).toContain('37% drop in GP consultation rates');
    expect(evaluation.data!.evidenceRecord.summary).toContain('27% reduction in hospital admissions');
  });

  it('caps the number of records an activity returns', async () => {
    const result = await graphqlRequest(service.url, ENTITIES.replace('first: 5', 'first: 1'), {
      representations: [{ __typename: 'Activity', id: sampleActivityId('aop-gloucestershire-course') }],
    });
    expect(result.data!._entities[0].evidence).toHaveLength(1);
  });
});
