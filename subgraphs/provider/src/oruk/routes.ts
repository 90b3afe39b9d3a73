import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderClient } from '@sp/prisma/provider';
import type { Logger } from '@sp/runtime/logger';
import { OrukRequestError, parsePaging, parseServiceFilters, type Paging } from './params';
import { createOrukQueries } from './queries';
import {
  apiInfo,
  serviceAtLocationListItemToOruk,
  serviceAtLocationToOruk,
  serviceListItemToOruk,
  serviceToOruk,
  taxonomyTermToOruk,
  taxonomyToOruk,
} from './to-oruk';

// The open Open Referral UK 3.0 API over the directory, served beside GraphQL by the provider:
// read-only JSON, CORS open to every origin, only active listings.

export interface OrukRoutesOptions {
  db: ProviderClient;
  logger: Logger;
  /** Where the API is mounted. Default "/oruk". */
  basePath?: string;
}

/** The `routes` option of the subgraph HTTP service: answers requests under the base path. */
export type OrukRoutes = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  requestLogger: Logger,
) => Promise<boolean>;

const ENDPOINTS =
  'GET /, /services, /services/{id}, /service_at_locations, /service_at_locations/{id}, /taxonomies, ' +
  '/taxonomies/{id}, /taxonomy_terms and /taxonomy_terms/{id}';

function send(response: ServerResponse, status: number, body: unknown) {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('access-control-allow-origin', '*');
  response.setHeader('cache-control', status === 200 ? 'public, max-age=60' : 'no-store');
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: OrukRequestError) {
  if (error.status === 405) response.setHeader('allow', 'GET, HEAD, OPTIONS');
  send(response, error.status, {
    error: { status: error.status, code: error.code, message: error.message, ...(error.parameter ? { parameter: error.parameter } : {}) },
  });
}

/** The ORUK page envelope around one page of contents. */
function page(total: number, paging: Paging, contents: unknown[]) {
  const totalPages = Math.ceil(total / paging.perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: paging.page,
    size: contents.length,
    first_page: paging.page === 1,
    last_page: paging.page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

const notFound = (what: string, id: string) =>
  new OrukRequestError(404, 'NOT_FOUND', `There is no ${what} with id "${id}" in this directory (or it is not active).`);

/** Builds the ORUK API handler for `createSubgraphHttpService({ routes })`. */
export function createOrukRoutes({ db, logger, basePath = '/oruk' }: OrukRoutesOptions): OrukRoutes {
  const base = basePath.replace(/\/+$/, '');
  const queries = createOrukQueries(db);
  logger.debug({ basePath: base }, 'ORUK 3.0 API mounted');

  async function answer(segments: string[], params: URLSearchParams): Promise<unknown> {
    const [collection, id, ...extra] = segments;
    if (extra.length > 0 || (id !== undefined && (id === '' || id.length > 200))) {
      throw new OrukRequestError(404, 'NOT_FOUND', `Nothing is served at this path. The API offers ${ENDPOINTS}.`);
    }
    switch (collection) {
      case undefined:
        return apiInfo();
      case 'services': {
        if (id !== undefined) {
          const service = await queries.getService(id);
          if (!service) throw notFound('service', id);
          return serviceToOruk(service);
        }
        const paging = parsePaging(params);
        const { total, records } = await queries.listServices(parseServiceFilters(params), paging);
        return page(total, paging, records.map(serviceListItemToOruk));
      }
      case 'service_at_locations': {
        if (id !== undefined) {
          const service = await queries.getServiceOfServiceAtLocation(id);
          const body = service ? serviceAtLocationToOruk(service, id) : undefined;
          if (!body) throw notFound('service at location', id);
          return body;
        }
        const paging = parsePaging(params);
        const { total, records } = await queries.listServiceAtLocations(parseServiceFilters(params), paging);
        return page(total, paging, records.map(serviceAtLocationListItemToOruk));
      }
      case 'taxonomies': {
        if (id !== undefined) {
          const taxonomy = await queries.getTaxonomy(id);
          if (!taxonomy) throw notFound('taxonomy', id);
          return taxonomyToOruk(taxonomy);
        }
        const paging = parsePaging(params);
        const { total, records } = await queries.listTaxonomies(paging);
        return page(total, paging, records.map((taxonomy) => taxonomyToOruk(taxonomy)));
      }
      case 'taxonomy_terms': {
        if (id !== undefined) {
          const term = await queries.getTaxonomyTerm(id);
          if (!term) throw notFound('taxonomy term', id);
          return taxonomyTermToOruk(term);
        }
        const paging = parsePaging(params);
        const taxonomy = params.get('taxonomy_id')?.trim() || undefined;
        const { total, records } = await queries.listTaxonomyTerms(paging, taxonomy);
        return page(total, paging, records.map(taxonomyTermToOruk));
      }
      default:
        throw new OrukRequestError(404, 'NOT_FOUND', `Nothing is served at this path. The API offers ${ENDPOINTS}.`);
    }
  }

  return async function orukRoutes(request, response, url, requestLogger) {
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return false;
    try {
      if (request.method === 'OPTIONS') {
        response.statusCode = 204;
        response.setHeader('access-control-allow-origin', '*');
        response.setHeader('access-control-allow-methods', 'GET, HEAD, OPTIONS');
        response.setHeader('access-control-allow-headers', 'accept, content-type, x-request-id');
        response.setHeader('access-control-max-age', '86400');
        response.end();
        return true;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new OrukRequestError(405, 'METHOD_NOT_ALLOWED', 'The ORUK API is read-only: use GET.');
      }
      let segments: string[];
      try {
        segments = url.pathname.slice(base.length).split('/').filter(Boolean).map(decodeURIComponent);
      } catch {
        throw new OrukRequestError(404, 'NOT_FOUND', 'The path is not valid percent-encoded text.');
      }
      send(response, 200, await answer(segments, url.searchParams));
    } catch (error) {
      if (error instanceof OrukRequestError) {
        sendError(response, error);
      } else {
        requestLogger.error({ err: error, path: url.pathname }, 'ORUK API request failed');
        send(response, 500, {
          error: { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side. Please try again later.' },
        });
      }
    }
    return true;
  };
}
