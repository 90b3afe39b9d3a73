import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCapturingLogger } from '@sp/runtime/testing';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { post, testSupergraphSdl } from './support/gateway-harness';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraphs';

// Values that must never reach a log: personal data in variables and inline in the document,
// the caller's token and cookie, and addresses.
const PERSONAL_VARIABLE = 'Ada Lovelace 07700 900123';
const PERSONAL_INLINE = 'Grace-Hopper-SW1A-1AA';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXN1YmplY3Q.c2lnbmF0dXJl';
const COOKIE = 'session=cookie-secret-value';
const FORWARDED_ADDRESS = '203.0.113.7';

const REQUEST_LINE_KEYS = [
  'durationMs',
  'errorCodes',
  'level',
  'msg',
  'name',
  'operationName',
  'operationType',
  'requestId',
  'service',
  'status',
  'subgraphs',
  'time',
];

describe('gateway request logs', () => {
  const subgraphs: TestSubgraph[] = [];
  const captured = createCapturingLogger('gateway-test', 'info');
  let gateway: GatewayServer;
  let url: string;

  const requestLines = () => captured.lines().filter((line) => line.msg === 'graphql request');
  const lineFor = (requestId: string) => requestLines().filter((line) => line.requestId === requestId);

  beforeAll(async () => {
    for (const name of ['provider', 'referral', 'evidence'] as const) subgraphs.push(await startTestSubgraph(name));
    gateway = createGatewayServer({
      supergraphSdl: testSupergraphSdl,
      subgraphUrls: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url])),
      logger: captured.logger,
      limits: { maxBodyBytes: 2_000 },
    });
    ({ url } = await gateway.listen(0, '127.0.0.1'));

    const lookup = (requestId: string) =>
      post(
        url,
        {
          query: `query Lookup($id: ID!, $note: ID!) {
          activity(id: $id) { id name }
          byVariable: activity(id: $note) { id }
          inline: activity(id: "${PERSONAL_INLINE}") { id }
          }`,
          variables: { id: 'a1', note: PERSONAL_VARIABLE },
          operationName: 'Lookup',
        },
        { authorization: `Bearer ${TOKEN}`, cookie: COOKIE, 'x-forwarded-for': FORWARDED_ADDRESS, 'x-request-id': requestId },
      );
    await lookup('log-lookup');
    await post(url, { query: 'query Missing { activity(id: "missing") { id } }' }, { 'x-request-id': 'log-missing' });
    await post(url, { query: '{ activities { id referralCount } }' }, { 'x-request-id': 'log-anonymous' });
    await post(url, { query: `{ activity(id: "${'x'.repeat(3_000)}") { id } }` }, { 'x-request-id': 'log-too-large' });
    // With the provider down, Hive logs the failed subgraph request, which held the variables.
    await subgraphs.find((subgraph) => subgraph.name === 'provider')!.stop();
    await lookup('log-provider-down');
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
  });

  it('writes one line per request with its id, operation, status, duration and subgraphs', () => {
    const lines = lineFor('log-lookup');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      operationName: 'Lookup',
      operationType: 'query',
      status: 200,
      errorCodes: [],
      subgraphs: ['provider'],
    });
    expect(lines[0]!.durationMs).toEqual(expect.any(Number));
    expect(lineFor('log-anonymous')[0]).toMatchObject({ operationName: null, operationType: 'query', subgraphs: ['provider', 'referral'] });
    expect(captured.lines().filter((line) => line.msg === 'request failed')).toEqual([]);
  });

  it('carries the error codes of the answer, also for requests refused before the runtime', () => {
    expect(lineFor('log-missing')[0]).toMatchObject({ operationName: 'Missing', status: 200, errorCodes: ['NOT_FOUND'] });
    expect(lineFor('log-too-large')[0]).toMatchObject({ operationName: null, status: 413, errorCodes: ['PAYLOAD_TOO_LARGE'], subgraphs: [] });
    expect(lineFor('log-provider-down')[0]).toMatchObject({ status: 200, errorCodes: ['SUBGRAPH_UNAVAILABLE'], subgraphs: ['provider'] });
  });

  it('holds nothing else: no variables, document, headers, addresses or answer', () => {
    for (const line of requestLines()) expect(Object.keys(line).sort()).toEqual(REQUEST_LINE_KEYS);
    expect(JSON.stringify(requestLines())).not.toMatch(/127\.0\.0\.1|Walking group/);
  });

  it('never logs personal data, tokens, cookies or forwarded addresses, on any line', () => {
    const everything = captured.text();
    expect(everything).toMatch(/log-lookup/);
    for (const secret of [PERSONAL_VARIABLE, PERSONAL_INLINE, TOKEN, 'c2VjcmV0LXN1YmplY3Q', COOKIE, 'cookie-secret-value', FORWARDED_ADDRESS]) {
      expect(everything).not.toContain(secret);
    }
  });
});
