import { ApolloServer } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { createGraphQLHttpService, type RunningService } from '../src/http';
import { createLabelBudget } from '../src/metrics';
import { loadTracingConfig, startTracing, type Tracing } from '../src/telemetry';
import { createCapturingLogger, createTestLogger, graphqlRequest, startTestCollector } from '../src/testing';

const PERSONAL = 'Ada Lovelace, 07700 900123';

async function startService(options: { metrics?: boolean } = {}) {
  const apollo = new ApolloServer({
    typeDefs: 'type Query { hello(name: String): String }',
    resolvers: { Query: { hello: (_: unknown, { name }: { name?: string }) => `Hello ${name ?? 'there'}` } },
  });
  return createGraphQLHttpService({
    apollo,
    logger: createTestLogger(),
    readiness: async () => ({ ready: true, checks: {} }),
    context: async () => ({}),
    ...options,
  }).listen(0, '127.0.0.1');
}

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((item) => item.close()));
});

async function metricsOf(service: RunningService) {
  const response = await fetch(new URL('/metrics', service.url));
  return { response, text: await response.text() };
}

describe('the logger', () => {
  it('redacts tokens, cookies and client addresses wherever they are usually logged', () => {
    const { logger, text } = createCapturingLogger();
    logger.info({
      req: { headers: { authorization: 'Bearer secret-a', cookie: 'sid=secret-b', 'x-forwarded-for': '203.0.113.7' }, remoteAddress: '198.51.100.9' },
      upstream: { headers: { authorization: 'Bearer secret-c', cookie: 'sid=secret-d' } },
      headers: { 'set-cookie': 'sid=secret-e' },
      token: 'secret-f',
      variables: { name: PERSONAL },
    });
    expect(text()).not.toMatch(/secret-|203\.0\.113\.7|198\.51\.100\.9|Lovelace/);
    expect(text()).toMatch(/\[redacted\]/);
  });
});

describe('label budgets', () => {
  it('keep the first values, then count the rest and anything malformed as one', () => {
    const label = createLabelBudget(2, /^[a-z]+$/, 'other');
    expect([label('one'), label('two'), label('three'), label('one'), label('Bad-Name')]).toEqual(['one', 'two', 'other', 'one', 'other']);
  });
});

describe('subgraph metrics', () => {
  it('serves request counts and latency by operation name, and process metrics, at /metrics', async () => {
    const service = await startService();
    running.push(service);
    await graphqlRequest(service.url, 'query Greeting { hello }');
    await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Greeting { hello } query Other { hello }', operationName: 'Greeting' }),
    });
    await graphqlRequest(service.url, '{ hello }');
    await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    const { response, text } = await metricsOf(service);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^subgraph_graphql_requests_total\{operation="Greeting",status="200"\} 2$/m);
    expect(text).toMatch(/^subgraph_graphql_requests_total\{operation="anonymous",status="200"\} 1$/m);
    expect(text).toMatch(/^subgraph_graphql_requests_total\{operation="unknown",status="400"\} 1$/m);
    expect(text).toMatch(/^subgraph_graphql_request_duration_seconds_count\{operation="Greeting"\} 2$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).not.toMatch(/subgraph_graphql_errors_total/);
  });

  it('has no /metrics when turned off', async () => {
    const service = await startService({ metrics: false });
    running.push(service);
    expect((await metricsOf(service)).response.status).toBe(404);
  });
});

describe('tracing configuration', () => {
  it('is off unless an OTLP endpoint is set, or when the SDK is disabled', () => {
    expect(loadTracingConfig({}, 'provider')).toBeUndefined();
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, 'provider')).toBeUndefined();
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }, 'provider')).toBeUndefined();
  });

  it('adds /v1/traces to the general endpoint and uses the traces endpoint as it is', () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'provider')).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'provider',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(
      loadTracingConfig(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.org/otlp/traces',
          OTEL_SERVICE_NAME: 'provider-eu',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.25',
        },
        'provider',
      ),
    ).toEqual({ tracesUrl: 'https://traces.example.org/otlp/traces', serviceName: 'provider-eu', sampler: 'parentbased_traceidratio', samplerRatio: 0.25 });
  });

  it('names each wrong variable', () => {
    const bad = { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_SAMPLER_ARG: '2' };
    expect(() => loadTracingConfig(bad, 'provider')).toThrow(ConfigError);
    expect(() => loadTracingConfig(bad, 'provider')).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*OTEL_TRACES_SAMPLER[\s\S]*OTEL_TRACES_SAMPLER_ARG/);
  });
});

describe('tracing', () => {
  it('makes no spans while no SDK is started', async () => {
    const service = await startService();
    running.push(service);
    await graphqlRequest(service.url, '{ hello }');
    expect(trace.getTracer('any').startSpan('probe').isRecording()).toBe(false);
  });

  it('continues the trace in a traceparent header and exports the span to the OTLP endpoint', async () => {
    const collector = await startTestCollector();
    running.push(collector);
    const config = loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint }, 'test-subgraph');
    const tracing: Tracing = await startTracing(config!, createTestLogger());
    running.push({ close: () => tracing.shutdown() });
    const service = await startService();
    running.push(service);

    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const answer = await graphqlRequest(
      service.url,
      'query Greeting($name: String) { hello(name: $name) }',
      { name: PERSONAL },
      { traceparent: `00-${traceId}-${callerSpanId}-01` },
    );
    expect(answer.data).toEqual({ hello: `Hello ${PERSONAL}` });
    await tracing.flush();
    await collector.waitFor((spans) => spans.length > 0);

    expect(collector.paths).toContain('/v1/traces');
    const [span] = collector.spans;
    expect(span).toMatchObject({
      serviceName: 'test-subgraph',
      scope: '@sp/runtime',
      name: 'POST /graphql',
      kind: 2,
      traceId,
      parentSpanId: callerSpanId,
      attributes: { 'http.request.method': 'POST', 'http.route': '/graphql', 'http.response.status_code': 200, 'graphql.operation.name': 'Greeting' },
    });
    // Variables and the document never become span attributes.
    expect(JSON.stringify(collector.spans)).not.toMatch(/Lovelace|hello\(/);
  });
});
