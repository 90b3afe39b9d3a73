import { createLogger } from '@sp/runtime/logger';
import { createGatewayServer, type GatewayServerOptions } from '../../src/server';
import { composeSupergraph, DEFAULT_SUBGRAPH_URLS } from '../../src/supergraph';
import { startTestSubgraph, testSubgraphSchemas, type TestSubgraph } from './test-subgraphs';

export const silentLogger = createLogger({ name: 'gateway-test', level: 'silent' });

export const testSupergraphSdl = composeSupergraph(testSubgraphSchemas(DEFAULT_SUBGRAPH_URLS));

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

export type ExtraOptions = Omit<GatewayServerOptions, 'supergraphSdl' | 'logger' | 'subgraphUrls'>;

/** A gateway over the test supergraph on port 0, with these subgraph URLs (running or not). */
export async function startGateway(subgraphUrls: Record<string, string>, options: ExtraOptions = {}) {
  const gateway = createGatewayServer({ supergraphSdl: testSupergraphSdl, subgraphUrls, logger: silentLogger, ...options });
  const { url } = await gateway.listen(0, '127.0.0.1');
  return { gateway, url, origin: new URL(url).origin };
}

/** All three test subgraphs and a gateway in front of them; `requestCount()` sums what the subgraphs received. */
export async function startStack(options: ExtraOptions = {}) {
  const subgraphs: TestSubgraph[] = [];
  for (const name of ['provider', 'referral', 'evidence'] as const) subgraphs.push(await startTestSubgraph(name));
  const { gateway, url, origin } = await startGateway(
    Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url])),
    options,
  );
  return {
    gateway,
    url,
    origin,
    subgraphs,
    requestCount: () => subgraphs.reduce((sum, subgraph) => sum + subgraph.requestIds.length, 0),
    async stop() {
      await gateway.close();
      await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: GraphQLBody;
  try {
    parsed = JSON.parse(text) as GraphQLBody;
  } catch {
    parsed = { errors: [{ message: text }] };
  }
  return { response, body: parsed };
}

export const query = (url: string, source: string, headers: Record<string, string> = {}) => post(url, { query: source }, headers);
