import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram } from 'prom-client';
import { createGraphQLServiceMetrics, LATENCY_BUCKETS, serveMetrics, sharedProcessRegistry } from '@sp/runtime/metrics';

export interface GatewayMetricsOptions {
  /**
   * When set, `/metrics` answers only `Authorization: Bearer <token>` (401 otherwise), for a
   * gateway whose port is reachable from outside and whose `/metrics` is not blocked in front.
   */
  token?: string;
  /** Distinct operation names with series of their own; later names are counted as `other`. Default 200. */
  maxOperationNames?: number;
}

/**
 * The gateway's Prometheus metrics: GraphQL requests, errors and latency by operation name
 * (`gateway_graphql_*`, shared with the subgraphs' shape), each call to a subgraph by subgraph
 * (`gateway_subgraph_*`), and Node's process metrics.
 */
export function createGatewayMetrics(subgraphNames: readonly string[], options: GatewayMetricsOptions = {}) {
  const graphql = createGraphQLServiceMetrics({
    prefix: 'gateway',
    ...(options.maxOperationNames !== undefined ? { maxOperationNames: options.maxOperationNames } : {}),
  });
  const { registry } = graphql;
  // Subgraph names come from the supergraph, so they are already a short, fixed list.
  const known = new Set(subgraphNames);
  const subgraphLabel = (name: string) => (known.has(name) ? name : 'other');
  const subgraphRequests = new Counter({
    name: 'gateway_subgraph_requests_total',
    help: 'Requests the gateway made to each subgraph.',
    labelNames: ['subgraph'] as const,
    registers: [registry],
  });
  const subgraphDuration = new Histogram({
    name: 'gateway_subgraph_request_duration_seconds',
    help: 'Time each subgraph request took, including reading its answer.',
    labelNames: ['subgraph'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const subgraphErrors = new Counter({
    name: 'gateway_subgraph_errors_total',
    help:
      'Subgraph requests answered with an error, by subgraph and code (SUBREQUEST_HTTP_ERROR: unreachable or not GraphQL; ' +
      "GATEWAY_TIMEOUT: too slow; otherwise the subgraph's own code). Each code once per request.",
    labelNames: ['subgraph', 'code'] as const,
    registers: [registry],
  });
  const registries = [registry, sharedProcessRegistry()];

  return {
    operationLabel: graphql.operationLabel,
    observeRequest: graphql.observe,
    observeSubgraph(name: string, seconds: number, errorCodes: Iterable<string>) {
      const subgraph = subgraphLabel(name);
      subgraphRequests.inc({ subgraph });
      subgraphDuration.observe({ subgraph }, seconds);
      for (const code of new Set(errorCodes)) subgraphErrors.inc({ subgraph, code: graphql.codeLabel(code) });
    },
    serve: (request: IncomingMessage, response: ServerResponse) => serveMetrics(request, response, registries, options.token),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
