// The curation workflow through the subgraph's API, on each database: who may do what, each
// refusal's code, four-eyes publishing, review comments, revisions with field-level history,
// retraction, and what each kind of caller can see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '@sp/prisma/testing';
import { codeOf, startEvidenceTestServer, type Caller, type EvidenceTestServer } from './support/evidence-server';
import { VALID_INPUT } from './support/records';

const RECORD_FIELDS = 'id status revision title headline lastEditedBy retractionReason publishedAt';

const CREATE = `mutation($input: EvidenceRecordInput!) { createEvidenceRecord(input: $input) { ${RECORD_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: EvidenceRecordInput!, $expectedRevision: Int) {
  updateEvidenceRecord(id: $id, input: $input, expectedRevision: $expectedRevision) { ${RECORD_FIELDS} }
}`;
const SUBMIT = `mutation($id: ID!, $comment: String) { submitEvidenceRecord(id: $id, comment: $comment) { ${RECORD_FIELDS} } }`;
const REQUEST_CHANGES = `mutation($id: ID!, $comment: String) { requestEvidenceChanges(id: $id, comment: $comment) { ${RECORD_FIELDS} } }`;
const PUBLISH = `mutation($id: ID!, $comment: String, $expectedRevision: Int) {
  publishEvidenceRecord(id: $id, comment: $comment, expectedRevision: $expectedRevision) { ${RECORD_FIELDS} }
}`;
const RETRACT = `mutation($id: ID!, $reason: String) { retractEvidenceRecord(id: $id, reason: $reason) { ${RECORD_FIELDS} } }`;
const COMMENT = `mutation($id: ID!, $body: String!) { commentOnEvidenceRecord(id: $id, body: $body) { id } }`;
const BY_ID = `query($id: ID!) { evidenceRecord(id: $id) { id status title retractionReason } }`;
const HISTORY = `query($id: ID!) { evidenceRecord(id: $id) {
  revisions { number action actor changes { field previousValue newValue } }
  reviewComments { kind author body }
} }`;
const LIST = `query($filter: EvidenceRecordFilter) { evidenceRecords(filter: $filter, first: 50) { edges { node { id status } } } }`;

describe.each(testDatabaseKinds())('curating evidence on %s', (kind) => {
  let server: EvidenceTestServer;
  const call = (caller: Caller, query: string, variables?: Record<string, unknown>) => server.call(caller, query, variables);
  const create = async (caller: Caller = 'admin', input: Record<string, unknown> = VALID_INPUT as Record<string, unknown>) => {
    const result = await call(caller, CREATE, { input });
    expect(result.errors).toBeUndefined();
    return result.data!.createEvidenceRecord as { id: string; status: string; revision: number };
  };

  beforeAll(async () => {
    server = await startEvidenceTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lets only admins create records, which start as drafts', async () => {
    const record = await create();
    expect(record).toMatchObject({ status: 'DRAFT', revision: 1, lastEditedBy: 'admin:alice' });
    expect(codeOf(await call('public', CREATE, { input: VALID_INPUT }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await call('professional', CREATE, { input: VALID_INPUT }))).toBe('FORBIDDEN');
    expect(codeOf(await call('provider', CREATE, { input: VALID_INPUT }))).toBe('FORBIDDEN');
  });

  it('refuses invalid records with specific codes and stores nothing', async () => {
    const before = await server.database.client.evidenceRecord.count();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ doi: '10/nonsense' }, 'INVALID_DOI', 'doi'],
      [{ publicationDate: '2999-01-01' }, 'PUBLICATION_DATE_IN_FUTURE', 'publicationDate'],
      [{ outcomes: [{ measured: 'Mood', direction: 'IMPROVEMENT' }] }, 'OUTCOME_MEASURE_REQUIRED', 'outcomes[0].measure'],
      [{ activityTypes: ['base-jumping'] }, 'UNKNOWN_TAXONOMY_TERM', 'activityTypes'],
      [{ conditions: ['dance'] }, 'UNKNOWN_TAXONOMY_TERM', 'conditions'],
      [{ url: 'ftp://example.org/paper' }, 'INVALID_URL', 'url'],
      [{ title: null }, 'BAD_USER_INPUT', 'title'],
    ];
    for (const [change, code, field] of cases) {
      const result = await call('admin', CREATE, { input: { ...VALID_INPUT, ...change } });
      expect(result.errors?.[0]?.extensions, JSON.stringify(change)).toMatchObject({ code, field });
      expect(result.errors?.[0]?.message).not.toMatch(/unexpected|internal/i);
    }
    expect(await server.database.client.evidenceRecord.count()).toBe(before);
  });

  it('publishes only through review, by an admin other than the last editor (four-eyes), keeping review comments', async () => {
    const { id } = await create();
    expect(codeOf(await call('secondAdmin', PUBLISH, { id }))).toBe('ILLEGAL_TRANSITION');
    expect((await call('admin', SUBMIT, { id, comment: 'Ready for a look.' })).data!.submitEvidenceRecord.status).toBe('IN_REVIEW');

    const ownPublish = await call('admin', PUBLISH, { id });
    expect(codeOf(ownPublish)).toBe('FOUR_EYES_REQUIRED');
    expect(codeOf(await call('admin', UPDATE, { id, input: { title: 'Sneaky change' } }))).toBe('RECORD_NOT_EDITABLE');

    expect(codeOf(await call('secondAdmin', REQUEST_CHANGES, { id, comment: '  ' }))).toBe('REVIEW_COMMENT_REQUIRED');
    const sentBack = await call('secondAdmin', REQUEST_CHANGES, { id, comment: 'Please add the DOI.' });
    expect(sentBack.data!.requestEvidenceChanges.status).toBe('CHANGES_REQUESTED');

    const edited = await call('admin', UPDATE, { id, input: { doi: 'https://doi.org/10.1000/182' } });
    expect(edited.data!.updateEvidenceRecord).toMatchObject({ status: 'CHANGES_REQUESTED', lastEditedBy: 'admin:alice' });
    await call('admin', SUBMIT, { id });
    expect(codeOf(await call('admin', PUBLISH, { id }))).toBe('FOUR_EYES_REQUIRED');
    expect(codeOf(await call('professional', PUBLISH, { id }))).toBe('FORBIDDEN');

    const published = await call('secondAdmin', PUBLISH, { id, comment: 'Checked against the paper.' });
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishEvidenceRecord).toMatchObject({ status: 'PUBLISHED', lastEditedBy: 'admin:alice' });
    expect(published.data!.publishEvidenceRecord.publishedAt).toEqual(expect.any(String));

    await call('secondAdmin', COMMENT, { id, body: 'Worth a follow-up when the next trial reports.' });
    const history = await call('admin', HISTORY, { id });
    expect(history.data!.evidenceRecord.reviewComments).toEqual([
      { kind: 'SUBMISSION', author: 'admin:alice', body: 'Ready for a look.' },
      { kind: 'CHANGES_REQUESTED', author: 'admin:bilal', body: 'Please add the DOI.' },
      { kind: 'APPROVAL', author: 'admin:bilal', body: 'Checked against the paper.' },
      { kind: 'COMMENT', author: 'admin:bilal', body: 'Worth a follow-up when the next trial reports.' },
    ]);
  });

  it('lets an admin who did not edit publish even when the author cannot, whoever edited last', async () => {
    const { id } = await create();
    await call('admin', SUBMIT, { id });
    await call('secondAdmin', REQUEST_CHANGES, { id, comment: 'I will fix the title myself.' });
    await call('secondAdmin', UPDATE, { id, input: { title: 'Fixed by the reviewer' } });
    await call('secondAdmin', SUBMIT, { id });
    expect(codeOf(await call('secondAdmin', PUBLISH, { id }))).toBe('FOUR_EYES_REQUIRED');
    expect((await call('admin', PUBLISH, { id })).data!.publishEvidenceRecord.status).toBe('PUBLISHED');
  });

  it('keeps every change as a revision: who changed which field from what to what', async () => {
    const { id } = await create();
    await call('admin', UPDATE, {
      id,
      input: { title: 'Renamed', conditions: ['parkinsons', 'dementia'], outcomes: [{ ...VALID_INPUT.outcomes![0], figure: 6 }] },
    });
    await call('admin', UPDATE, { id, input: { title: 'Renamed' } }); // no change: no revision
    await call('admin', SUBMIT, { id });
    await call('secondAdmin', PUBLISH, { id });

    const { revisions } = (await call('admin', HISTORY, { id })).data!.evidenceRecord;
    expect(revisions.map((revision: { number: number; action: string; actor: string }) => [revision.number, revision.action, revision.actor])).toEqual([
      [1, 'CREATED', 'admin:alice'],
      [2, 'EDITED', 'admin:alice'],
      [3, 'SUBMITTED', 'admin:alice'],
      [4, 'PUBLISHED', 'admin:bilal'],
    ]);
    expect(revisions[0].changes).toContainEqual({ field: 'title', previousValue: null, newValue: 'Dance for Parkinson’s: a trial' });
    expect(revisions[0].changes).toContainEqual({ field: 'status', previousValue: null, newValue: 'DRAFT' });
    expect(revisions[1].changes).toEqual([
      { field: 'title', previousValue: 'Dance for Parkinson’s: a trial', newValue: 'Renamed' },
      { field: 'conditions', previousValue: 'parkinsons', newValue: 'dementia\nparkinsons' },
      { field: 'outcomes[0].figure', previousValue: '4', newValue: '6' },
    ]);
    expect(revisions[3].changes).toEqual([{ field: 'status', previousValue: 'IN_REVIEW', newValue: 'PUBLISHED' }]);
    expect(codeOf(await call('professional', HISTORY, { id }))).toBe('FORBIDDEN');
    expect(codeOf(await call('public', HISTORY, { id }))).toBe('UNAUTHENTICATED');
  });

  it('refuses a change made from an out-of-date revision', async () => {
    const { id, revision } = await create();
    expect((await call('admin', UPDATE, { id, input: { title: 'First' }, expectedRevision: revision })).errors).toBeUndefined();
    expect(codeOf(await call('secondAdmin', UPDATE, { id, input: { title: 'Second' }, expectedRevision: revision }))).toBe('STALE_REVISION');
    await call('admin', SUBMIT, { id });
    expect(codeOf(await call('secondAdmin', PUBLISH, { id, expectedRevision: revision + 1 }))).toBe('STALE_REVISION');
    expect((await call('secondAdmin', PUBLISH, { id, expectedRevision: revision + 2 })).errors).toBeUndefined();
  });

  it('retracts a published record only with a public reason, and it stays retracted', async () => {
    const { id } = await create();
    expect(codeOf(await call('admin', RETRACT, { id, reason: 'Not published yet.' }))).toBe('ILLEGAL_TRANSITION');
    await call('admin', SUBMIT, { id });
    await call('secondAdmin', PUBLISH, { id });
    expect(codeOf(await call('admin', RETRACT, { id }))).toBe('RETRACTION_REASON_REQUIRED');
    expect(codeOf(await call('admin', RETRACT, { id, reason: ' ' }))).toBe('RETRACTION_REASON_REQUIRED');
    const reason = 'The journal withdrew the paper after errors were found in its figures.';
    const retracted = await call('admin', RETRACT, { id, reason });
    expect(retracted.data!.retractEvidenceRecord).toMatchObject({ status: 'RETRACTED', retractionReason: reason });
    expect(retracted.data!.retractEvidenceRecord.headline).toMatch(/^Retracted\. /);
    expect(codeOf(await call('admin', SUBMIT, { id }))).toBe('ILLEGAL_TRANSITION');
    expect(codeOf(await call('admin', UPDATE, { id, input: { title: 'Revived' } }))).toBe('RECORD_NOT_EDITABLE');
    // The public sees the record and why it was withdrawn, but never in a list.
    expect((await call('public', BY_ID, { id })).data!.evidenceRecord).toMatchObject({ status: 'RETRACTED', retractionReason: reason });
    const listed = await call('public', LIST, {});
    expect(listed.data!.evidenceRecords.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(id);
  });

  it('shows drafts and records in review to admins only; the public, partner apps, professionals and providers see published records', async () => {
    const draft = await create();
    const inReview = await create();
    await call('admin', SUBMIT, { id: inReview.id });
    const published = await create();
    await call('admin', SUBMIT, { id: published.id });
    await call('secondAdmin', PUBLISH, { id: published.id });

    for (const caller of ['public', 'professional', 'provider'] as const) {
      expect((await call(caller, BY_ID, { id: draft.id })).data!.evidenceRecord, caller).toBeNull();
      expect((await call(caller, BY_ID, { id: inReview.id })).data!.evidenceRecord, caller).toBeNull();
      expect((await call(caller, BY_ID, { id: published.id })).data!.evidenceRecord.status, caller).toBe('PUBLISHED');
      const listed = await call(caller, LIST, {});
      const statuses = new Set(listed.data!.evidenceRecords.edges.map((edge: { node: { status: string } }) => edge.node.status));
      expect([...statuses], caller).toEqual(['PUBLISHED']);
      expect(codeOf(await call(caller, LIST, { filter: { status: ['DRAFT'] } })), caller).toBe('FORBIDDEN');
    }
    expect((await call('admin', BY_ID, { id: draft.id })).data!.evidenceRecord.status).toBe('DRAFT');
    const queue = await call('admin', LIST, { filter: { status: ['IN_REVIEW'] } });
    expect(queue.data!.evidenceRecords.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(inReview.id);
    expect(queue.data!.evidenceRecords.edges.every((edge: { node: { status: string } }) => edge.node.status === 'IN_REVIEW')).toBe(true);
  });

  it('answers NOT_FOUND for a record that does not exist', async () => {
    expect(codeOf(await call('admin', SUBMIT, { id: 'no-such-record' }))).toBe('NOT_FOUND');
    expect(codeOf(await call('admin', UPDATE, { id: 'no-such-record', input: { title: 'x' } }))).toBe('NOT_FOUND');
    expect(codeOf(await call('admin', COMMENT, { id: 'no-such-record', body: 'x' }))).toBe('NOT_FOUND');
  });
});
