import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { context } from '@opentelemetry/api';
import type { Logger } from './logger';
import { createGraphQLServiceMetrics, serveMetrics, sharedProcessRegistry, UNKNOWN_OPERATION } from './metrics';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { ATTR, endServerSpan, startServerSpan } from './telemetry';

export { REQUEST_ID_HEADER, requestIdFrom };

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface RequestInfo {
  requestId: string;
  logger: Logger;
  headers: IncomingMessage['headers'];
  /**
   * The TCP peer's address, from the socket when the request arrived (never from a header);
   * undefined if the connection had already gone. With `@sp/runtime/client-address`, the basis
   * for telling who the client is.
   */
  peerAddress: string | undefined;
}

export interface GraphQLHttpServiceOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  logger: Logger;
  /** Checks the service's dependencies; `/health` never calls it. */
  readiness: () => Promise<ReadinessReport>;
  context: (request: RequestInfo) => Promise<TContext>;
  maxBodyBytes?: number;
  /**
   * Extra routes served beside GraphQL (such as a REST feed). Returns true when it answered
   * the request; GraphQL, `/health` and `/ready` take precedence.
   */
  routes?: (request: IncomingMessage, response: ServerResponse, url: URL, requestLogger: Logger) => Promise<boolean>;
  /**
   * Prometheus metrics at `/metrics` (requests and latency by operation name, and the process's
   * own); on by default. Subgraphs are not public, so the endpoint has no token. Error codes are
   * counted at the gateway, which reads every answer anyway.
   */
  metrics?: boolean;
}

export interface RunningService {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`Request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

const LEADING_OPERATION_NAME = /^(?:\s|,|#[^\n]*\n)*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/;

/**
 * The operation's name for metrics and traces: `operationName` when given, else the name of the
 * document's first operation (without parsing the document a second time).
 */
function operationNameOf(body: unknown, url: URL): string | undefined {
  const fields = typeof body === 'object' && body !== null ? (body as { operationName?: unknown; query?: unknown }) : {};
  const given = fields.operationName ?? url.searchParams.get('operationName');
  if (typeof given === 'string' && given !== '') return given;
  const query = fields.query ?? url.searchParams.get('query');
  return typeof query === 'string' ? LEADING_OPERATION_NAME.exec(query)?.[1] : undefined;
}

function graphQLErrorBody(code: string, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * A plain Node HTTP server around Apollo Server: `/graphql`, `/health` (liveness, touches
 * nothing) and `/ready` (checks dependencies). Apollo's own CSRF prevention stays on.
 */
export function createGraphQLHttpService<TContext extends BaseContext>(
  options: GraphQLHttpServiceOptions<TContext>,
) {
  const { apollo, logger, readiness } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const metrics = options.metrics === false ? undefined : createGraphQLServiceMetrics({ prefix: 'subgraph', countErrors: false });
  const metricsRegistries = metrics ? [metrics.registry, sharedProcessRegistry()] : [];

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const requestId = requestIdFrom(request.headers);
    // Read now: once the connection has gone, the socket no longer knows its peer.
    const peerAddress = request.socket.remoteAddress;
    response.setHeader(REQUEST_ID_HEADER, requestId);
    const requestLogger = logger.child({ requestId });
    const url = new URL(request.url ?? '/', 'http://localhost');

    if (url.pathname === '/health') {
      return sendJson(response, 200, { status: 'ok' });
    }
    if (url.pathname === '/ready') {
      const report = await readiness().catch((error: unknown) => ({
        ready: false,
        checks: { readiness: { ok: false, detail: error instanceof Error ? error.message : String(error) } },
      }));
      return sendJson(response, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', ...report });
    }
    if (url.pathname === '/metrics' && metrics) {
      return serveMetrics(request, response, metricsRegistries);
    }
    if (url.pathname !== '/graphql') {
      if (options.routes && (await options.routes(request, response, url, requestLogger))) return;
      return sendJson(response, 404, { error: 'Not found. GraphQL is served at /graphql.' });
    }

    // The gateway is the only caller, so its trace is continued.
    const { span, context: spanContext } = startServerSpan(request, { tracerName: '@sp/runtime', route: '/graphql', continueTrace: true });
    const started = performance.now();
    // `unknown` until the body has been read (a refused or unreadable body never gets further).
    let operationLabel = UNKNOWN_OPERATION;
    response.once('close', () => {
      const aborted = !response.writableFinished;
      metrics?.observe(operationLabel, response.statusCode, (performance.now() - started) / 1000);
      endServerSpan(span, response.statusCode, aborted);
    });

    let body: unknown;
    if (request.method === 'POST') {
      let text: string;
      try {
        text = await readBody(request, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          return sendJson(response, 413, graphQLErrorBody('PAYLOAD_TOO_LARGE', error.message));
        }
        throw error;
      }
      const contentType = request.headers['content-type'] ?? '';
      if (contentType.includes('application/json')) {
        try {
          body = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          return sendJson(response, 400, graphQLErrorBody('BAD_REQUEST', 'The request body is not valid JSON.'));
        }
      } else {
        body = text;
      }
    }

    const named = operationNameOf(body, url);
    if (metrics) operationLabel = metrics.operationLabel(named);
    if (named !== undefined) span.setAttribute(ATTR.GRAPHQL_OPERATION_NAME, named.slice(0, 100));

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }

    // Run inside the span, so spans made while resolving (a database client's, say) are its children.
    const result = await context.with(spanContext, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
        context: () => options.context({ requestId, logger: requestLogger, headers: request.headers, peerAddress }),
      }),
    );

    response.statusCode = result.status ?? 200;
    for (const [name, value] of result.headers) response.setHeader(name, value);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!response.headersSent) {
        sendJson(response, 500, graphQLErrorBody('INTERNAL_SERVER_ERROR', 'Something went wrong on our side.'));
      } else {
        response.end();
      }
    });
  });

  return {
    server,
    /** Starts listening; port 0 picks a free port (tests use it). */
    async listen(port: number, host: string): Promise<RunningService> {
      await apollo.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return {
        server,
        port: address.port,
        url: `http://${shownHost}:${address.port}/graphql`,
        async close() {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          await apollo.stop();
        },
      };
    },
  };
}
