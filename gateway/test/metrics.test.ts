import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, startStack, type Stack } from './support/gateway-harness';

async function scrape(origin: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin}/metrics`, { headers });
  return { response, text: await response.text() };
}

/** The value of one series, e.g. `sample(text, 'gateway_graphql_requests_total{operation="A",status="200"}')`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const PAGE = 'query ActivityPage { activities { id name referralCount evidence { summary } } }';

describe('gateway metrics, on by default', () => {
  let stack: Stack;
  let text: string;

  beforeAll(async () => {
    stack = await startStack({ limits: { maxBodyBytes: 2_000 } });
    await query(stack.url, PAGE);
    await query(stack.url, PAGE);
    await query(stack.url, '{ activity(id: "a1") { id } }');
    await query(stack.url, 'query Missing { activity(id: "missing") { id } }');
    await query(stack.url, 'query Broken { nope }');
    await query(stack.url, `query Huge { activity(id: "${'x'.repeat(3_000)}") { id } }`);
    const scraped = await scrape(stack.origin);
    expect(scraped.response.status).toBe(200);
    expect(scraped.response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    text = scraped.text;
  });

  afterAll(() => stack?.stop());

  it('counts requests and times them by operation name, unnamed ones as anonymous', () => {
    expect(sample(text, 'gateway_graphql_requests_total{operation="ActivityPage",status="200"}')).toBe(2);
    expect(sample(text, 'gateway_graphql_requests_total{operation="anonymous",status="200"}')).toBe(1);
    expect(sample(text, 'gateway_graphql_request_duration_seconds_count{operation="ActivityPage"}')).toBe(2);
    expect(sample(text, 'gateway_graphql_request_duration_seconds_bucket{le="30",operation="ActivityPage"}')).toBe(2);
  });

  it('counts errors by operation and code, including requests refused before the runtime', () => {
    expect(sample(text, 'gateway_graphql_errors_total{operation="Missing",code="NOT_FOUND"}')).toBe(1);
    expect(sample(text, 'gateway_graphql_errors_total{operation="Broken",code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    // Refused from its Content-Length, so the document was never read.
    expect(sample(text, 'gateway_graphql_requests_total{operation="unknown",status="413"}')).toBe(1);
    expect(sample(text, 'gateway_graphql_errors_total{operation="unknown",code="PAYLOAD_TOO_LARGE"}')).toBe(1);
    expect(sample(text, 'gateway_graphql_errors_total{operation="ActivityPage",code="NOT_FOUND"}')).toBeUndefined();
  });

  it('counts and times each subgraph call', () => {
    // ActivityPage twice (provider, then referral and evidence), the two single-activity queries (provider).
    expect(sample(text, 'gateway_subgraph_requests_total{subgraph="provider"}')).toBe(4);
    expect(sample(text, 'gateway_subgraph_requests_total{subgraph="referral"}')).toBe(2);
    expect(sample(text, 'gateway_subgraph_request_duration_seconds_count{subgraph="evidence"}')).toBe(2);
    expect(sample(text, 'gateway_subgraph_errors_total{subgraph="provider",code="NOT_FOUND"}')).toBe(1);
  });

  it("serves Node's process metrics too", () => {
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  it('only answers GET and HEAD', async () => {
    const response = await fetch(`${stack.origin}/metrics`, { method: 'POST' });
    expect(response.status).toBe(405);
  });
});

describe('gateway metrics: bounds and settings', () => {
  it('gives the first distinct operation names their own series and counts later ones as other', async () => {
    const stack = await startStack({ metrics: { maxOperationNames: 2 } });
    try {
      for (const name of ['First', 'Second', 'Third', 'Fourth', 'First']) {
        await query(stack.url, `query ${name} { activity(id: "a1") { id } }`);
      }
      const { text } = await scrape(stack.origin);
      expect(sample(text, 'gateway_graphql_requests_total{operation="First",status="200"}')).toBe(2);
      expect(sample(text, 'gateway_graphql_requests_total{operation="Second",status="200"}')).toBe(1);
      expect(sample(text, 'gateway_graphql_requests_total{operation="other",status="200"}')).toBe(2);
      expect(text).not.toMatch(/Third|Fourth/);
    } finally {
      await stack.stop();
    }
  });

  it('counts a subgraph that cannot be reached', async () => {
    const stack = await startStack();
    try {
      await stack.subgraphs.find((subgraph) => subgraph.name === 'evidence')!.stop();
      await query(stack.url, PAGE);
      const { text } = await scrape(stack.origin);
      expect(sample(text, 'gateway_subgraph_errors_total{subgraph="evidence",code="SUBREQUEST_HTTP_ERROR"}')).toBe(1);
      expect(sample(text, 'gateway_graphql_errors_total{operation="ActivityPage",code="SUBGRAPH_UNAVAILABLE"}')).toBe(1);
    } finally {
      await stack.stop();
    }
  });

  it('asks for the bearer token when one is set', async () => {
    const token = 'a-long-random-metrics-token';
    const stack = await startStack({ metrics: { token } });
    try {
      const refused = await scrape(stack.origin);
      expect(refused.response.status).toBe(401);
      expect(refused.response.headers.get('www-authenticate')).toBe('Bearer');
      expect(refused.text).toBe('');
      expect((await scrape(stack.origin, { authorization: 'Bearer wrong-token' })).response.status).toBe(401);
      const allowed = await scrape(stack.origin, { authorization: `Bearer ${token}` });
      expect(allowed.response.status).toBe(200);
      expect(allowed.text).toMatch(/gateway_graphql_requests_total/);
    } finally {
      await stack.stop();
    }
  });

  it('has no /metrics when turned off, and GraphQL still answers', async () => {
    const stack = await startStack({ metrics: false });
    try {
      expect((await scrape(stack.origin)).response.status).toBe(404);
      const { body } = await query(stack.url, '{ activity(id: "a1") { id } }');
      expect(body.data).toEqual({ activity: { id: 'a1' } });
    } finally {
      await stack.stop();
    }
  });
});
