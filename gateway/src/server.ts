import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { REQUEST_ID_HEADER, requestIdFrom } from '@sp/runtime/request-id';
import type { Logger } from '@sp/runtime/logger';
import { identityFromHeaders } from '@sp/auth/context';
import type { Identity } from '@sp/auth/identity';
import type { TokenVerifier } from '@sp/auth/verifier';
import { maskGatewayError } from './errors';
import { createHiveLogger } from './hive-logger';
import { DEFAULT_LIMITS, documentLimitPlugins, LENGTH_REQUIRED, LIMIT_CODES, type GatewayLimits } from './limits';
import { createRateLimits, RATE_LIMITED, rateLimitedMessage, selfReferralLimitPlugin, type RateLimitOptions } from './rate-limit';
import { createOrukProxy, isOrukPath } from './oruk-proxy';
import type { GatewayMetricsOptions } from './metrics';
import { createGatewayObservability, noteErrorCode } from './observability';
import { createClientAddressResolver } from './client-address';
import { persistedDocumentsRuntimeOptions, type PersistedDocumentsOptions } from './persisted-documents';
import { subgraphTimeoutPlugin } from './subgraph-timeout';
import { readSupergraphSubgraphs } from './supergraph';

export interface GatewayServerOptions {
  /** The composed supergraph SDL (gateway/supergraph.graphql). */
  supergraphSdl: string;
  /**
   * GraphQL URL per subgraph name, overriding the URL written into the supergraph. Names the
   * supergraph does not federate are rejected, so a typo fails at start-up.
   */
  subgraphUrls?: Readonly<Record<string, string>>;
  logger: Logger;
  /**
   * Verifies bearer tokens before anything reaches a subgraph (the subgraphs verify again).
   * Without it the gateway passes tokens through unchecked: tests and tools only.
   */
  verifier?: TokenVerifier;
  /** Document, body-size and time limits; each unset one keeps its default (see limits.ts). */
  limits?: Partial<GatewayLimits>;
  /** Per-client rate limits (token subject, else the client's address); in memory unless given Redis. */
  rateLimit?: RateLimitOptions;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, or `loopback`,
   * `linklocal`, `uniquelocal`): through them, the client is the right-most untrusted address of
   * the header (see client-address.ts). Default none: the client is the TCP peer.
   */
  trustedProxies?: readonly string[];
  /** Persisted documents (trusted operations) clients may run by id; off by default. */
  persistedDocuments?: PersistedDocumentsOptions;
  /**
   * Browser origins allowed to call GraphQL (exact `scheme://host[:port]`). Default none: no
   * CORS headers, so browsers on other origins cannot read answers. The ORUK feed is always `*`.
   */
  corsOrigins?: readonly string[];
  /**
   * Prometheus metrics at `/metrics`, on by default (see metrics.ts); `false` turns collection
   * and the endpoint off. Every GraphQL request is also logged, one line each, whatever this says.
   */
  metrics?: false | GatewayMetricsOptions;
  /** Where GraphQL is served. Default `/graphql`. */
  graphqlPath?: string;
  /** Allow schema introspection. Default false; development turns it on. */
  introspection?: boolean;
  /**
   * Serve GraphiQL on GET `graphqlPath` from a browser. Default false. The page is built from
   * `@graphql-yoga/render-graphiql`, which inlines GraphiQL, so it loads nothing from a CDN.
   */
  graphiql?: boolean;
  /** How long one subgraph request may take before it fails. Default 10 s. */
  upstreamTimeoutMs?: number;
  /** How long `/ready` waits for each subgraph's `/health`. Default 2 s. */
  readinessTimeoutMs?: number;
  /**
   * Share one subgraph response between identical subgraph queries in flight at the same
   * time. Hive turns this on by default; we turn it off (it flatters benchmarks and can hand one
   * caller's response to another if a subgraph ever varies on a header the key does not cover).
   */
  deduplicateInflightRequests?: boolean;
  /** How long `close()` lets in-flight requests finish before cutting them off. Default 5 s. */
  shutdownGraceMs?: number;
  /** How long the provider may take to start, and to continue, an answer to `/oruk/*`. Default 10 s. */
  feedTimeoutMs?: number;
}

export interface SubgraphState {
  ok: boolean;
  /** Why it is not ready; never contains URLs or request data. */
  detail?: string;
}

export interface GatewayReadiness {
  ready: boolean;
  checks: Record<string, SubgraphState>;
}

export interface ListeningGateway {
  url: string;
  port: number;
}

export interface GatewayServer {
  /** The Node HTTP server; not listening until `listen()`. */
  server: Server;
  runtime: GatewayRuntime;
  /** Each federated subgraph with the URL the gateway uses for it. */
  subgraphs: ReadonlyArray<{ name: string; url: string }>;
  checkReadiness(): Promise<GatewayReadiness>;
  /** Loads the supergraph (failing fast if it is unusable), then listens; port 0 picks a free port. */
  listen(port: number, host: string): Promise<ListeningGateway>;
  /** Stops accepting requests, lets in-flight ones finish (up to the grace period), disposes the runtime. */
  close(): Promise<void>;
}

/** Clients that cannot send JSON must send one of these headers (Yoga's and Apollo's names). */
const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-apollo-operation-name'];

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify(body));
}

/** A GraphQL-shaped error answer for requests refused before the GraphQL runtime sees them. */
function sendGraphQLError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  noteErrorCode(response, code);
  sendJson(response, status, { errors: [{ message, extensions: { code, ...extensions } }] });
}

function graphQLErrorFields(error: unknown): { message: string; extensions: Record<string, unknown> } | undefined {
  if (!(error instanceof Error) || error.name !== 'GraphQLError') return undefined;
  const extensions = (error as { extensions?: Record<string, unknown> }).extensions ?? {};
  return { message: error.message, extensions };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

function resolveSubgraphs(supergraphSdl: string, overrides: Readonly<Record<string, string>>) {
  const subgraphs = readSupergraphSubgraphs(supergraphSdl);
  const known = new Set(subgraphs.map((subgraph) => subgraph.name));
  const unknown = Object.keys(overrides).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `subgraphUrls names subgraph(s) the supergraph does not federate: ${unknown.join(', ')} ` +
        `(it federates: ${[...known].join(', ')})`,
    );
  }
  return subgraphs.map(({ name, url }) => {
    const chosen = overrides[name] ?? url;
    if (!URL.canParse(chosen)) throw new Error(`The URL for subgraph "${name}" is not a valid URL: ${chosen}`);
    return { name, url: chosen };
  });
}

/** A short, URL-free reason a probe failed: the socket error code, a timeout, or the status. */
function describeProbeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return `unreachable (${cause.code})`;
  return 'unreachable';
}

/**
 * Builds the federated GraphQL endpoint (does not listen): the Hive Gateway runtime with the
 * Rust query planner over a static supergraph, plus `/health` (touches nothing) and `/ready`
 * (asks each subgraph's `/health`). A subgraph being down never stops the gateway starting;
 * queries that need it return partial data and an error.
 */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  const { supergraphSdl, logger } = options;
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2_000;
  const shutdownGraceMs = options.shutdownGraceMs ?? 5_000;
  const subgraphs = resolveSubgraphs(supergraphSdl, options.subgraphUrls ?? {});
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...definedOnly(options.limits ?? {}) };
  const rateLimits = createRateLimits(options.rateLimit ?? {}, logger.child({ component: 'rate-limit' }));
  const clientKeys = new WeakMap<IncomingMessage, string>();
  const resolveClientAddress = createClientAddressResolver(options.trustedProxies ?? []);
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const observability = createGatewayObservability({
    logger,
    subgraphNames: subgraphs.map((subgraph) => subgraph.name),
    metrics: options.metrics ?? {},
    graphqlPath,
  });
  // The open ORUK feed at /oruk/, passed through from the provider subgraph's origin.
  const provider = subgraphs.find((subgraph) => subgraph.name === 'provider');
  const orukProxy = provider
    ? createOrukProxy({ providerUrl: provider.url, logger: logger.child({ component: 'oruk-feed' }), timeoutMs: options.feedTimeoutMs })
    : undefined;

  const transportOptions = { deduplicateInflightRequests: options.deduplicateInflightRequests ?? false };
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    unifiedGraphHandler,
    // Given explicitly: Hive otherwise imports the transport by name at the first query.
    transports: { http: httpTransport },
    // Observability first, so it sees every request, including those the limits refuse.
    // The subgraph timeout is our plugin rather than Hive's `upstreamTimeout` option, which costs
    // far more CPU per subgraph call (see subgraph-timeout.ts).
    plugins: () => [
      observability.plugin,
      ...documentLimitPlugins(limits),
      selfReferralLimitPlugin(rateLimits, clientKeys),
      subgraphTimeoutPlugin(options.upstreamTimeoutMs ?? 10_000),
    ],
    transportEntries: Object.fromEntries(
      subgraphs.map(({ name, url }) => [name, { location: url, options: transportOptions }]),
    ),
    graphqlEndpoint: graphqlPath,
    logging: createHiveLogger(logger.child({ component: 'hive' })),
    landingPage: false,
    graphiql: options.graphiql ?? false,
    ...(options.graphiql ? { renderGraphiQL } : {}),
    ...(options.introspection ? {} : { disableIntrospection: {} }),
    maskedErrors: { maskError: maskGatewayError, errorMessage: 'Something went wrong on our side. Please try again later.' },
    csrfPrevention: { requestHeaders: CSRF_HEADERS },
    // CORS for GraphQL is answered in front of the runtime (see applyCors), so refusals carry it too.
    cors: false,
    ...(options.persistedDocuments ? { persistedDocuments: persistedDocumentsRuntimeOptions(options.persistedDocuments) } : {}),
    // Hive takes the id from this header (we have already checked or replaced it), logs with it,
    // sends it to every subgraph and sets it on the response.
    requestId: { headerName: REQUEST_ID_HEADER },
    // Subgraphs verify the caller's token themselves; that header and the client's address go through.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => {
        const authorization = request.headers.get('authorization');
        const forwardedFor = request.headers.get('x-forwarded-for');
        return { ...(authorization ? { authorization } : {}), ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) };
      },
    },
  });

  async function probe(url: string, requestId: string): Promise<SubgraphState> {
    const healthUrl = new URL('/health', url);
    try {
      const response = await fetch(healthUrl, {
        headers: { [REQUEST_ID_HEADER]: requestId },
        signal: AbortSignal.timeout(readinessTimeoutMs),
      });
      await response.body?.cancel();
      return response.ok ? { ok: true } : { ok: false, detail: `health check answered ${response.status}` };
    } catch (error) {
      return { ok: false, detail: describeProbeFailure(error, readinessTimeoutMs) };
    }
  }

  async function checkReadiness(requestId = requestIdFrom({})): Promise<GatewayReadiness> {
    const states = await Promise.all(subgraphs.map(({ url }) => probe(url, requestId)));
    const checks = Object.fromEntries(subgraphs.map(({ name }, index) => [name, states[index] as SubgraphState]));
    return { ready: states.every((state) => state.ok), checks };
  }

  /**
   * Who is asking, or undefined after answering 401 (a token that cannot be trusted) or 500 (the
   * identity provider could not be asked). No subgraph is called for a refused token.
   */
  async function identify(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<Identity | undefined> {
    if (!options.verifier) return { kind: 'public' };
    try {
      return await identityFromHeaders(request.headers, options.verifier);
    } catch (error) {
      const fields = graphQLErrorFields(error);
      if (fields?.extensions.code === 'UNAUTHENTICATED') {
        logger.info({ requestId, reason: fields.extensions.reason }, 'refused a sign-in token');
        response.setHeader('www-authenticate', 'Bearer');
        sendGraphQLError(response, 401, 'UNAUTHENTICATED', fields.message, { reason: fields.extensions.reason });
        return undefined;
      }
      logger.error({ requestId, err: error }, 'could not verify a sign-in token');
      sendGraphQLError(response, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side. Please try again later.');
      return undefined;
    }
  }

  /**
   * Sets CORS headers for an allowed origin; answers a preflight (OPTIONS) itself. Returns true
   * when the request has been answered.
   */
  function applyCors(request: IncomingMessage, response: ServerResponse): boolean {
    const origin = request.headers.origin;
    response.setHeader('vary', 'Origin');
    const allowed = typeof origin === 'string' && corsOrigins.has(origin);
    if (allowed) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('access-control-expose-headers', `${REQUEST_ID_HEADER}, retry-after`);
    }
    if (request.method !== 'OPTIONS') return false;
    if (allowed) {
      response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      response.setHeader(
        'access-control-allow-headers',
        ['accept', 'authorization', 'content-type', REQUEST_ID_HEADER, ...CSRF_HEADERS].join(', '),
      );
      response.setHeader('access-control-max-age', '600');
    }
    response.statusCode = 204;
    response.end();
    return true;
  }

  /** Refuses (413, or 411 without a length) a body larger than the limit, before it is read. */
  function checkBodySize(request: IncomingMessage, response: ServerResponse): boolean {
    const declared = request.headers['content-length'];
    if (declared === undefined) {
      if (request.headers['transfer-encoding'] === undefined) return true; // no body (GET, OPTIONS)
      sendGraphQLError(response, 411, LENGTH_REQUIRED, 'Send the request with a Content-Length header.');
      request.resume();
      return false;
    }
    if (Number(declared) > limits.maxBodyBytes) {
      // Discard (never buffer) what is still coming, and close the connection once the answer is
      // out (set first: headers cannot change once the answer is sent).
      response.setHeader('connection', 'close');
      sendGraphQLError(
        response,
        413,
        LIMIT_CODES.maxBodyBytes,
        `The request body is larger than the limit of ${limits.maxBodyBytes} bytes.`,
      );
      request.resume();
      return false;
    }
    return true;
  }

  /**
   * Runs the request through the GraphQL runtime, answering 504 REQUEST_TIMEOUT if it has not
   * started to answer in time. The runtime's late answer is then discarded (subgraph calls are
   * bounded by their own upstream timeout).
   */
  async function runWithTimeout(request: IncomingMessage, response: ServerResponse, requestId: string) {
    let timedOut = false;
    const timer = setTimeout(() => {
      if (response.headersSent) return;
      timedOut = true;
      logger.warn({ requestId, timeoutMs: limits.requestTimeoutMs }, 'request timed out');
      response.setHeader('connection', 'close');
      sendGraphQLError(
        response,
        504,
        LIMIT_CODES.requestTimeoutMs,
        `The request took longer than ${limits.requestTimeoutMs} ms and was stopped. Please try again later.`,
      );
    }, limits.requestTimeoutMs);
    try {
      // requestListener writes the runtime's response to the Node response (unlike handleNodeRequestAndResponse).
      await runtime.requestListener(request, response);
    } catch (error) {
      if (!timedOut) throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    // One well-formed id per request: the caller's if it is well formed, else a new one.
    const requestId = requestIdFrom(request.headers);
    request.headers[REQUEST_ID_HEADER] = requestId;
    // Subgraphs limit the public per client by the last X-Forwarded-For entry: make it the client
    // we settled on (the connection's address, or what a trusted proxy said), whatever was claimed.
    const { client, forwardedFor } = resolveClientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for']);
    request.headers['x-forwarded-for'] = forwardedFor;
    // GraphQL requests skip the URL parser (one of the costs per request); any other target is
    // parsed, and a GraphQL path written differently (`/./graphql`) is still recognised through it.
    const target = request.url ?? '/';
    const isGraphQL = target === graphqlPath || target.startsWith(`${graphqlPath}?`);
    const url = isGraphQL ? undefined : new URL(target, 'http://gateway.invalid');

    if (url === undefined || url.pathname === graphqlPath) {
      response.setHeader(REQUEST_ID_HEADER, requestId);
      if (applyCors(request, response)) return;
      observability.start(request, response, requestId);
      if (!checkBodySize(request, response)) return;
      const identity = await identify(request, response, requestId);
      if (!identity) return;
      // Signed-in users are limited by who they are; the public by the client's address.
      const clientKey = identity.kind === 'user' ? `user:${identity.subject}` : `ip:${client}`;
      clientKeys.set(request, clientKey);
      const decision = await rateLimits.general(clientKey);
      if (!decision.allowed) {
        response.setHeader('retry-after', String(decision.retryAfterSeconds));
        sendGraphQLError(response, 429, RATE_LIMITED, rateLimitedMessage(decision.retryAfterSeconds), {
          retryAfterSeconds: decision.retryAfterSeconds,
        });
        return;
      }
      await runWithTimeout(request, response, requestId);
      return;
    }
    const { pathname } = url;
    response.setHeader(REQUEST_ID_HEADER, requestId);
    if (orukProxy && isOrukPath(pathname)) {
      return orukProxy(request, response, url, requestId);
    }
    if (pathname === '/metrics' && observability.metrics) {
      return observability.metrics.serve(request, response);
    }
    if (pathname === '/health') {
      return sendJson(response, 200, { status: 'ok' });
    }
    if (pathname === '/ready') {
      const report = await checkReadiness(requestId);
      if (!report.ready) {
        const down = Object.entries(report.checks).filter(([, state]) => !state.ok);
        logger.warn({ requestId, down: Object.fromEntries(down) }, 'not ready: subgraph(s) unreachable');
      }
      return sendJson(response, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', ...report });
    }
    return sendJson(response, 404, { error: `Not found. GraphQL is served at ${graphqlPath}.` });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!response.headersSent) {
        noteErrorCode(response, 'INTERNAL_SERVER_ERROR');
        sendJson(response, 500, { errors: [{ message: 'Something went wrong on our side.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      } else {
        response.end();
      }
    });
  });

  let closing: Promise<void> | undefined;

  async function stopServer() {
    if (!server.listening) return;
    await new Promise<void>((resolve) => {
      const cutOff = setTimeout(() => server.closeAllConnections(), shutdownGraceMs);
      cutOff.unref();
      server.close(() => {
        clearTimeout(cutOff);
        resolve();
      });
      server.closeIdleConnections();
    });
  }

  return {
    server,
    runtime,
    subgraphs,
    checkReadiness: () => checkReadiness(),
    async listen(port, host) {
      // Builds the schema and query planner now, so a broken supergraph stops start-up here.
      await runtime.getSchema();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return { port: address.port, url: `http://${shownHost}:${address.port}${graphqlPath}` };
    },
    close() {
      closing ??= (async () => {
        await stopServer();
        await runtime.dispose();
      })();
      return closing;
    },
  };
}
