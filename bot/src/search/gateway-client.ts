import { z } from 'zod';
import type { Activity } from './activity-search';

/** Why a call to the gateway failed, for logs and for deciding what to tell the person. */
export type GatewayErrorKind = 'TIMEOUT' | 'UNREACHABLE' | 'HTTP_STATUS' | 'GRAPHQL_ERRORS' | 'BAD_RESPONSE';

export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ActivityPage {
  activities: Activity[];
  /** Records on the page that did not have the expected shape and were left out. */
  skipped: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface GatewayClient {
  /** One page of the directory, in the gateway's order. */
  activitiesPage(first: number, after: string | null): Promise<ActivityPage>;
  /** Resolves when the gateway answers a trivial query; throws a GatewayError otherwise. */
  ping(timeoutMs?: number): Promise<void>;
}

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** How long one request may take before it is abandoned. */
  timeoutMs: number;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

const ACTIVITIES_PAGE_QUERY = /* GraphQL */ `
  query BotDirectoryPage($first: Int!, $after: String) {
    activities(first: $first, after: $after) {
      edges {
        node {
          id
          name
          description
          deliveryMode
          town
          area
          isFree
          costDescription
          scheduleDescription
          suitableFor
          organization { id name }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const activitySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  deliveryMode: z.enum(['IN_PERSON', 'ONLINE', 'HYBRID', 'TELEPHONE', 'HOME_VISIT']),
  town: z.string().nullable(),
  area: z.string().nullable(),
  isFree: z.boolean(),
  costDescription: z.string().nullable(),
  scheduleDescription: z.string().nullable(),
  suitableFor: z.array(z.string()),
  organization: z.object({ id: z.string(), name: z.string() }),
});

const pageSchema = z.object({
  activities: z.object({
    edges: z.array(z.object({ node: z.unknown() })),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  }),
});

const responseSchema = z.object({
  data: z.unknown().optional(),
  errors: z.array(z.object({ message: z.string() }).loose()).optional(),
});

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const fetchImpl = options.fetch ?? fetch;

  async function post(query: string, variables: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchImpl(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new GatewayError('TIMEOUT', `The gateway at ${options.url} did not answer within ${timeoutMs} ms`, {
          cause: error,
        });
      }
      throw new GatewayError('UNREACHABLE', `Could not reach the gateway at ${options.url}`, { cause: error });
    }

    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      const kind = response.ok ? 'BAD_RESPONSE' : 'HTTP_STATUS';
      throw new GatewayError(kind, `The gateway at ${options.url} answered HTTP ${response.status} without JSON`, {
        cause: error,
      });
    }

    const parsed = responseSchema.safeParse(body);
    if (!parsed.success) {
      throw new GatewayError('BAD_RESPONSE', `The gateway at ${options.url} answered with an unexpected body`);
    }
    const { data, errors } = parsed.data;
    if (errors && errors.length > 0) {
      // Error messages from the gateway are about the query, never about a person.
      const messages = errors.map((error) => error.message).join('; ');
      throw new GatewayError('GRAPHQL_ERRORS', `The gateway at ${options.url} returned errors: ${messages}`);
    }
    if (!response.ok) {
      throw new GatewayError('HTTP_STATUS', `The gateway at ${options.url} answered HTTP ${response.status}`);
    }
    if (data == null) {
      throw new GatewayError('BAD_RESPONSE', `The gateway at ${options.url} answered without data`);
    }
    return data;
  }

  return {
    async activitiesPage(first, after) {
      const data = await post(ACTIVITIES_PAGE_QUERY, { first, after }, options.timeoutMs);
      const page = pageSchema.safeParse(data);
      if (!page.success) {
        throw new GatewayError('BAD_RESPONSE', `The gateway at ${options.url} answered activities in an unexpected shape`);
      }
      const activities: Activity[] = [];
      let skipped = 0;
      for (const edge of page.data.activities.edges) {
        const node = activitySchema.safeParse(edge.node);
        if (node.success) activities.push(node.data);
        else skipped += 1;
      }
      const { hasNextPage, endCursor } = page.data.activities.pageInfo;
      return { activities, skipped, hasNextPage, endCursor };
    },

    async ping(timeoutMs = Math.min(options.timeoutMs, 2000)) {
      await post('query BotReadiness { __typename }', {}, timeoutMs);
    },
  };
}
