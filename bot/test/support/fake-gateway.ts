import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from '../../src/search/activity-search';

/**
 * A real HTTP server that answers the two queries the bot sends to the gateway (a page of
 * `activities`, and `__typename` for readiness), paging like the gateway does (at most 100).
 */
export interface FakeGateway {
  url: string;
  /** Bodies of the requests received, in order. */
  requests: Array<{ query: string; variables: Record<string, unknown> }>;
  /** Changes how it answers from now on. */
  behave(behaviour: FakeGatewayBehaviour): void;
  close(): Promise<void>;
}

export type FakeGatewayBehaviour = 'normal' | 'graphql-errors' | 'http-500' | 'slow';

export interface FakeGatewayOptions {
  activities: Activity[];
  maxPageSize?: number;
  /** How long a 'slow' answer takes. */
  slowMs?: number;
}

async function readJson(request: IncomingMessage): Promise<{ query?: string; variables?: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: string; variables?: Record<string, unknown> };
}

export async function startFakeGateway(options: FakeGatewayOptions): Promise<FakeGateway> {
  const maxPageSize = options.maxPageSize ?? 100;
  const requests: FakeGateway['requests'] = [];
  let behaviour: FakeGatewayBehaviour = 'normal';
  const timers = new Set<ReturnType<typeof setTimeout>>();

  function page(first: number, after: string | null) {
    const start = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8')) + 1;
    const size = Math.max(0, Math.min(first, maxPageSize));
    const slice = options.activities.slice(start, start + size);
    const edges = slice.map((node, offset) => ({
      cursor: Buffer.from(String(start + offset)).toString('base64url'),
      node,
    }));
    return {
      activities: {
        edges: edges.map(({ node }) => ({ node })),
        pageInfo: {
          hasNextPage: start + size < options.activities.length,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      },
    };
  }

  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.statusCode = status;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(body));
    };
    readJson(request)
      .then((body) => {
        const query = body.query ?? '';
        const variables = body.variables ?? {};
        requests.push({ query, variables });
        if (behaviour === 'http-500') return answer(500, { errors: [{ message: 'Internal server error' }] });
        if (behaviour === 'graphql-errors') return answer(200, { errors: [{ message: 'Cannot query field "activities"' }] });
        const data = query.includes('activities')
          ? page(Number(variables.first ?? 20), typeof variables.after === 'string' ? variables.after : null)
          : { __typename: 'Query' };
        if (behaviour === 'slow') {
          const timer = setTimeout(() => {
            timers.delete(timer);
            answer(200, { data });
          }, options.slowMs ?? 2_000);
          timers.add(timer);
          return;
        }
        answer(200, { data });
      })
      .catch(() => answer(400, { errors: [{ message: 'Bad request' }] }));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    behave: (next) => {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
