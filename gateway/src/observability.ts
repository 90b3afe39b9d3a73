import type { IncomingMessage, ServerResponse } from 'node:http';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST } from 'graphql';
import type { Logger } from '@sp/runtime/logger';
import { safeErrorCode, UNKNOWN_OPERATION } from '@sp/runtime/metrics';
import { ATTR, endServerSpan, startServerSpan } from '@sp/runtime/telemetry';
import { createGatewayMetrics, type GatewayMetrics, type GatewayMetricsOptions } from './metrics';

const TRACER_NAME = '@sp/gateway';
/** Operation names are the caller's to choose; a long one is cut short in logs and spans. */
const MAX_NAME_LENGTH = 100;

/** What one GraphQL request did, gathered from the runtime's hooks; nothing a caller sent is kept. */
interface RequestRecord {
  requestId: string;
  startedAt: number;
  span: Span;
  /** Set once the document is parsed and an operation in it chosen. */
  operation?: { name: string | undefined; type: string };
  errorCodes: Set<string>;
  subgraphs: Set<string>;
}

// Requests are looked up by the Node request (the runtime's hooks see it as `context.req`) and
// by the response (which `sendGraphQLError` in server.ts has to hand). Weak, so nothing outlives a request.
const byRequest = new WeakMap<IncomingMessage, RequestRecord>();
const byResponse = new WeakMap<ServerResponse, RequestRecord>();

/** Notes the code of an error answered outside the runtime (401, 413, 429, 504, ...). */
export function noteErrorCode(response: ServerResponse, code: string): void {
  byResponse.get(response)?.errorCodes.add(safeErrorCode(code));
}

function recordOf(context: unknown): RequestRecord | undefined {
  const req = (context as { req?: IncomingMessage } | undefined)?.req;
  return req ? byRequest.get(req) : undefined;
}

function errorCodesOf(result: unknown): string[] {
  const results = Array.isArray(result) ? result : [result];
  return results.flatMap((one) => {
    const errors = (one as { errors?: ReadonlyArray<{ extensions?: { code?: unknown } }> } | null | undefined)?.errors;
    return Array.isArray(errors) ? errors.map((error) => safeErrorCode(error.extensions?.code)) : [];
  });
}

export interface GatewayObservabilityOptions {
  logger: Logger;
  subgraphNames: readonly string[];
  /** Prometheus metrics; `false` turns them off. */
  metrics: false | GatewayMetricsOptions;
  /** Where GraphQL is served (the SERVER span's route). */
  graphqlPath: string;
}

/**
 * Per-request observability for the gateway, from one record per GraphQL request:
 * - a pino line when the answer is finished: request id, operation name and type, status,
 *   duration, error codes and subgraphs called; never variables, the document, headers,
 *   addresses or the answer;
 * - Prometheus metrics (see metrics.ts);
 * - OpenTelemetry spans when an SDK is registered: a SERVER span per request (a new trace: a
 *   caller's `traceparent` is not trusted) and a CLIENT span per subgraph call, whose
 *   `traceparent` the subgraph continues.
 */
export function createGatewayObservability(options: GatewayObservabilityOptions) {
  const { logger, graphqlPath } = options;
  const metrics: GatewayMetrics | undefined =
    options.metrics === false ? undefined : createGatewayMetrics(options.subgraphNames, options.metrics);
  const tracer = trace.getTracer(TRACER_NAME);

  function finish(record: RequestRecord, response: ServerResponse) {
    const durationMs = performance.now() - record.startedAt;
    const status = response.statusCode;
    const aborted = !response.writableFinished;
    const errorCodes = [...record.errorCodes];
    const operation = record.operation;
    metrics?.observeRequest(
      operation ? metrics.operationLabel(operation.name) : UNKNOWN_OPERATION,
      status,
      durationMs / 1000,
      errorCodes,
    );
    if (errorCodes.length > 0 && record.span.isRecording()) record.span.setAttribute('graphql.error.codes', errorCodes);
    endServerSpan(record.span, status, aborted);
    const line = {
      requestId: record.requestId,
      operationName: operation?.name?.slice(0, MAX_NAME_LENGTH) ?? null,
      operationType: operation?.type ?? null,
      status,
      durationMs: Math.round(durationMs * 10) / 10,
      errorCodes,
      subgraphs: [...record.subgraphs].sort(),
      ...(aborted ? { aborted: true } : {}),
    };
    if (status >= 500) logger.warn(line, 'graphql request');
    else logger.info(line, 'graphql request');
  }

  const plugin: GatewayPlugin = {
    onValidate({ params, context }) {
      const record = recordOf(context);
      if (!record) return;
      const requested = (context as { params?: { operationName?: unknown } }).params?.operationName;
      const chosen = getOperationAST(params.documentAST, typeof requested === 'string' ? requested : undefined);
      if (!chosen) return;
      record.operation = { name: chosen.name?.value, type: chosen.operation };
      if (record.span.isRecording()) {
        record.span.setAttribute(ATTR.GRAPHQL_OPERATION_TYPE, chosen.operation);
        if (chosen.name) record.span.setAttribute(ATTR.GRAPHQL_OPERATION_NAME, chosen.name.value.slice(0, MAX_NAME_LENGTH));
      }
    },
    onSubgraphExecute({ subgraphName, executionRequest }) {
      recordOf(executionRequest.context)?.subgraphs.add(subgraphName);
      if (!metrics) return;
      const startedAt = performance.now();
      return ({ result }) => {
        metrics.observeSubgraph(subgraphName, (performance.now() - startedAt) / 1000, errorCodesOf(result));
      };
    },
    onFetch({ url, executionRequest, fetchFn, setFetchFn }) {
      const record = recordOf(executionRequest?.context);
      if (!record?.span.isRecording()) return;
      const subgraph = executionRequest?.subgraphName ?? 'unknown';
      const target = new URL(url);
      // Wrapping the fetch itself sees failures too (a refused connection never reaches a done hook).
      setFetchFn(async (input, init, ...rest) => {
        const span = tracer.startSpan(
          `subgraph ${subgraph}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              [ATTR.HTTP_REQUEST_METHOD]: init?.method ?? 'POST',
              [ATTR.URL_FULL]: `${target.origin}${target.pathname}`,
              [ATTR.SERVER_ADDRESS]: target.hostname,
              [ATTR.SERVER_PORT]: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
              'graphql.subgraph.name': subgraph,
            },
          },
          trace.setSpan(ROOT_CONTEXT, record.span),
        );
        const headers: Record<string, string> = { ...init?.headers };
        propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
        try {
          const response = await fetchFn(input, { ...init, headers }, ...rest);
          span.setAttribute(ATTR.HTTP_RESPONSE_STATUS_CODE, response.status);
          if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          return response;
        } catch (error) {
          span.setAttribute(ATTR.ERROR_TYPE, error instanceof Error ? error.name : 'Error');
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'the subgraph could not be reached' });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    onResultProcess({ result, serverContext }) {
      const record = recordOf(serverContext);
      if (!record) return;
      for (const code of errorCodesOf(result)) record.errorCodes.add(code);
    },
  };

  return {
    plugin,
    metrics,
    /**
     * Starts observing one GraphQL request; the log line, metrics and span are written when its
     * answer is finished (or the caller hangs up).
     */
    start(request: IncomingMessage, response: ServerResponse, requestId: string) {
      const { span } = startServerSpan(request, { tracerName: TRACER_NAME, route: graphqlPath, continueTrace: false });
      if (span.isRecording()) span.setAttribute('http.request.header.x-request-id', [requestId]);
      const record: RequestRecord = {
        requestId,
        startedAt: performance.now(),
        span,
        errorCodes: new Set(),
        subgraphs: new Set(),
      };
      byRequest.set(request, record);
      byResponse.set(response, record);
      response.once('close', () => finish(record, response));
    },
  };
}

export type GatewayObservability = ReturnType<typeof createGatewayObservability>;
