import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { createGraphQLHttpService, type GraphQLHttpServiceOptions, type RunningService } from '@sp/runtime/http';
import { createLogger } from '@sp/runtime/logger';
import { GraphQLError, parse } from 'graphql';
import type { SubgraphSchema } from '../../src/supergraph';

/**
 * Three small subgraphs shaped like the real ones: provider owns Activity, referral and
 * evidence extend it by key. Each is a real Apollo subgraph behind the same HTTP service the
 * real subgraphs use (/graphql, /health, /ready, x-request-id).
 */

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])';

const activities = [
  { id: 'a1', name: 'Walking group' },
  { id: 'a2', name: 'Community garden' },
];

interface Definition {
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
}

const definitions: Record<'provider' | 'referral' | 'evidence', Definition> = {
  provider: {
    typeDefs: `${FEDERATION}
      type Query {
        activity(id: ID!): Activity
        activities: [Activity!]!
      }
      type Activity @key(fields: "id") {
        id: ID!
        name: String!
      }`,
    resolvers: {
      Query: {
        activity: (_: unknown, { id }: { id: string }) => {
          if (id === 'missing') {
            throw new GraphQLError('There is no activity with that id.', { extensions: { code: 'NOT_FOUND' } });
          }
          return activities.find((activity) => activity.id === id) ?? null;
        },
        activities: () => activities,
      },
      Activity: {
        __resolveReference: ({ id }: { id: string }) => activities.find((activity) => activity.id === id) ?? null,
      },
    },
  },
  referral: {
    typeDefs: `${FEDERATION}
      type Query {
        referral(id: ID!): Referral
      }
      type Mutation {
        createSelfReferral(activityId: ID!): Referral!
      }
      type Referral {
        id: ID!
        activity: Activity!
      }
      type Activity @key(fields: "id") {
        id: ID!
        referralCount: Int
      }`,
    resolvers: {
      Query: {
        referral: (_: unknown, { id }: { id: string }) => ({ id, activity: { id: 'a1' } }),
      },
      Mutation: {
        createSelfReferral: (_: unknown, { activityId }: { activityId: string }) => ({ id: 'r-new', activity: { id: activityId } }),
      },
      Activity: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        referralCount: ({ id }: { id: string }) => (id === 'a1' ? 3 : 0),
      },
    },
  },
  evidence: {
    typeDefs: `${FEDERATION}
      type Activity @key(fields: "id") {
        id: ID!
        evidence: [EvidenceRecord!]
      }
      type EvidenceRecord {
        id: ID!
        summary: String!
      }`,
    resolvers: {
      Activity: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        evidence: ({ id }: { id: string }) => [{ id: `e-${id}`, summary: `Evidence for ${id}` }],
      },
    },
  },
};

export type TestSubgraphName = keyof typeof definitions;

export interface TestSubgraph {
  name: TestSubgraphName;
  url: string;
  /** Request ids this subgraph received from the gateway, in order. */
  requestIds: string[];
  /** The x-forwarded-for header of each request, in order. */
  forwardedFor: Array<string | undefined>;
  stop(): Promise<void>;
}

function schemaFor(name: TestSubgraphName) {
  const { typeDefs, resolvers } = definitions[name];
  return buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers });
}

/** The printed SDL of each test subgraph, as the real subgraphs commit it. */
export function testSubgraphSchemas(urls: Partial<Record<TestSubgraphName, string>> = {}): SubgraphSchema[] {
  return (Object.keys(definitions) as TestSubgraphName[]).map((name) => ({
    name,
    url: urls[name] ?? `http://127.0.0.1:1/${name}/graphql`,
    sdl: printSubgraphSchema(schemaFor(name)),
  }));
}

export interface TestSubgraphOptions {
  /** Holds every response this long, so requests overlap. */
  delayMs?: number;
  /** Extra routes beside GraphQL, as the real provider serves its ORUK feed. */
  routes?: GraphQLHttpServiceOptions<object>['routes'];
}

export async function startTestSubgraph(name: TestSubgraphName, options: TestSubgraphOptions = {}): Promise<TestSubgraph> {
  const requestIds: string[] = [];
  const forwardedFor: Array<string | undefined> = [];
  const logger = createLogger({ name: `test-${name}`, level: 'silent' });
  const { delayMs = 0, routes } = options;
  const delay = {
    async requestDidStart() {
      return {
        async willSendResponse() {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        },
      };
    },
  };
  const apollo = new ApolloServer({ schema: schemaFor(name), plugins: [ApolloServerPluginInlineTraceDisabled(), delay] });
  const service = createGraphQLHttpService({
    apollo,
    logger,
    readiness: async () => ({ ready: true, checks: {} }),
    context: async ({ requestId, headers }) => {
      requestIds.push(requestId);
      forwardedFor.push(headers['x-forwarded-for'] as string | undefined);
      return {};
    },
    ...(routes ? { routes } : {}),
  });
  const running: RunningService = await service.listen(0, '127.0.0.1');
  let stopped: Promise<void> | undefined;
  return {
    name,
    url: running.url,
    requestIds,
    forwardedFor,
    stop: () => (stopped ??= running.close()),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port that was free a moment ago). */
export async function unusedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}
