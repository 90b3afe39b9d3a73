import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadPersistedDocuments,
  parsePersistedDocumentsManifest,
  PersistedDocumentsError,
  persistedDocumentId,
} from '../src/persisted-documents';
import { post, query, startStack, type Stack } from './support/gateway-harness';

const run = promisify(execFile);
const manifestScript = fileURLToPath(new URL('../src/persisted-manifest.ts', import.meta.url));

const ACTIVITY = 'query Activity($id: ID!) { activity(id: $id) { id name } }';
const ACTIVITY_ID = persistedDocumentId(ACTIVITY);
const UNKNOWN_ID = persistedDocumentId('query Unknown { activities { id } }');
const documents = new Map([[ACTIVITY_ID, ACTIVITY]]);
const byHash = (sha256Hash: string) => ({ variables: { id: 'a1' }, extensions: { persistedQuery: { version: 1, sha256Hash } } });
const codeOf = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => body.errors?.[0]?.extensions?.code;
const WALKING_GROUP = { activity: { id: 'a1', name: 'Walking group' } };

describe('persisted documents manifests', () => {
  it('ids a document by the SHA-256 of its text, as sha256sum and Apollo APQ do', () => {
    expect(persistedDocumentId('{ __typename }')).toBe('7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b');
  });

  it('reads a map of id -> document, and an Apollo persisted query manifest', () => {
    expect(parsePersistedDocumentsManifest({ abc: ACTIVITY })).toEqual(new Map([['abc', ACTIVITY]]));
    const apollo = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: ACTIVITY_ID, name: 'Activity', type: 'query', body: ACTIVITY }],
    };
    expect(parsePersistedDocumentsManifest(apollo)).toEqual(documents);
  });

  it('refuses, naming the document, one that is not GraphQL, holds no operation, or shares an id', () => {
    expect(() => parsePersistedDocumentsManifest({ bad: 'query {' }, 'm.json')).toThrow(/m\.json, document bad is not valid GraphQL/);
    expect(() => parsePersistedDocumentsManifest({ frag: 'fragment F on Activity { id }' }, 'm.json')).toThrow(/document frag holds no operation/);
    const twice = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x', body: ACTIVITY }, { id: 'x', body: '{ activities { id } }' }] };
    expect(() => parsePersistedDocumentsManifest(twice, 'm.json')).toThrow(/gives id x to two different documents/);
    expect(() => parsePersistedDocumentsManifest({}, 'm.json')).toThrow(/holds no documents/);
    expect(() => parsePersistedDocumentsManifest(['{ a }'], 'm.json')).toThrow(PersistedDocumentsError);
  });

  it('names the file when it is missing or not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sp-gateway-pd-'));
    try {
      await expect(loadPersistedDocuments(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read .*missing\.json/);
      await writeFile(join(dir, 'broken.json'), '{ nope');
      await expect(loadPersistedDocuments(join(dir, 'broken.json'))).rejects.toThrow(/broken\.json is not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('persisted documents alongside arbitrary documents', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ persistedDocuments: { documents } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs a known document by its hash (Apollo style) or by documentId', async () => {
    const hashed = await post(stack.url, byHash(ACTIVITY_ID));
    expect(hashed.response.status).toBe(200);
    expect(hashed.body).toEqual({ data: WALKING_GROUP });

    const named = await post(stack.url, { documentId: ACTIVITY_ID, variables: { id: 'a1' } });
    expect(named.body).toEqual({ data: WALKING_GROUP });
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, calling no subgraph', async () => {
    const before = stack.requestCount();
    const { response, body } = await post(stack.url, byHash(UNKNOWN_ID));
    // 200, as Apollo answers it: Apollo's clients then resend the same request with the document.
    expect(response.status).toBe(200);
    expect(body.data ?? undefined).toBeUndefined();
    expect(codeOf(body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(body.errors?.[0]?.message).toMatch(/No persisted document has this id/);
    expect(stack.requestCount()).toBe(before);
  });

  it('still runs an arbitrary document', async () => {
    const { body } = await query(stack.url, '{ activity(id: "a1") { id name } }');
    expect(body).toEqual({ data: WALKING_GROUP });
  });
});

describe('persisted documents only (GATEWAY_PERSISTED_DOCUMENTS_ONLY)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ persistedDocuments: { documents, only: true } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs a known document, by POST or by GET with ?documentId', async () => {
    expect((await post(stack.url, byHash(ACTIVITY_ID))).body).toEqual({ data: WALKING_GROUP });
    const url = new URL(stack.url);
    url.searchParams.set('documentId', ACTIVITY_ID);
    url.searchParams.set('variables', JSON.stringify({ id: 'a1' }));
    const response = await fetch(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(await response.json()).toEqual({ data: WALKING_GROUP });
  });

  it('refuses an arbitrary document with 400 PERSISTED_QUERY_ID_REQUIRED, calling no subgraph', async () => {
    const before = stack.requestCount();
    // Even the text of a persisted document: only its id is accepted.
    for (const source of ['{ activity(id: "a1") { id name } }', ACTIVITY]) {
      const { response, body } = await post(stack.url, { query: source, variables: { id: 'a1' } });
      expect(response.status).toBe(400);
      expect(body.data ?? undefined).toBeUndefined();
      expect(codeOf(body)).toBe('PERSISTED_QUERY_ID_REQUIRED');
      expect(body.errors?.[0]?.message).toMatch(/only runs persisted documents/);
    }
    expect(stack.requestCount()).toBe(before);
  });

  it('refuses a request with neither document nor id the same way', async () => {
    const { response, body } = await post(stack.url, { variables: {} });
    expect(response.status).toBe(400);
    expect(codeOf(body)).toBe('PERSISTED_QUERY_ID_REQUIRED');
  });

  it('answers an unknown id with PERSISTED_QUERY_NOT_FOUND', async () => {
    expect(codeOf((await post(stack.url, { documentId: UNKNOWN_ID })).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('without persisted documents (the default)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs arbitrary documents, and runs nothing by id', async () => {
    expect((await post(stack.url, { query: ACTIVITY, variables: { id: 'a1' } })).body).toEqual({ data: WALKING_GROUP });
    const { body } = await post(stack.url, byHash(ACTIVITY_ID));
    expect(body.data ?? undefined).toBeUndefined();
    expect(codeOf(body)).toBe('BAD_REQUEST');
  });
});

describe('npm run persisted:manifest', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp-gateway-manifest-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const manifest = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', manifestScript, ...args], {
        env: { ...process.env, INIT_CWD: dir },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('builds a manifest the gateway loads, keyed by the SHA-256 of each file (paths from where npm ran)', async () => {
    const other = 'query Activities { activities { id } }\n';
    await writeFile(join(dir, 'activity.graphql'), ACTIVITY);
    await writeFile(join(dir, 'activities.graphql'), other);
    const written = await manifest(['--out', 'manifest.json', 'activity.graphql', 'activities.graphql']);
    expect(written.code, written.stderr).toBe(0);
    expect(await loadPersistedDocuments(join(dir, 'manifest.json'))).toEqual(
      new Map([
        [ACTIVITY_ID, ACTIVITY],
        [persistedDocumentId(other), other],
      ]),
    );
  }, 20_000);

  it('refuses a file that is not a GraphQL operation, naming it', async () => {
    await writeFile(join(dir, 'broken.graphql'), 'query {');
    const failed = await manifest(['broken.graphql']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/broken\.graphql is not valid GraphQL/);
  }, 20_000);
});
