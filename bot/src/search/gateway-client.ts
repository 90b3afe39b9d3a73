import { isIP } from 'node:net';
import { z } from 'zod';

/** Why a call to the gateway failed, for logs and for deciding what to tell the person. */
export type GatewayErrorKind = 'TIMEOUT' | 'UNREACHABLE' | 'HTTP_STATUS' | 'GRAPHQL_ERRORS' | 'BAD_RESPONSE';

export class GatewayError extends Error {
  override name = 'GatewayError';
  /** The first GraphQL error's `extensions.code` (UNAUTHENTICATED, RATE_LIMITED, ...), when there was one. */
  readonly code: string | undefined;
  /** The input field that error is about (`extensions.field`), such as `person.email`. */
  readonly field: string | undefined;
  /** From `extensions.retryAfterSeconds` or the Retry-After header. */
  readonly retryAfterSeconds: number | undefined;
  /** The HTTP status, when the gateway answered. */
  readonly status: number | undefined;

  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    options?: { cause?: unknown; code?: string; field?: string; retryAfterSeconds?: number; status?: number },
  ) {
    super(message, options);
    this.code = options?.code;
    this.field = options?.field;
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.status = options?.status;
  }
}

/** Who a call is made for. */
export interface GatewayCallOptions {
  /** A signed-in professional's bearer token. Never logged, never part of an error message. */
  token?: string;
  /**
   * The chat user's address, sent as `x-forwarded-for` so the gateway counts its rate limits
   * per person rather than for the bot as a whole. Ignored unless it is an IP address.
   */
  clientAddress?: string;
  timeoutMs?: number;
}

/** One hit of the gateway's `searchActivities`, with the fields the bot shows. */
export type SearchHit = z.infer<typeof hitSchema>;
export type GatewayActivity = SearchHit['activity'];

export interface SearchPage {
  hits: SearchHit[];
  /** Hits that did not have the expected shape and were left out. */
  skipped: number;
}

export interface GatewayClient {
  /** The gateway's ranked search for what the person typed, best first. */
  searchActivities(query: string, first: number, call?: GatewayCallOptions): Promise<SearchPage>;
  /**
   * Any operation: resolves with `data`, or throws a GatewayError (with the error's code when
   * the gateway gave one). A partial answer resolves: check the fields you need.
   */
  request(query: string, variables: Record<string, unknown>, call?: GatewayCallOptions): Promise<unknown>;
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

/** The gateway takes at most this many characters of a query. */
export const MAX_QUERY_CHARACTERS = 500;

const SEARCH_QUERY = /* GraphQL */ `
  query BotSearch($query: String!, $first: Int!) {
    searchActivities(query: $query, first: $first) {
      activity {
        id
        name
        email
        url
        organization { name phone email website }
        town
        area
        deliveryMode
        fees
        isFree
        scheduleDescription
        hasPlaces
        venues { capacity { placesRemaining waitingListOpen } }
        evidence(first: 1) { headline }
      }
      score
      reasons
    }
  }
`;

const hitSchema = z.object({
  activity: z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    // Contact details are optional extras: a hit without them is still worth showing.
    email: z.string().nullish(),
    url: z.string().nullish(),
    organization: z.object({
      name: z.string(),
      phone: z.string().nullish(),
      email: z.string().nullish(),
      website: z.string().nullish(),
    }),
    town: z.string().nullable(),
    area: z.string().nullable(),
    deliveryMode: z.enum(['IN_PERSON', 'ONLINE', 'HYBRID', 'TELEPHONE', 'HOME_VISIT']),
    fees: z.string().nullable(),
    isFree: z.boolean(),
    scheduleDescription: z.string().nullable(),
    hasPlaces: z.boolean().nullable(),
    venues: z.array(
      z.object({
        capacity: z.object({ placesRemaining: z.number().int().nullable(), waitingListOpen: z.boolean() }).nullable(),
      }),
    ),
    // Null when the evidence service did not answer: the hit is still worth showing.
    evidence: z.array(z.object({ headline: z.string() })).nullable(),
  }),
  score: z.number(),
  reasons: z.array(z.string()),
});

const searchSchema = z.object({ searchActivities: z.array(z.unknown()) });

const responseSchema = z.object({
  data: z.unknown().optional(),
  errors: z
    .array(
      z
        .object({
          message: z.string(),
          extensions: z
            .object({ code: z.string().optional(), field: z.string().optional(), retryAfterSeconds: z.number().optional() })
            .loose()
            .optional(),
        })
        .loose(),
    )
    .optional(),
});

function retryAfterHeader(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const fetchImpl = options.fetch ?? fetch;

  async function post(query: string, variables: Record<string, unknown>, timeoutMs: number, call: GatewayCallOptions = {}): Promise<unknown> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.clientAddress && isIP(call.clientAddress) !== 0) headers['x-forwarded-for'] = call.clientAddress;
    let response: Response;
    try {
      response = await fetchImpl(options.url, {
        method: 'POST',
        headers,
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
        status: response.status,
      });
    }

    const parsed = responseSchema.safeParse(body);
    if (!parsed.success) {
      throw new GatewayError('BAD_RESPONSE', `The gateway at ${options.url} answered with an unexpected body`);
    }
    const { data, errors } = parsed.data;
    // A partial answer (say, evidence missing because its service is down) is still an answer.
    // One with every root field null is not: a nullable root field that failed (such as
    // `referral(id)` with its service down) comes back as null beside its error.
    const nothing = data == null || (typeof data === 'object' && Object.keys(data).length > 0 && Object.values(data).every((value) => value === null));
    if (errors && errors.length > 0 && nothing) {
      // Error messages from the gateway are about the query, never about a person.
      const messages = errors.map((error) => error.message).join('; ');
      const extensions = errors[0]?.extensions;
      const retryAfterSeconds = extensions?.retryAfterSeconds ?? retryAfterHeader(response);
      throw new GatewayError('GRAPHQL_ERRORS', `The gateway at ${options.url} returned errors: ${messages}`, {
        status: response.status,
        ...(extensions?.code ? { code: extensions.code } : {}),
        ...(extensions?.field ? { field: extensions.field } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      });
    }
    if (!response.ok) {
      throw new GatewayError('HTTP_STATUS', `The gateway at ${options.url} answered HTTP ${response.status}`, { status: response.status });
    }
    if (data == null) {
      throw new GatewayError('BAD_RESPONSE', `The gateway at ${options.url} answered without data`);
    }
    return data;
  }

  return {
    async searchActivities(query, first, call) {
      const data = await post(SEARCH_QUERY, { query: query.slice(0, MAX_QUERY_CHARACTERS), first }, call?.timeoutMs ?? options.timeoutMs, call);
      const parsed = searchSchema.safeParse(data);
      if (!parsed.success) {
        throw new GatewayError('BAD_RESPONSE', `The gateway at ${options.url} answered searchActivities in an unexpected shape`);
      }
      const hits: SearchHit[] = [];
      let skipped = 0;
      for (const raw of parsed.data.searchActivities) {
        const hit = hitSchema.safeParse(raw);
        if (hit.success) hits.push(hit.data);
        else skipped += 1;
      }
      return { hits, skipped };
    },

    request(query, variables, call) {
      return post(query, variables, call?.timeoutMs ?? options.timeoutMs, call);
    },

    async ping(timeoutMs = Math.min(options.timeoutMs, 2000)) {
      await post('query BotReadiness { __typename }', {}, timeoutMs);
    },
  };
}
