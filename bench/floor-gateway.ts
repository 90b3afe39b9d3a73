// A lower bound for any gateway written in Node, for bench/gateway.ts (`--runtime floor`): the
// transport work of a federated gateway and nothing else. It does no GraphQL work at all (no
// parsing, validation, planning or limits): it knows the benchmark's two queries by name.
//   - OneSubgraph: the client's body is sent to the provider unchanged and its answer piped back.
//   - ThreeSubgraphs: the plan in plan.ts, strung together by hand: the provider's part, then
//     evidence and referral together with representations from the provider's answer, then the
//     three answers merged into the shape the client asked for.
// What it costs in CPU and latency is what a Node process on this machine costs to take a request,
// call the subgraphs over keep-alive HTTP and answer: a real gateway can only add to it.
//
//   BENCH_PORT=4102 PROVIDER_URL=... REFERRAL_URL=... EVIDENCE_URL=... node --import tsx bench/floor-gateway.ts
import http from 'node:http';
import { EVIDENCE_PART, PROVIDER_PART, REFERRAL_PART, evidenceRepresentation, referralRepresentation, type ProviderNode } from './plan';

const port = Number(process.env.BENCH_PORT ?? 4102);
const subgraphUrl = (name: string) => {
  const url = process.env[`${name.toUpperCase()}_URL`];
  if (!url) throw new Error(`${name.toUpperCase()}_URL is not set`);
  return new URL(url);
};
const provider = subgraphUrl('provider');
const evidence = subgraphUrl('evidence');
const referral = subgraphUrl('referral');
const agent = new http.Agent({ keepAlive: true });

function post(url: URL, body: string | Buffer, authorization: string | undefined): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...(authorization ? { authorization } : {}),
      },
    }, resolve);
    request.on('error', reject);
    request.end(body);
  });
}

function readBody(stream: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

async function ask<T>(url: URL, query: string, variables: Record<string, unknown>, authorization: string | undefined): Promise<T> {
  const answer = JSON.parse((await readBody(await post(url, JSON.stringify({ query, variables }), authorization))).toString('utf8'));
  if (answer.errors?.length || !answer.data) throw new Error(`${url.port} answered with errors: ${JSON.stringify(answer.errors ?? answer)}`);
  return answer.data as T;
}

async function threeSubgraphs(variables: { first: number }, authorization: string | undefined) {
  const page = await ask<{ activities: { edges: Array<{ node: ProviderNode }> } }>(provider, PROVIDER_PART, variables, authorization);
  const nodes = page.activities.edges.map((edge) => edge.node);
  const [fromEvidence, fromReferral] = await Promise.all([
    ask<{ _entities: Array<{ evidence: unknown[] }> }>(evidence, EVIDENCE_PART, { representations: nodes.map(evidenceRepresentation) }, authorization),
    ask<{ _entities: Array<{ referralCount: number }> }>(referral, REFERRAL_PART, { representations: nodes.map(referralRepresentation) }, authorization),
  ]);
  return {
    data: {
      activities: {
        edges: nodes.map((node, index) => ({
          node: { id: node.id, name: node.name, town: node.town, evidence: fromEvidence._entities[index]!.evidence, referralCount: fromReferral._entities[index]!.referralCount },
        })),
      },
    },
  };
}

const server = http.createServer(async (request, response) => {
  try {
    const body = await readBody(request);
    const authorization = request.headers.authorization;
    const { query, variables } = JSON.parse(body.toString('utf8')) as { query?: string; variables?: { first?: number } };
    // Only the operation's name is looked at: the floor does no GraphQL work.
    const operation = /^\s*query\s+(\w+)/.exec(query ?? '')?.[1];
    if (operation === 'OneSubgraph') {
      const answer = await post(provider, body, authorization);
      response.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      answer.pipe(response);
      return;
    }
    if (operation === 'ThreeSubgraphs') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await threeSubgraphs({ first: variables?.first ?? 5 }, authorization)));
      return;
    }
    if (query?.trim() === '{ __typename }') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"__typename":"Query"}}');
      return;
    }
    response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: `The floor knows only the benchmark's queries, not ${operation}.` }] }));
  } catch (error) {
    response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
  }
});
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
process.stdout.write(`Transport floor ready at http://127.0.0.1:${port}/graphql\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
