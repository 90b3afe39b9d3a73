// For tests: checks documents against the published ORUK 3.0 JSON Schemas, as the public ORUK
// validator does. Uses ajv (a development dependency), so only tests import this module.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REPOSITORY_DIR } from '@sp/prisma/targets';

/** The standard's copy beside this repository: ../shared/standards/oruk-3.0. */
export const ORUK_STANDARD_DIR = path.resolve(REPOSITORY_DIR, '..', 'shared', 'standards', 'oruk-3.0');

export type OrukSchemaName =
  | 'service'
  | 'service_list'
  | 'service_at_location'
  | 'service_at_location_list'
  | 'taxonomy'
  | 'taxonomy_term'
  | 'page';

export interface OrukSchemaValidator {
  /** The problems of a document against one schema; empty when it is valid. */
  problems(schema: OrukSchemaName, document: unknown): string[];
  /** A paged list: the envelope, and each item of `contents` against the item schema. */
  pageProblems(itemSchema: OrukSchemaName, document: unknown): string[];
}

// Keywords of the Frictionless data package the schemas carry beside JSON Schema ones.
const DATAPACKAGE_KEYWORDS = ['name', 'path', 'datapackage_metadata', 'tabular_required', 'constraints', 'example', 'core', 'datapackage_type'];

export function createOrukSchemaValidator(standardDir = ORUK_STANDARD_DIR): OrukSchemaValidator {
  const read = (file: string) => JSON.parse(readFileSync(path.join(standardDir, file), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addVocabulary(DATAPACKAGE_KEYWORDS);
  addFormats(ajv);
  for (const name of ['service', 'service_list', 'service_at_location', 'service_at_location_list']) {
    ajv.addSchema(read(`schema/compiled/${name}.json`), `${name}.json`);
  }
  // taxonomy.json refers to taxonomy_term.json by that relative name.
  for (const name of ['taxonomy', 'taxonomy_term']) ajv.addSchema(read(`schema/${name}.json`), `${name}.json`);

  // The page envelope of the API contract, with every field required.
  const openapi = read('schema/openapi.json') as { components: { schemas: { Page: { properties: Record<string, unknown> } } } };
  const envelope = openapi.components.schemas.Page;
  ajv.addSchema(
    {
      type: 'object',
      properties: { ...envelope.properties, contents: { type: 'array' } },
      required: [...Object.keys(envelope.properties), 'contents'],
    },
    'page.json',
  );

  const problems = (schema: OrukSchemaName, document: unknown) => {
    const validate = ajv.getSchema(`${schema}.json`);
    if (!validate) throw new Error(`No ORUK schema ${schema}`);
    if (validate(document)) return [];
    return (validate.errors ?? []).map((error) => `${schema}${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
  };

  return {
    problems,
    pageProblems(itemSchema, document) {
      const found = problems('page', document);
      const contents = (document as { contents?: unknown }).contents;
      if (Array.isArray(contents)) {
        contents.forEach((item, index) => found.push(...problems(itemSchema, item).map((problem) => `contents/${index}: ${problem}`)));
      }
      return found;
    },
  };
}

/** Paths (such as "contents/0/organization/email") where a document holds null. */
export function nullPaths(value: unknown, at = ''): string[] {
  if (value === null) return [at || '/'];
  if (Array.isArray(value)) return value.flatMap((item, index) => nullPaths(item, `${at}/${index}`));
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => nullPaths(item, `${at}/${key}`));
  }
  return [];
}
