// The whole path a partner app takes: the real provider subgraph, the evidence subgraph and the
// gateway, each on port 0 with its own temporary database, the supergraph composed here from the
// schemas the two running subgraphs serve. `Activity.evidence` is resolved by the gateway
// fetching the activity's terms and organisation from the provider (`@requires`) and handing
// them to the evidence subgraph; `EvidenceRecord.activities` stubs are resolved by the provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth, type TestAuth } from '@sp/auth/testing';
import { createGatewayServer, type GatewayServer } from '@sp/gateway/server';
import { composeSupergraph } from '@sp/gateway/supergraph';
import { openEvidenceDatabase } from '@sp/prisma/evidence';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies } from '@sp/prisma/reference/vocabularies';
import { sampleEvidenceId, seedEvidenceSample } from '@sp/prisma/sample/evidence';
import { sampleActivityId, seedProviderSample } from '@sp/prisma/sample/provider';
import { createTestDatabaseLocation, testDatabaseKinds, type TestDatabaseLocation } from '@sp/prisma/testing';
import { createProviderServer } from '@sp/provider/server';
import { createTestLogger, graphqlRequest } from '@sp/runtime/testing';
import { createEvidenceServer } from '../src/server';
import { VALID_INPUT } from './support/records';

const DUNDEE = sampleActivityId('sb-dance-for-parkinsons-dundee');
const DEBT_ADVICE = sampleActivityId('valleys-debt-advice');

interface Running {
  url: string;
  close(): Promise<void>;
}

describe.each(testDatabaseKinds())('federation through the gateway on %s', (kind) => {
  const cleanup: Array<() => Promise<void>> = [];
  let auth: TestAuth;
  let gateway: GatewayServer;
  let gatewayUrl: string;
  let admin: Record<string, string>;
  let secondAdmin: Record<string, string>;

  const query = (source: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    graphqlRequest(gatewayUrl, source, variables, headers);

  async function place(subgraph: 'provider' | 'evidence'): Promise<TestDatabaseLocation> {
    const location = await createTestDatabaseLocation(subgraph, kind);
    cleanup.push(() => location.destroy());
    return location;
  }

  async function served(subgraph: Running) {
    cleanup.push(() => subgraph.close());
    const sdl = await graphqlRequest<{ _service: { sdl: string } }>(subgraph.url, '{ _service { sdl } }');
    return sdl.data!._service.sdl;
  }

  beforeAll(async () => {
    auth = await createTestAuth();
    cleanup.push(() => auth.destroy());
    const logger = createTestLogger();

    const providerDatabase = await openProviderDatabase((await place('provider')).location);
    cleanup.push(() => providerDatabase.close());
    await ensureVocabularies(providerDatabase.client);
    await seedProviderSample(providerDatabase.client);
    const provider = await createProviderServer({ db: providerDatabase.client, logger, verifier: auth.verifier }).listen(0, '127.0.0.1');

    const evidenceDatabase = await openEvidenceDatabase((await place('evidence')).location);
    cleanup.push(() => evidenceDatabase.close());
    await seedEvidenceSample(evidenceDatabase.client);
    const evidence = await createEvidenceServer({ db: evidenceDatabase.client, logger, verifier: auth.verifier }).listen(0, '127.0.0.1');

    const supergraphSdl = composeSupergraph([
      { name: 'provider', url: provider.url, sdl: await served(provider) },
      { name: 'evidence', url: evidence.url, sdl: await served(evidence) },
    ]);
    gateway = createGatewayServer({ supergraphSdl, logger });
    cleanup.push(() => gateway.close());
    gatewayUrl = (await gateway.listen(0, '127.0.0.1')).url;

    admin = await auth.headersFor({ subject: 'alice', role: 'admin' });
    secondAdmin = await auth.headersFor({ subject: 'bilal', role: 'admin' });
  });

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('resolves an activity’s evidence from its terms and organisation, with headlines, and the evidence’s activities back', async () => {
    const result = await query(`query($id: ID!) {
      activity(id: $id) {
        name
        evidence(first: 3) { id title studyType headline activities { id name } }
      }
    }`, { id: DUNDEE });
    expect(result.errors).toBeUndefined();
    const activity = result.data!.activity;
    expect(activity.evidence).toHaveLength(3);
    expect(activity.evidence[0]).toMatchObject({ id: sampleEvidenceId('davis-scottish-ballet-qualitative'), studyType: 'QUALITATIVE' });
    expect(activity.evidence[0].headline).toMatch(/^Qualitative study, low strength: /);
    // The stubs come back as full activities, named by the provider.
    expect(activity.evidence[0].activities).toContainEqual({ id: DUNDEE, name: activity.name });
    expect(activity.evidence[0].activities.every((stub: { name: string }) => stub.name.length > 0)).toBe(true);
    // Ranked on facts only the provider holds: dance evidence follows, dementia-only evidence does not appear.
    expect(activity.evidence.slice(1).map((record: { studyType: string }) => record.studyType)).toEqual(['META_ANALYSIS', 'META_ANALYSIS']);
  });

  it('answers a page of activities with each one’s evidence in one request', async () => {
    const result = await query(`{
      activities(first: 20, filter: { conditions: ["dementia"] }) { edges { node { id name evidence(first: 2) { id } } } }
    }`);
    expect(result.errors).toBeUndefined();
    const byId = new Map<string, string[]>(
      result.data!.activities.edges.map((edge: { node: { id: string; evidence: Array<{ id: string }> } }) => [edge.node.id, edge.node.evidence.map((record) => record.id)]),
    );
    expect(byId.get(sampleActivityId('sb-time-to-dance-glasgow'))?.[0]).toBe(sampleEvidenceId('davis-scottish-ballet-qualitative'));
    expect(byId.get(sampleActivityId('clydeside-singing-for-memory'))?.[0]).toBe(sampleEvidenceId('van-der-steen-2025-music-dementia'));
  });

  it('shows a new record on its activity only once a second admin has published it, tokens passing through the gateway', async () => {
    const EVIDENCE = `query($id: ID!) { activity(id: $id) { evidence { title } } }`;
    expect((await query(EVIDENCE, { id: DEBT_ADVICE })).data!.activity.evidence).toEqual([]);

    const input = { ...VALID_INPUT, title: 'Debt advice and mental health: a local evaluation', activityTypes: ['advice'], conditions: ['money-worries'], activityIds: [DEBT_ADVICE] };
    expect((await query(`mutation($input: EvidenceRecordInput!) { createEvidenceRecord(input: $input) { id } }`, { input })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const created = await query(`mutation($input: EvidenceRecordInput!) { createEvidenceRecord(input: $input) { id status } }`, { input }, admin);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createEvidenceRecord.id as string;
    await query(`mutation($id: ID!) { submitEvidenceRecord(id: $id) { id } }`, { id }, admin);
    expect((await query(EVIDENCE, { id: DEBT_ADVICE })).data!.activity.evidence).toEqual([]);

    const ownPublish = await query(`mutation($id: ID!) { publishEvidenceRecord(id: $id) { id } }`, { id }, admin);
    expect(ownPublish.errors?.[0]?.extensions?.code).toBe('FOUR_EYES_REQUIRED');
    const published = await query(`mutation($id: ID!) { publishEvidenceRecord(id: $id) { status } }`, { id }, secondAdmin);
    expect(published.data!.publishEvidenceRecord.status).toBe('PUBLISHED');
    expect((await query(EVIDENCE, { id: DEBT_ADVICE })).data!.activity.evidence).toEqual([{ title: input.title }]);
  });

  it('summarises the published evidence about a condition', async () => {
    const result = await query(`{ evidenceSummary(condition: "parkinsons") { total byStudyType { studyType count } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.evidenceSummary.total).toBeGreaterThanOrEqual(1);
    expect(result.data!.evidenceSummary.byStudyType).toContainEqual({ studyType: 'QUALITATIVE', count: 1 });
  });
});
