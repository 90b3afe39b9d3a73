import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SearchHit } from '../../src/search/gateway-client';
import { hit, type FixtureActivity } from './activities';

/**
 * A real HTTP server that answers the two queries the bot sends to the gateway
 * (`searchActivities`, and `__typename` for readiness). Its ranking is deliberately simple:
 * activities score one point for each word of the query they contain, with a few of the
 * synonyms the real search knows ("PD", "MS", "memory problems", "can't get out much").
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
  activities: FixtureActivity[];
  /** How long a 'slow' answer takes. */
  slowMs?: number;
}

async function readJson(request: IncomingMessage): Promise<{ query?: string; variables?: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: string; variables?: Record<string, unknown> };
}

const IGNORED = new Set(['for', 'in', 'near', 'a', 'an', 'the', 'and', 'with', 'of', 'to', 'my', 'me', 'i', 'group', 'class', 'something', 'problems', 'cant', 'get', 'much']);
const SYNONYMS: Array<[RegExp, string]> = [
  [/\bpd\b/g, 'parkinsons'],
  [/\bms\b/g, 'multiple sclerosis'],
  [/\bmemory problems\b/g, 'dementia'],
  [/\bcant get out much\b/g, 'loneliness home'],
  [/\blonely\b/g, 'loneliness'],
];

function normalise(text: string): string {
  return text.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** A stand-in for the real ranking, good enough to tell which query reached it. */
export function fakeSearch(activities: FixtureActivity[], query: string, first: number): SearchHit[] {
  let text = normalise(query);
  for (const [pattern, replacement] of SYNONYMS) text = text.replace(pattern, replacement);
  const terms = text.split(' ').filter((term) => term.length > 0 && !IGNORED.has(term));
  const scored = activities.map((activity) => {
    const haystack = normalise(
      [activity.name, activity.description, activity.town, activity.area, activity.deliveryMode, ...activity.suitableFor].join(' '),
    );
    const matched = terms.filter((term) => ` ${haystack} `.includes(` ${term}`));
    const reasons = [
      ...activity.suitableFor.filter((group) => terms.includes(normalise(group).split(' ')[0] ?? '')).map((group) => `For people with ${group}`),
      ...(activity.town && terms.includes(normalise(activity.town)) ? [`In ${activity.town}`] : []),
      ...(activity.isFree && terms.includes('free') ? ['Free'] : []),
    ];
    return { activity, score: terms.length === 0 ? 0 : matched.length / terms.length, reasons };
  });
  return scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, first)
    .map((entry) => ({ ...hit(entry.activity, entry.reasons), score: entry.score }));
}

export async function startFakeGateway(options: FakeGatewayOptions): Promise<FakeGateway> {
  const requests: FakeGateway['requests'] = [];
  let behaviour: FakeGatewayBehaviour = 'normal';
  const timers = new Set<ReturnType<typeof setTimeout>>();

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
        if (behaviour === 'graphql-errors') return answer(200, { errors: [{ message: 'Cannot query field "searchActivities"' }] });
        const data = query.includes('searchActivities')
          ? { searchActivities: fakeSearch(options.activities, String(variables.query ?? ''), Number(variables.first ?? 10)) }
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
