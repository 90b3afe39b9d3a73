import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds; from a fast cached answer to the gateway's 30 s request timeout. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Label for a request whose operation has no name. */
export const ANONYMOUS_OPERATION = 'anonymous';
/** Label for a request refused, or unreadable, before an operation was chosen. */
export const UNKNOWN_OPERATION = 'unknown';
/** Label for every operation name after the budget of distinct names is spent. */
export const OTHER_OPERATION = 'other';

const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Caps the distinct values a label may take. Operation names and error codes come from callers
 * (and subgraphs), and every distinct label value is a new time series held in memory for good:
 * the first `max` well-formed values keep their own series, anything later or malformed shares one.
 */
export function createLabelBudget(max: number, pattern: RegExp, overflow: string) {
  const admitted = new Set<string>();
  return (value: string): string => {
    if (admitted.has(value)) return value;
    if (!pattern.test(value) || admitted.size >= max) return overflow;
    admitted.add(value);
    return value;
  };
}

export const operationLabels = (max: number) => createLabelBudget(max, OPERATION_NAME, OTHER_OPERATION);
export const errorCodeLabels = (max: number) => createLabelBudget(max, ERROR_CODE, 'OTHER');

/** A well-formed error code as it is, anything else as `OTHER` (for logs; no budget). */
export function safeErrorCode(code: unknown): string {
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER';
}

let processRegistry: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, event-loop lag, GC), collected once per process however
 * many services it runs (tests run several), and served beside each service's own metrics.
 */
export function sharedProcessRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Answers a Prometheus scrape with the text exposition format. With a token, only a request
 * carrying `Authorization: Bearer <token>` is answered (Prometheus: `authorization.credentials`).
 */
export async function serveMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  registries: readonly Registry[],
  token?: string,
): Promise<void> {
  response.setHeader('cache-control', 'no-store');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.statusCode = 405;
    response.setHeader('allow', 'GET, HEAD');
    response.end();
    return;
  }
  if (token !== undefined && !tokenMatches(request.headers.authorization, token)) {
    response.statusCode = 401;
    response.setHeader('www-authenticate', 'Bearer');
    response.end();
    return;
  }
  const merged = registries.length === 1 ? registries[0]! : Registry.merge([...registries]);
  const text = await merged.metrics();
  response.statusCode = 200;
  response.setHeader('content-type', merged.contentType);
  response.end(request.method === 'HEAD' ? undefined : text);
}

export interface GraphQLServiceMetricsOptions {
  /** Metric name prefix: `gateway` or `subgraph`. */
  prefix: string;
  /** Distinct operation names with their own series; later ones are counted as `other`. Default 200. */
  maxOperationNames?: number;
  /** Distinct error codes with their own series; later ones are counted as `OTHER`. Default 50. */
  maxErrorCodes?: number;
  /** Whether `<prefix>_graphql_errors_total` exists (a service that cannot see its error codes leaves it out). Default true. */
  countErrors?: boolean;
}

/**
 * The request metrics every GraphQL service shares: `<prefix>_graphql_requests_total`,
 * `<prefix>_graphql_request_duration_seconds` and (unless left out) `<prefix>_graphql_errors_total`,
 * each by operation name, in a registry of the service's own.
 */
export function createGraphQLServiceMetrics(options: GraphQLServiceMetricsOptions) {
  const { prefix } = options;
  const registry = new Registry();
  const operationLabel = operationLabels(options.maxOperationNames ?? 200);
  const codeLabel = errorCodeLabels(options.maxErrorCodes ?? 50);
  const requests = new Counter({
    name: `${prefix}_graphql_requests_total`,
    help: 'GraphQL requests answered, by operation name and HTTP status.',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}_graphql_request_duration_seconds`,
    help: 'Time from receiving a GraphQL request to finishing its answer, by operation name.',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = options.countErrors === false ? undefined : new Counter({
    name: `${prefix}_graphql_errors_total`,
    help: 'GraphQL requests answered with an error, by operation name and extensions.code (each code once per request).',
    labelNames: ['operation', 'code'] as const,
    registers: [registry],
  });

  return {
    registry,
    /** The label for an operation name: `anonymous` when undefined, `other` past the budget. */
    operationLabel: (name: string | undefined) => (name === undefined ? ANONYMOUS_OPERATION : operationLabel(name)),
    codeLabel,
    /** Records one answered request; `operation` must already be a label (see `operationLabel`). */
    observe(operation: string, status: number, seconds: number, errorCodes: Iterable<string> = []) {
      requests.inc({ operation, status: String(status) });
      duration.observe({ operation }, seconds);
      if (errors) for (const code of new Set(errorCodes)) errors.inc({ operation, code: codeLabel(code) });
    },
  };
}

export type GraphQLServiceMetrics = ReturnType<typeof createGraphQLServiceMetrics>;
