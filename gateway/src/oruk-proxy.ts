import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { REQUEST_ID_HEADER } from '@sp/runtime/request-id';
import type { Logger } from '@sp/runtime/logger';

// The open Open Referral UK feed, passed through from the provider subgraph: `/oruk/*` here is
// `/oruk/*` at the provider's origin. The response streams through as it arrives. This is the
// only part of the gateway open to every origin (CORS *): it is public, read-only data.

/** Where the feed is served, on the gateway and on the provider. */
export const ORUK_PATH = '/oruk';

/** The provider did not answer (refused, reset, unreachable). */
export const FEED_UNAVAILABLE = 'FEED_UNAVAILABLE';
/** The provider did not answer within the timeout. */
export const FEED_TIMEOUT = 'FEED_TIMEOUT';

export interface OrukProxyOptions {
  /** The provider subgraph's URL (its GraphQL endpoint); only its origin is used. */
  providerUrl: string;
  logger: Logger;
  /** How long the provider may take to start answering, and to send each next part. Default 10 s. */
  timeoutMs?: number;
}

export type OrukProxy = (request: IncomingMessage, response: ServerResponse, url: URL, requestId: string) => Promise<void>;

/** Request headers worth passing on: content negotiation and caching, nothing that identifies a user. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-language', 'if-none-match', 'if-modified-since', 'user-agent'];

/** Response headers that describe the body; connection-level ones and the provider's CORS are ours to set. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified', 'allow', 'vary'];

class FeedTimeoutError extends Error {
  override name = 'FeedTimeoutError';
}

export function isOrukPath(pathname: string): boolean {
  return pathname === ORUK_PATH || pathname.startsWith(`${ORUK_PATH}/`);
}

function sendError(response: ServerResponse, status: 502 | 504 | 405, code: string, message: string) {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify({ error: { status, code, message } }));
}

function pick(headers: IncomingHttpHeaders, names: readonly string[]) {
  const picked: Record<string, string | string[]> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** Builds the pass-through; `url` is the request URL already parsed (dot segments resolved). */
export function createOrukProxy({ providerUrl, logger, timeoutMs = 10_000 }: OrukProxyOptions): OrukProxy {
  const origin = new URL(providerUrl).origin;
  const send = origin.startsWith('https:') ? httpsRequest : httpRequest;

  return async function proxy(request, response, url, requestId) {
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader(REQUEST_ID_HEADER, requestId);
    if (request.method === 'OPTIONS') {
      response.statusCode = 204;
      response.setHeader('access-control-allow-methods', 'GET, HEAD, OPTIONS');
      response.setHeader('access-control-allow-headers', `accept, content-type, ${REQUEST_ID_HEADER}`);
      response.setHeader('access-control-max-age', '86400');
      response.end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD, OPTIONS');
      sendError(response, 405, 'METHOD_NOT_ALLOWED', 'The ORUK API is read-only: use GET.');
      return;
    }

    const target = new URL(`${url.pathname}${url.search}`, origin);
    const forwardedFor = [request.headers['x-forwarded-for'], request.socket.remoteAddress].filter(Boolean).join(', ');
    const headers = {
      ...pick(request.headers, FORWARDED_REQUEST_HEADERS),
      [REQUEST_ID_HEADER]: requestId,
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
      ...(request.headers.host ? { 'x-forwarded-host': request.headers.host } : {}),
    };

    await new Promise<void>((resolve) => {
      let answered = false;
      const upstream = send(target, { method: request.method, headers });
      // No answer, or no next part of it, within the timeout: give up on the provider.
      const deadline = setTimeout(() => upstream.destroy(new FeedTimeoutError()), timeoutMs);
      upstream.setTimeout(timeoutMs, () => upstream.destroy(new FeedTimeoutError()));
      // The caller went away: stop asking the provider.
      response.once('close', () => {
        if (!response.writableFinished) upstream.destroy();
      });

      upstream.once('response', (answer) => {
        answered = true;
        clearTimeout(deadline);
        response.statusCode = answer.statusCode ?? 502;
        for (const [name, value] of Object.entries(pick(answer.headers, FORWARDED_RESPONSE_HEADERS))) response.setHeader(name, value);
        pipeline(answer, response).then(resolve, (error: unknown) => {
          // Headers are gone already: all we can do is cut the response short.
          logger.warn({ requestId, err: error }, 'ORUK feed: the provider stopped mid-answer');
          response.destroy();
          resolve();
        });
      });

      upstream.once('error', (error) => {
        clearTimeout(deadline);
        // Once the provider has answered, the pipeline above deals with failures.
        if (answered) return;
        if (response.destroyed) {
          resolve();
          return;
        }
        if (error instanceof FeedTimeoutError) {
          logger.warn({ requestId, timeoutMs }, 'ORUK feed: the provider did not answer in time');
          sendError(response, 504, FEED_TIMEOUT, `The directory did not answer within ${timeoutMs / 1000} s. Please try again later.`);
        } else {
          const code = (error as { code?: unknown }).code;
          logger.warn({ requestId, code }, 'ORUK feed: the provider is unreachable');
          sendError(response, 502, FEED_UNAVAILABLE, 'The directory is unavailable right now. Please try again later.');
        }
        resolve();
      });

      upstream.end();
    });
  };
}
