/**
 * Builds a persisted documents manifest (`{ "<sha256>": "<document>" }`) from .graphql files,
 * one document per file, for GATEWAY_PERSISTED_DOCUMENTS.
 *
 *   npm run persisted:manifest -w @sp/gateway -- [--out manifest.json] <file.graphql>...
 *
 * The id is the SHA-256 of the file's exact text (Apollo's APQ hash), so a client can send
 * `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"<id>"}}}` or `{"documentId":"<id>"}`.
 * Relative paths are taken from where npm was run (INIT_CWD), not from gateway/.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPersistedManifest, PersistedDocumentsError } from './persisted-documents';

const USAGE = 'Usage: npm run persisted:manifest -w @sp/gateway -- [--out <manifest.json>] <file.graphql>...';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const base = process.env.INIT_CWD ?? process.cwd();
  if (parsed.positionals.length === 0) {
    process.stderr.write(`Name at least one .graphql file.\n${USAGE}\n`);
    return 2;
  }
  try {
    const documents = await Promise.all(
      parsed.positionals.map(async (file) => ({ source: file, text: await readFile(resolve(base, file), 'utf8') })),
    );
    const manifest = `${JSON.stringify(buildPersistedManifest(documents), null, 2)}\n`;
    if (parsed.values.out) {
      await writeFile(resolve(base, parsed.values.out), manifest, 'utf8');
      process.stderr.write(`Wrote ${parsed.values.out} (${documents.length} document(s)).\n`);
    } else {
      process.stdout.write(manifest);
    }
    return 0;
  } catch (error) {
    if (error instanceof PersistedDocumentsError || (error as { code?: unknown }).code === 'ENOENT') {
      process.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`persisted:manifest failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
