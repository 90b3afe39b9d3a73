// @apollo/gateway (2.14, with @apollo/server) on the committed gateway/supergraph.graphql, for
// bench/gateway.ts to compare with the Hive Gateway runtime. Benchmark only: @apollo/gateway and
// its query planner are under the Elastic License 2.0, and it is a devDependency of @sp/gateway
// for this script alone; nothing we ship imports it.
//
//   BENCH_PORT=4100 PROVIDER_URL=... REFERRAL_URL=... EVIDENCE_URL=... node --import tsx bench/apollo-gateway.ts
//
// Set APOLLO_TELEMETRY_DISABLED=true (bench/gateway.ts does): otherwise @apollo/gateway sends
// usage metrics to Apollo, and this machine must not call out.
//
// Made as fair as the Hive runner: a static supergraph, subgraph URLs overridden like
// `transportEntries.<name>.location`, `authorization` and `x-request-id` passed on to subgraphs,
// no landing page. @apollo/gateway has no in-flight deduplication of subgraph requests, so there
// is nothing to turn off (Hive's is off in our gateway).
import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { DEFAULT_SUPERGRAPH_PATH } from '@sp/gateway/supergraph';

interface Context {
  /** Headers to pass on to every subgraph. */
  forward: Record<string, string>;
}

const FORWARDED_HEADERS = ['authorization', 'x-request-id'];

const port = Number(process.env.BENCH_PORT ?? 4100);
const overrides: Record<string, string | undefined> = {
  provider: process.env.PROVIDER_URL,
  referral: process.env.REFERRAL_URL,
  evidence: process.env.EVIDENCE_URL,
};

const gateway = new ApolloGateway({
  supergraphSdl: await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8'),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource<Context>({
      url: overrides[name] ?? url,
      willSendRequest({ request, context }) {
        const forward: Record<string, string> = (context as Partial<Context>).forward ?? {};
        for (const [header, value] of Object.entries(forward)) request.http?.headers.set(header, value);
      },
    }),
});

const server = new ApolloServer<Context>({
  gateway,
  plugins: [ApolloServerPluginLandingPageDisabled()],
});

const { url } = await startStandaloneServer(server, {
  listen: { port, host: '127.0.0.1' },
  context: async ({ req }) => ({
    forward: Object.fromEntries(
      FORWARDED_HEADERS.flatMap((header) => {
        const value = req.headers[header];
        return typeof value === 'string' ? [[header, value]] : [];
      }),
    ),
  }),
});
process.stdout.write(`@apollo/gateway ready at ${url}\n`);
// Apollo Server stops itself on SIGINT and SIGTERM (stopOnTerminationSignals).
