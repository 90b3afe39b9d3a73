import { GraphQLError } from 'graphql';

/** A subgraph a query needed could not be reached or did not answer in time. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/** Codes Hive gives a subgraph request that failed at the HTTP level or timed out. */
const UNAVAILABLE_CODES = new Set(['SUBREQUEST_HTTP_ERROR', 'GATEWAY_TIMEOUT']);

/**
 * Recognises GraphQL errors by name, as Yoga does, not with `instanceof`: graphql 16 ships a
 * CommonJS and an ESM build, and an error made by one copy is not an instance of the other's class.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

function codeOf(error: GraphQLError): string | undefined {
  for (let current: unknown = error; isGraphQLError(current); current = current.originalError) {
    const code = current.extensions?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A GraphQL error we or a subgraph raised on purpose (not a wrapped exception). */
function isOriginalGraphQLError(error: unknown): boolean {
  if (!isGraphQLError(error)) return false;
  return error.originalError == null || isOriginalGraphQLError(error.originalError);
}

/**
 * The gateway's error masking (it replaces Yoga's):
 * - a subgraph that is down or too slow becomes `SUBGRAPH_UNAVAILABLE` with its name, so a
 *   client can tell which part of its data is missing and that retrying later may help;
 * - errors raised as GraphQL errors (validation, and subgraphs' own errors, which the
 *   subgraphs have already masked) pass through with their codes;
 * - anything else becomes a generic `INTERNAL_SERVER_ERROR`. Unlike Yoga's default, nothing of
 *   the original error is shown in development either (it could hold internal addresses).
 * Hive logs the original error before masking.
 */
export function maskGatewayError(error: unknown, message: string): Error {
  if (isGraphQLError(error)) {
    const code = codeOf(error);
    if (code && UNAVAILABLE_CODES.has(code)) {
      const serviceName = error.extensions?.serviceName;
      const named = typeof serviceName === 'string' ? serviceName : undefined;
      return new GraphQLError(
        `The ${named ?? 'upstream'} service is unavailable right now, so part of this request could not be answered. Please try again later.`,
        {
          nodes: error.nodes,
          path: error.path,
          extensions: { code: SUBGRAPH_UNAVAILABLE, ...(named ? { serviceName: named } : {}) },
        },
      );
    }
  }
  if (isOriginalGraphQLError(error)) return error as Error;
  const http = isGraphQLError(error) ? error.extensions?.http : undefined;
  return new GraphQLError(message, {
    ...(isGraphQLError(error) ? { nodes: error.nodes, path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(http ? { http } : {}) },
  });
}
