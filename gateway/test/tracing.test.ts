import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTracingConfig, startTracing, type Tracing } from '@sp/runtime/telemetry';
import { startTestCollector, type CollectedSpan } from '@sp/runtime/testing';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { post, silentLogger, testSupergraphSdl } from './support/gateway-harness';
import { unusedUrl } from './support/test-subgraphs';

const SERVER = 2;
const CLIENT = 3;
const PERSONAL = 'Ada Lovelace 07700 900123';
// A trace a caller claims to be part of: the gateway must not continue it.
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** The provider test subgraph in a process of its own, tracing to `endpoint`. */
async function startTracedSubgraph(endpoint: string) {
  const script = fileURLToPath(new URL('./support/traced-subgraph.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, 'provider'], {
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'test-provider' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line'),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`the traced subgraph exited (${code})`))),
  ])) as [string];
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

describe('OpenTelemetry traces across the gateway and a subgraph', () => {
  let collector: Awaited<ReturnType<typeof startTestCollector>>;
  let subgraph: Awaited<ReturnType<typeof startTracedSubgraph>>;
  let tracing: Tracing;
  let gateway: GatewayServer;
  let spans: CollectedSpan[];

  beforeAll(async () => {
    collector = await startTestCollector();
    subgraph = await startTracedSubgraph(collector.endpoint);
    // The gateway traces as src/index.ts does: the configuration from the standard variables.
    const config = loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint }, 'gateway');
    tracing = await startTracing(config!, silentLogger);
    gateway = createGatewayServer({
      supergraphSdl: testSupergraphSdl,
      subgraphUrls: { provider: subgraph.url, referral: await unusedUrl(), evidence: await unusedUrl() },
      logger: silentLogger,
    });
    const { url } = await gateway.listen(0, '127.0.0.1');

    const { body } = await post(
      url,
      { query: 'query Lookup($id: ID!, $note: ID!) { activity(id: $id) { id name } other: activity(id: $note) { id } }', variables: { id: 'a1', note: PERSONAL } },
      { traceparent: `00-${CALLER_TRACE_ID}-00f067aa0ba902b7-01` },
    );
    expect(body.data).toEqual({ activity: { id: 'a1', name: 'Walking group' }, other: null });

    await tracing.flush();
    await stop(subgraph.child); // exports the subgraph's spans as it stops
    await collector.waitFor((received) => received.some((span) => span.serviceName === 'test-provider'));
    spans = collector.spans;
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await tracing?.shutdown();
    if (subgraph) await stop(subgraph.child);
    await collector?.close();
  });

  it("makes one trace of the request, the subgraph call and the subgraph's work", () => {
    const gatewayServer = spans.find((span) => span.serviceName === 'gateway' && span.kind === SERVER);
    const gatewayClient = spans.find((span) => span.serviceName === 'gateway' && span.kind === CLIENT);
    const subgraphServer = spans.find((span) => span.serviceName === 'test-provider' && span.kind === SERVER);

    expect(gatewayServer).toMatchObject({
      scope: '@sp/gateway',
      name: 'POST /graphql',
      parentSpanId: undefined,
      attributes: { 'http.response.status_code': 200, 'graphql.operation.name': 'Lookup', 'graphql.operation.type': 'query' },
    });
    expect(gatewayClient).toMatchObject({
      name: 'subgraph provider',
      traceId: gatewayServer!.traceId,
      parentSpanId: gatewayServer!.spanId,
      attributes: { 'graphql.subgraph.name': 'provider', 'http.response.status_code': 200 },
    });
    // The subgraph continued the gateway's trace from the traceparent header it was sent.
    expect(subgraphServer).toMatchObject({
      scope: '@sp/runtime',
      name: 'POST /graphql',
      traceId: gatewayServer!.traceId,
      parentSpanId: gatewayClient!.spanId,
    });
  });

  it('starts a new trace rather than continuing one a caller sent', () => {
    expect(spans.every((span) => span.traceId !== CALLER_TRACE_ID)).toBe(true);
  });

  it('puts no variables or documents into spans', () => {
    expect(JSON.stringify(spans)).not.toMatch(/Lovelace|activity\(/);
  });
});
