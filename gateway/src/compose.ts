/**
 * Composes the committed subgraph schemas into gateway/supergraph.graphql.
 *
 *   npm run compose -w @sp/gateway              writes the supergraph
 *   npm run compose -w @sp/gateway -- --check   writes nothing; exits 1 if the committed
 *                                               supergraph is missing, stale or does not compose
 *
 * `--subgraphs <dir>` and `--supergraph <file>` point it elsewhere (the tests use them).
 */
import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CompositionError,
  DEFAULT_SUBGRAPHS_DIR,
  DEFAULT_SUPERGRAPH_PATH,
  MissingSubgraphSchemaError,
  checkSupergraph,
  composeSupergraph,
  loadSubgraphSchemas,
} from './supergraph';

const USAGE = 'Usage: tsx src/compose.ts [--check] [--subgraphs <dir>] [--supergraph <file>]';

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}

function parseArguments() {
  try {
    const { values } = parseArgs({
      options: {
        check: { type: 'boolean', default: false },
        subgraphs: { type: 'string' },
        supergraph: { type: 'string' },
      },
      strict: true,
    });
    return {
      check: values.check ?? false,
      subgraphsDir: values.subgraphs ? resolve(values.subgraphs) : DEFAULT_SUBGRAPHS_DIR,
      supergraphPath: values.supergraph ? resolve(values.supergraph) : DEFAULT_SUPERGRAPH_PATH,
    };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return undefined;
  }
}

async function main(): Promise<number> {
  const args = parseArguments();
  if (!args) return 2;
  const { check, subgraphsDir, supergraphPath } = args;

  if (check) {
    const result = await checkSupergraph({ subgraphsDir, supergraphPath });
    if (result.ok) {
      process.stdout.write(`${shown(supergraphPath)} is up to date with the subgraph schemas.\n`);
      return 0;
    }
    process.stderr.write(`Supergraph check failed (${result.reason}):\n${result.message}\n`);
    return 1;
  }

  try {
    const supergraph = composeSupergraph(await loadSubgraphSchemas(subgraphsDir));
    await writeFile(supergraphPath, supergraph, 'utf8');
    process.stdout.write(`Wrote ${shown(supergraphPath)}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof CompositionError || error instanceof MissingSubgraphSchemaError) {
      process.stderr.write(`${error.message}\nNothing was written.\n`);
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
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`compose failed unexpectedly: ${detail}\n`);
    process.exitCode = 2;
  },
);
