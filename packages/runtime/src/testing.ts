import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createLogger, type Logger } from './logger';

export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** Posts a GraphQL operation as a real client would and returns the parsed response. */
export async function graphqlRequest<TData = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: TData | null; errors?: GraphQLResponse['errors'] };
  return { status: response.status, headers: response.headers, ...body };
}

/** A logger for tests: silent unless LOG_LEVEL asks for more. */
export function createTestLogger(name = 'test'): Logger {
  return createLogger({ name, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** A logger at `level` whose lines are kept, for tests that read what was logged. */
export function createCapturingLogger(name = 'test', level = 'info') {
  const chunks: string[] = [];
  const logger = createLogger({ name, level, destination: { write: (chunk: string) => void chunks.push(chunk) } });
  return {
    logger,
    /** Everything logged so far, as written. */
    text: () => chunks.join(''),
    /** Each line, parsed. */
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export interface CollectedSpan {
  serviceName: string | undefined;
  /** The instrumentation scope (tracer name). */
  scope: string | undefined;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
}

/**
 * A stand-in OpenTelemetry collector: OTLP/HTTP with JSON bodies on 127.0.0.1 (port 0),
 * keeping every span it is sent. `endpoint` is what OTEL_EXPORTER_OTLP_ENDPOINT would be.
 */
export async function startTestCollector() {
  const spans: CollectedSpan[] = [];
  const paths: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      paths.push(request.url ?? '');
      let raw = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const body = JSON.parse(raw.toString('utf8') || '{}') as {
        resourceSpans?: Array<{
          resource?: { attributes?: OtlpAttribute[] };
          scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<Record<string, unknown>> }>;
        }>;
      };
      for (const resourceSpan of body.resourceSpans ?? []) {
        const serviceName = attributesOf(resourceSpan.resource?.attributes)['service.name'] as string | undefined;
        for (const scopeSpan of resourceSpan.scopeSpans ?? []) {
          for (const span of scopeSpan.spans ?? []) {
            spans.push({
              serviceName,
              scope: scopeSpan.scope?.name,
              traceId: span.traceId as string,
              spanId: span.spanId as string,
              parentSpanId: (span.parentSpanId as string | undefined) || undefined,
              name: span.name as string,
              kind: span.kind as number,
              attributes: attributesOf(span.attributes as OtlpAttribute[] | undefined),
              status: (span.status as CollectedSpan['status'] | undefined) ?? {},
            });
          }
        }
      }
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    /** The request paths spans were posted to. */
    paths,
    /** Resolves once `predicate` holds for the spans received, or rejects after `timeoutMs`. */
    async waitFor(predicate: (spans: CollectedSpan[]) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(spans)) {
        if (Date.now() > deadline) throw new Error(`the collector did not receive the expected spans; it has: ${JSON.stringify(spans.map((span) => span.name))}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
