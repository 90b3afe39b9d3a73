import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from './logger';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

export { REQUEST_ID_HEADER, requestIdFrom };

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface RequestInfo {
  requestId: string;
  logger: Logger;
  headers: IncomingMessage['headers'];
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
  const { apollo, logger, readiness, context } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const requestId = requestIdFrom(request.headers);
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
    if (url.pathname !== '/graphql') {
      if (options.routes && (await options.routes(request, response, url, requestLogger))) return;
      return sendJson(response, 404, { error: 'Not found. GraphQL is served at /graphql.' });
    }

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

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }

    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
      context: () => context({ requestId, logger: requestLogger, headers: request.headers }),
    });

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
