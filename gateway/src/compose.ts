/**
 * Composes the committed subgraph schemas into gateway/supergraph.graphql.
 *
 *   npm run compose -w @sp/gateway              writes the supergraph
 *   npm run compose -w @sp/gateway -- --check   writes nothing; exits 1 if the committed
 *                                               supergraph is missing, stale or does not compose,
 *                                               or if the composed API breaks clients of the API
 *                                               at SCHEMA_BASE_REF (default HEAD; see README),
 *                                               or if a committed version of the supergraph breaks
 *                                               the one before it without a Schema-Break-Allowed
 *                                               trailer (schema-history.ts)
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
import { allowBreakingChangesFrom, checkBreakingChanges, DEFAULT_SCHEMA_BASE_REF } from './schema-baseline';
import { SCHEMA_BREAK_TRAILER, checkSchemaHistory } from './schema-history';

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

/** SCHEMA_BASE_REF: the git ref whose committed supergraph is the baseline (default HEAD). */
function baseRef() {
  const chosen = process.env.SCHEMA_BASE_REF?.trim();
  return chosen ? { ref: chosen, refChosen: true } : { ref: DEFAULT_SCHEMA_BASE_REF, refChosen: false };
}

const allowBreakingChanges = allowBreakingChangesFrom(process.env.ALLOW_BREAKING_CHANGES);

async function main(): Promise<number> {
  const args = parseArguments();
  if (!args) return 2;
  const { check, subgraphsDir, supergraphPath } = args;

  if (check) {
    const result = await checkSupergraph({ subgraphsDir, supergraphPath });
    if (result.ok) {
      process.stdout.write(`${shown(supergraphPath)} is up to date with the subgraph schemas.\n`);
    } else {
      process.stderr.write(`Supergraph check failed (${result.reason}):\n${result.message}\n`);
      // The breaking-change check needs the schemas to compose; nothing more to say if they do not.
      if (result.reason === 'missing-subgraph-schemas' || result.reason === 'composition-failed') return 1;
    }
    const compatible = await checkBreakingChanges({ subgraphsDir, supergraphPath, ...baseRef(), allowBreakingChanges });
    if (!compatible.ok) {
      process.stderr.write(`Breaking-change check failed (${compatible.reason}):\n${compatible.message}\n`);
    } else {
      if (compatible.warning) process.stderr.write(`${compatible.warning}\n`);
      process.stdout.write(`${compatible.message}\n`);
    }
    // What is already committed, version by version: on a clean clone of main, HEAD is the
    // working tree, so only this sees a break that was committed. ALLOW_BREAKING_CHANGES does not
    // apply here; a commit allows its break with a Schema-Break-Allowed trailer.
    const history = await checkSchemaHistory({ supergraphPath });
    if (!history.ok) {
      process.stderr.write(`Supergraph history check failed (${history.reason}):\n${history.message}\n`);
      return 1;
    }
    process.stdout.write(`${history.message}\n`);
    return result.ok && compatible.ok ? 0 : 1;
  }

  try {
    const supergraph = composeSupergraph(await loadSubgraphSchemas(subgraphsDir));
    // Refuse before writing: a breaking supergraph should only ever be committed on purpose.
    const compatible = await checkBreakingChanges({ subgraphsDir, supergraphPath, ...baseRef(), allowBreakingChanges });
    if (!compatible.ok) {
      process.stderr.write(
        `${compatible.message}\nNothing was written. Deprecate first (@deprecated) and remove in a later release, ` +
          'or set ALLOW_BREAKING_CHANGES=1 if every client is ready for the break.\n',
      );
      return 1;
    }
    if (compatible.warning) {
      process.stderr.write(
        `${compatible.warning}\nCommit it with the trailer "${SCHEMA_BREAK_TRAILER}: <reason>", or the history check in ` +
          'compose --check (npm test) fails on that commit.\n',
      );
    }
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
