import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CompositionError,
  DEFAULT_SUBGRAPH_URLS,
  DEFAULT_SUBGRAPHS_DIR,
  DEFAULT_SUPERGRAPH_PATH,
  SUBGRAPH_NAMES,
  SUPERGRAPH_HEADER,
  checkSupergraph,
  composeSupergraph,
  findMissingSubgraphSchemas,
  loadSubgraphSchemas,
  readSupergraphSubgraphs,
} from '../src/supergraph';
import { allowBreakingChangesFrom, checkBreakingChanges } from '../src/schema-baseline';
import { checkSchemaHistory } from '../src/schema-history';
import { testSubgraphSchemas } from './support/test-subgraphs';

const run = promisify(execFile);
const composeScript = fileURLToPath(new URL('../src/compose.ts', import.meta.url));

// The committed supergraph must be what the committed subgraph schemas compose to: this is
// what makes CI (npm test) fail when someone changes a subgraph and forgets to recompose.
// Skipped only while no subgraph has committed its schema yet; once any has, a missing one fails.
const missingSchemas = await findMissingSubgraphSchemas();
const noSchemasYet = missingSchemas.length === SUBGRAPH_NAMES.length;
if (noSchemasYet) {
  console.warn(
    `Skipping the committed-supergraph check: no subgraph schema file exists yet:\n  ${missingSchemas.join('\n  ')}`,
  );
}

describe.skipIf(noSchemasYet)('the committed supergraph', () => {
  it('is exactly what the committed subgraph schemas compose to', async () => {
    const result = await checkSupergraph();
    expect(result, result.ok ? '' : result.message).toEqual({ ok: true });
  });

  // The API composed from the working tree's subgraph schemas must not break clients of the API
  // committed at SCHEMA_BASE_REF (default HEAD; a branch's CI sets origin/main) unless what
  // changes was deprecated first. ALLOW_BREAKING_CHANGES=1 lets an intended break through.
  it('breaks no client of the API at the base ref (SCHEMA_BASE_REF, default HEAD)', async () => {
    const chosen = process.env.SCHEMA_BASE_REF?.trim();
    const result = await checkBreakingChanges({
      ...(chosen ? { ref: chosen, refChosen: true } : {}),
      allowBreakingChanges: allowBreakingChangesFrom(process.env.ALLOW_BREAKING_CHANGES),
    });
    if (result.ok && result.warning) console.warn(result.warning);
    expect(result, result.message).toMatchObject({ ok: true });
  });

  // On a clean clone of main HEAD is the working tree, so the check above compares a commit with
  // itself; this compares each committed version of the supergraph with the one before it. A
  // commit allows its break with a Schema-Break-Allowed trailer; LANDED_SCHEMA_BREAKS exempts
  // breaks already on main. In a shallow clone it says it cannot see the history and passes.
  it('has no break between committed versions of the supergraph that was not allowed', async () => {
    const result = await checkSchemaHistory();
    console.info(result.message);
    expect(result, result.message).toMatchObject({ ok: true });
  });

  it('federates the three subgraphs at their default URLs', async () => {
    const sdl = await readFile(DEFAULT_SUPERGRAPH_PATH, 'utf8');
    expect(readSupergraphSubgraphs(sdl).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      SUBGRAPH_NAMES.map((name) => ({ name, url: DEFAULT_SUBGRAPH_URLS[name] })).sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    );
  });
});

describe('composeSupergraph', () => {
  it('is deterministic and does not depend on the order of the subgraphs', () => {
    const subgraphs = testSubgraphSchemas(DEFAULT_SUBGRAPH_URLS);
    const first = composeSupergraph(subgraphs);
    expect(composeSupergraph(subgraphs)).toBe(first);
    expect(composeSupergraph([...subgraphs].reverse())).toBe(first);
    expect(first.startsWith(SUPERGRAPH_HEADER)).toBe(true);
    expect(first.endsWith('}\n')).toBe(true);
  });

  it('writes each subgraph URL into the supergraph', () => {
    const sdl = composeSupergraph(testSubgraphSchemas(DEFAULT_SUBGRAPH_URLS));
    expect(readSupergraphSubgraphs(sdl)).toEqual(
      expect.arrayContaining([
        { name: 'provider', url: DEFAULT_SUBGRAPH_URLS.provider },
        { name: 'referral', url: DEFAULT_SUBGRAPH_URLS.referral },
        { name: 'evidence', url: DEFAULT_SUBGRAPH_URLS.evidence },
      ]),
    );
  });

  it('fails with every composition problem listed', () => {
    const [provider, referral] = testSubgraphSchemas();
    // Two subgraphs both resolving Activity.name without @shareable do not compose.
    const clash = {
      ...referral!,
      sdl: referral!.sdl.replace('referralCount: Int', 'referralCount: Int\n  name: String!'),
    };
    expect(() => composeSupergraph([provider!, clash])).toThrow(CompositionError);
    expect(() => composeSupergraph([provider!, clash])).toThrow(/Activity\.name/);
  });

  it('names the file when a schema is not valid GraphQL', () => {
    expect(() =>
      composeSupergraph([{ name: 'provider', url: 'http://x/graphql', sdl: 'type {', source: 'provider/schema.graphql' }]),
    ).toThrow(/provider\/schema\.graphql is not valid GraphQL/);
  });
});

describe('checkSupergraph and the compose command', () => {
  let dir: string;
  let subgraphsDir: string;
  let supergraphPath: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp-gateway-compose-'));
    subgraphsDir = join(dir, 'subgraphs');
    supergraphPath = join(dir, 'supergraph.graphql');
    for (const subgraph of testSubgraphSchemas()) {
      await mkdir(join(subgraphsDir, subgraph.name), { recursive: true });
      await writeFile(join(subgraphsDir, subgraph.name, 'schema.graphql'), subgraph.sdl);
    }
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const compose = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', composeScript, ...args]);
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('reports a missing, a stale and an up-to-date supergraph', async () => {
    expect(await checkSupergraph({ subgraphsDir, supergraphPath })).toMatchObject({ ok: false, reason: 'missing-supergraph' });

    const sdl = composeSupergraph(await loadSubgraphSchemas(subgraphsDir));
    await writeFile(supergraphPath, sdl);
    expect(await checkSupergraph({ subgraphsDir, supergraphPath })).toEqual({ ok: true });
    // Windows line endings in a checkout are not staleness.
    await writeFile(supergraphPath, sdl.replace(/\n/g, '\r\n'));
    expect(await checkSupergraph({ subgraphsDir, supergraphPath })).toEqual({ ok: true });

    const providerSchema = join(subgraphsDir, 'provider', 'schema.graphql');
    await writeFile(providerSchema, (await readFile(providerSchema, 'utf8')).replace('name: String!', 'name: String!\n  summary: String'));
    expect(await checkSupergraph({ subgraphsDir, supergraphPath })).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('reports missing subgraph schema files by path', async () => {
    await rm(join(subgraphsDir, 'evidence'), { recursive: true });
    const result = await checkSupergraph({ subgraphsDir, supergraphPath });
    expect(result).toMatchObject({ ok: false, reason: 'missing-subgraph-schemas' });
    expect(result.ok ? '' : result.message).toContain(join(subgraphsDir, 'evidence', 'schema.graphql'));
  });

  it('writes the supergraph, then --check passes; after a subgraph change --check fails and writes nothing', async () => {
    const written = await compose('--subgraphs', subgraphsDir, '--supergraph', supergraphPath);
    expect(written.code, written.stderr).toBe(0);
    const first = await readFile(supergraphPath, 'utf8');

    const again = await compose('--subgraphs', subgraphsDir, '--supergraph', supergraphPath);
    expect(again.code).toBe(0);
    expect(await readFile(supergraphPath, 'utf8')).toBe(first);

    expect((await compose('--check', '--subgraphs', subgraphsDir, '--supergraph', supergraphPath)).code).toBe(0);

    const referralSchema = join(subgraphsDir, 'referral', 'schema.graphql');
    await writeFile(referralSchema, (await readFile(referralSchema, 'utf8')).replace('referralCount: Int', 'referralTotal: Int'));
    const stale = await compose('--check', '--subgraphs', subgraphsDir, '--supergraph', supergraphPath);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/out of date/);
    expect(await readFile(supergraphPath, 'utf8')).toBe(first);
  }, 30_000);

  it('exits 1 with the composition errors and writes nothing when the schemas do not compose', async () => {
    const referralSchema = join(subgraphsDir, 'referral', 'schema.graphql');
    await writeFile(referralSchema, (await readFile(referralSchema, 'utf8')).replace('referralCount: Int', 'referralCount: Int\n  name: String!'));
    const failed = await compose('--subgraphs', subgraphsDir, '--supergraph', supergraphPath);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/do not compose/);
    expect(failed.stderr).toMatch(/Nothing was written/);
    await expect(readFile(supergraphPath, 'utf8')).rejects.toThrow();
  }, 30_000);
});

it('looks for the subgraph schemas in <repo>/subgraphs', () => {
  expect(DEFAULT_SUBGRAPHS_DIR).toBe(fileURLToPath(new URL('../../subgraphs', import.meta.url)));
});
