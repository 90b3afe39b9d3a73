/**
 * Persisted documents (trusted operations) from a manifest file, for partner apps: a client
 * sends an id instead of a document, and with `only` the gateway runs nothing else.
 *
 * Ids are looked up as given (`documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`);
 * the gateway does not recompute them, so Relay's, Apollo's and Hive's ids all work.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Kind, parse } from 'graphql';

/** The id is not in the manifest. (Apollo's code: its clients then resend with the document.) */
export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';
/** Only persisted documents run here, and the request sent a document (or nothing) instead of an id. */
export const PERSISTED_QUERY_ID_REQUIRED = 'PERSISTED_QUERY_ID_REQUIRED';

export interface PersistedDocumentsOptions {
  /** Document text by id. */
  documents: ReadonlyMap<string, string>;
  /** Refuse every request that does not name a persisted document. Default false. */
  only?: boolean;
}

export class PersistedDocumentsError extends Error {
  override name = 'PersistedDocumentsError';
}

/** The id `persisted:manifest` gives a document: the SHA-256 of its exact text, in hex (Apollo's APQ hash). */
export function persistedDocumentId(document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex');
}

/** Throws unless the text parses as GraphQL and holds at least one operation. */
export function checkPersistedDocument(document: string, where: string): void {
  let parsed;
  try {
    parsed = parse(document, { noLocation: true });
  } catch (error) {
    throw new PersistedDocumentsError(`${where} is not valid GraphQL: ${(error as Error).message}`);
  }
  if (!parsed.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)) {
    throw new PersistedDocumentsError(`${where} holds no operation (query, mutation or subscription)`);
  }
}

/** A manifest for these documents: id (persistedDocumentId) -> text, sorted by id so the output is stable. */
export function buildPersistedManifest(documents: ReadonlyArray<{ text: string; source: string }>): Record<string, string> {
  const entries = documents.map(({ text, source }) => {
    checkPersistedDocument(text, source);
    return [persistedDocumentId(text), text] as const;
  });
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a manifest: either a JSON object of id -> document (Relay, GraphQL Code Generator, Hive
 * app deployments), or Apollo's `{ "format": "apollo-persisted-query-manifest", "version": 1,
 * "operations": [{ "id", "body", … }] }`. Every document must parse; ids must be unique.
 */
export function parsePersistedDocumentsManifest(manifest: unknown, source = 'the persisted documents manifest'): Map<string, string> {
  const documents = new Map<string, string>();
  const add = (id: unknown, document: unknown, where: string) => {
    if (typeof id !== 'string' || id.trim() === '') throw new PersistedDocumentsError(`${where} has no id`);
    if (typeof document !== 'string') throw new PersistedDocumentsError(`${where} (${id}): the document must be a string`);
    const known = documents.get(id);
    if (known !== undefined && known !== document) {
      throw new PersistedDocumentsError(`${source} gives id ${id} to two different documents`);
    }
    checkPersistedDocument(document, `${source}, document ${id}`);
    documents.set(id, document);
  };

  if (isRecord(manifest) && manifest.format === 'apollo-persisted-query-manifest') {
    if (manifest.version !== 1) throw new PersistedDocumentsError(`${source}: only version 1 of Apollo's manifest format is supported`);
    if (!Array.isArray(manifest.operations)) throw new PersistedDocumentsError(`${source}: "operations" must be a list`);
    manifest.operations.forEach((operation: unknown, index) => {
      const entry = isRecord(operation) ? operation : {};
      add(entry.id, entry.body, `${source}, operation ${index + 1}`);
    });
  } else if (isRecord(manifest)) {
    for (const [id, document] of Object.entries(manifest)) add(id, document, source);
  } else {
    throw new PersistedDocumentsError(
      `${source} must be a JSON object of id -> document, or an Apollo persisted query manifest`,
    );
  }
  if (documents.size === 0) throw new PersistedDocumentsError(`${source} holds no documents`);
  return documents;
}

/** Reads and checks a manifest file; throws a PersistedDocumentsError naming the file. */
export async function loadPersistedDocuments(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PersistedDocumentsError(`Cannot read the persisted documents manifest ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PersistedDocumentsError(`The persisted documents manifest ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePersistedDocumentsManifest(json, path);
}

/**
 * The Hive Gateway runtime's `persistedDocuments` option for a file-based store. The runtime
 * takes the id from `documentId` (body or query string) or `extensions.persistedQuery.sha256Hash`.
 */
export function persistedDocumentsRuntimeOptions(options: PersistedDocumentsOptions) {
  const only = options.only ?? false;
  const idRequired = {
    message: only
      ? 'This endpoint only runs persisted documents: send the id of one in "documentId" or extensions.persistedQuery.sha256Hash, not the document itself.'
      : 'Send a GraphQL document in "query", or the id of a persisted document in "documentId" or extensions.persistedQuery.sha256Hash.',
    extensions: { code: only ? PERSISTED_QUERY_ID_REQUIRED : 'BAD_REQUEST', http: { status: 400 } },
  };
  return {
    getPersistedOperation: (id: string) => options.documents.get(id) ?? null,
    allowArbitraryDocuments: !only,
    customErrors: {
      notFound: {
        message: only
          ? 'No persisted document has this id. Check the id against the manifest this gateway was given.'
          : 'No persisted document has this id. Send the document itself in "query", or check the id.',
        extensions: { code: PERSISTED_QUERY_NOT_FOUND },
      },
      persistedQueryOnly: idRequired,
      keyNotFound: idRequired,
    },
  };
}
