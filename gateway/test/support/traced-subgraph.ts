/**
 * A test subgraph in a process of its own, traced as a real subgraph is: `startTracing` from
 * the OTEL_* variables, then the subgraph. Prints `{"url":...}` once it listens; SIGTERM stops
 * it after exporting its spans. Run: node --import tsx traced-subgraph.ts <provider|referral|evidence>
 */
import { createTestLogger } from '@sp/runtime/testing';
import { loadTracingConfig, startTracing } from '@sp/runtime/telemetry';
import { startTestSubgraph, type TestSubgraphName } from './test-subgraphs';

const name = process.argv[2] as TestSubgraphName;
const config = loadTracingConfig(process.env, `test-${name}`);
if (!config) throw new Error('traced-subgraph needs OTEL_EXPORTER_OTLP_ENDPOINT');
const tracing = await startTracing(config, createTestLogger(), { batchDelayMs: 100 });
const subgraph = await startTestSubgraph(name);
process.stdout.write(`${JSON.stringify({ url: subgraph.url })}\n`);

process.once('SIGTERM', () => {
  void subgraph
    .stop()
    .then(() => tracing.shutdown())
    .finally(() => process.exit(0));
});
