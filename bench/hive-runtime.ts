// The Hive Gateway runtime with the Rust query planner (@graphql-hive/router-runtime) on the
// committed gateway/supergraph.graphql, and nothing of ours around it: no token check, rate
// limits, document limits or /oruk/ proxy. bench/gateway.ts runs it beside our gateway
// (gateway/src/index.ts) and @apollo/gateway (bench/apollo-gateway.ts), so the runtimes are
// compared bare against bare, and what our edge costs is the difference to our gateway.
//
//   BENCH_PORT=4101 PROVIDER_URL=... REFERRAL_URL=... EVIDENCE_URL=... node --import tsx bench/hive-runtime.ts
//
// The runtime options match gateway/src/server.ts where they touch speed: in-flight
// deduplication off, the same transport, `authorization` passed on to subgraphs, the request id
// header, masked errors, no landing page.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { DEFAULT_SUPERGRAPH_PATH, readSupergraphSubgraphs } from '@sp/gateway/supergraph';

const port = Number(process.env.BENCH_PORT ?? 4101);
const overrides: Record<string, string | undefined> = {
  provider: process.env.PROVIDER_URL,
  referral: process.env.REFERRAL_URL,
  evidence: process.env.EVIDENCE_URL,
};

const supergraph = await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8');
const transportOptions = { deduplicateInflightRequests: false };
const runtime = createGatewayRuntime({
  supergraph,
  unifiedGraphHandler,
  transports: { http: httpTransport },
  transportEntries: Object.fromEntries(
    readSupergraphSubgraphs(supergraph).map(({ name, url }) => [name, { location: overrides[name] ?? url, options: transportOptions }]),
  ),
  graphqlEndpoint: '/graphql',
  logging: 'warn',
  landingPage: false,
  graphiql: false,
  requestId: { headerName: 'x-request-id' },
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const authorization = request.headers.get('authorization');
      return authorization ? { authorization } : {};
    },
  },
});

const server = createServer(runtime);
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
process.stdout.write(`Hive Gateway runtime ready at http://127.0.0.1:${port}/graphql\n`);

// The runtime's own SIGINT/SIGTERM listeners only dispose it, and any listener stops Node's
// default exit: close the server and exit here.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => {
      void Promise.resolve(runtime[Symbol.asyncDispose]()).finally(() => process.exit(0));
    });
  });
}
