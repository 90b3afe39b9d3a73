import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';

/** Stable codes a client can act on. The message is for people; the code is for programs. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error the user caused and can put right: shown to them as it is. */
export function userError(code: ErrorCode | (string & {}), message: string, details?: Record<string, unknown>) {
  return new GraphQLError(message, { extensions: { code, expected: true, ...details } });
}

/** Codes the GraphQL servers themselves produce for bad requests; safe to show. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
  originalError?: Error | null;
}

/**
 * Duck-typed rather than `instanceof`: a test runner or a bundler can load two copies of
 * graphql, and an error from one copy must still be recognised by the other.
 */
function isGraphQLErrorLike(error: unknown): error is GraphQLErrorLike {
  return error instanceof Error && (error instanceof GraphQLError || error.name === 'GraphQLError');
}

function isExpected(error: unknown): boolean {
  if (!isGraphQLErrorLike(error)) return false;
  if (error.extensions?.expected === true) return true;
  // Errors raised before execution: parse, validation and variable coercion.
  const code = error.extensions?.code;
  return typeof code === 'string' && REQUEST_ERROR_CODES.has(code);
}

/** Pothos rejects malformed connection arguments (a negative `first`, a bad cursor) this way. */
function isArgumentValidationError(error: unknown): boolean {
  return isGraphQLErrorLike(error) && error.originalError?.name === 'PothosValidationError';
}

/**
 * Keeps expected errors as they are and replaces anything unexpected with a generic message,
 * logging the original with its stack (never the request's variables).
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (isExpected(error)) {
      const { expected: _expected, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (isArgumentValidationError(error)) {
      return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    const original = isGraphQLErrorLike(error) ? (error.originalError ?? error) : error;
    logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving a request');
    return {
      message: 'Something went wrong on our side. Please try again later.',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
