import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { post, query, startStack, type Stack } from './support/gateway-harness';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraphs';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { silentLogger, testSupergraphSdl } from './support/gateway-harness';

const codeOf = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => body.errors?.[0]?.extensions?.code;

describe('document limits (graphql-armor)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      limits: { maxDepth: 3, maxAliases: 2, maxDirectives: 2, maxTokens: 60, maxCost: 10, maxBodyBytes: 1_000 },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function expectRefused(source: string, code: string, status = 400) {
    const before = stack.requestCount();
    const { response, body } = await query(stack.url, source);
    expect(response.status).toBe(status);
    expect(body.data).toBeUndefined();
    expect(codeOf(body)).toBe(code);
    expect(stack.requestCount()).toBe(before);
    return body;
  }

  it('answers a query within every limit', async () => {
    const { response, body } = await query(stack.url, '{ activity(id: "a1") { id name } }');
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('refuses a query deeper than the limit with QUERY_TOO_DEEP', async () => {
    await expectRefused('{ referral(id: "r") { activity { evidence { summary } } } }', 'QUERY_TOO_DEEP');
  });

  it('counts depth through fragments', async () => {
    await expectRefused(
      '{ referral(id: "r") { ...R } } fragment R on Referral { activity { evidence { summary } } }',
      'QUERY_TOO_DEEP',
    );
  });

  it('refuses too many aliases with TOO_MANY_ALIASES', async () => {
    await expectRefused('{ a: activities { id } b: activities { id } c: activities { id } }', 'TOO_MANY_ALIASES');
  });

  it('refuses too many directives with TOO_MANY_DIRECTIVES', async () => {
    await expectRefused('{ activities { id @skip(if: false) name @skip(if: false) __typename @skip(if: false) } }', 'TOO_MANY_DIRECTIVES');
  });

  it('refuses a document with too many tokens with TOO_MANY_TOKENS', async () => {
    // Raised while parsing: Yoga rewraps parse errors, keeping the code but not the HTTP status,
    // so a legacy application/json client gets 200 with the error (as for any syntax error).
    await expectRefused(`{ activities { ${'id '.repeat(70)} } }`, 'TOO_MANY_TOKENS', 200);
  });

  it('refuses a query estimated too costly with QUERY_TOO_COSTLY', async () => {
    await expectRefused('{ activities { id name referralCount evidence { id summary } } }', 'QUERY_TOO_COSTLY');
  });

  it('refuses a body larger than the limit with 413 PAYLOAD_TOO_LARGE before reading it', async () => {
    const before = stack.requestCount();
    const { response, body } = await post(stack.url, { query: `{ activities { id } } # ${'x'.repeat(2_000)}` });
    expect(response.status).toBe(413);
    expect(codeOf(body)).toBe('PAYLOAD_TOO_LARGE');
    expect(stack.requestCount()).toBe(before);
  });

  it('refuses a chunked body without a length with 411 LENGTH_REQUIRED', async () => {
    const { port } = new URL(stack.url);
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' } },
        (incoming) => {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => (text += chunk));
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
        },
      );
      outgoing.on('error', reject);
      outgoing.write('{"query":');
      outgoing.end('"{ activities { id } }"}');
    });
    expect(status).toBe(411);
    expect(JSON.parse(text)).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'LENGTH_REQUIRED' } })] });
  });
});

describe('per-request timeout', () => {
  let slow: TestSubgraph[];
  let gateway: GatewayServer;
  let url: string;

  beforeAll(async () => {
    slow = [await startTestSubgraph('provider', { delayMs: 1_000 })];
    gateway = createGatewayServer({
      supergraphSdl: testSupergraphSdl,
      subgraphUrls: { provider: slow[0]!.url },
      logger: silentLogger,
      limits: { requestTimeoutMs: 200 },
    });
    ({ url } = await gateway.listen(0, '127.0.0.1'));
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(slow.map((subgraph) => subgraph.stop()));
  });

  it('answers 504 REQUEST_TIMEOUT when a request takes longer than the limit', async () => {
    const started = Date.now();
    const { response, body } = await query(url, '{ activity(id: "a1") { id } }');
    expect(response.status).toBe(504);
    expect(codeOf(body)).toBe('REQUEST_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(900);
  });
});
