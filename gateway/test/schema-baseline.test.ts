import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allowBreakingChangesFrom, checkBreakingChanges, loadBaselineSupergraph } from '../src/schema-baseline';
import { composeSupergraph, loadSubgraphSchemas } from '../src/supergraph';
import { testSubgraphSchemas } from './support/test-subgraphs';

const run = promisify(execFile);
const composeScript = fileURLToPath(new URL('../src/compose.ts', import.meta.url));
const gitAvailable = await run('git', ['--version']).then(
  () => true,
  () => false,
);

/**
 * A throwaway repository shaped like ours: `subgraphs/<name>/schema.graphql` and
 * `gateway/supergraph.graphql`, with the composed supergraph committed.
 */
describe.skipIf(!gitAvailable)('the breaking-change check against a git baseline', () => {
  let repo: string;
  let subgraphsDir: string;
  let supergraphPath: string;
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
  const providerSchema = () => join(subgraphsDir, 'provider', 'schema.graphql');
  const editProvider = async (edit: (sdl: string) => string) => {
    const before = await readFile(providerSchema(), 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    await writeFile(providerSchema(), after);
  };
  const recompose = async () => writeFile(supergraphPath, composeSupergraph(await loadSubgraphSchemas(subgraphsDir)));

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'sp-gateway-baseline-'));
    subgraphsDir = join(repo, 'subgraphs');
    supergraphPath = join(repo, 'gateway', 'supergraph.graphql');
    for (const subgraph of testSubgraphSchemas()) {
      await mkdir(join(subgraphsDir, subgraph.name), { recursive: true });
      // One field deprecated in the baseline, so it may be removed.
      const sdl = subgraph.name === 'provider' ? subgraph.sdl.replace('  name: String!\n', '  name: String!\n  label: String @deprecated(reason: "Use name.")\n') : subgraph.sdl;
      await writeFile(join(subgraphsDir, subgraph.name, 'schema.graphql'), sdl);
    }
    await mkdir(join(repo, 'gateway'));
    await recompose();
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-q', '-m', 'baseline');
  });

  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('reads the baseline from HEAD, not from the working tree', async () => {
    const committed = await readFile(supergraphPath, 'utf8');
    await writeFile(supergraphPath, '# not even GraphQL\n');
    const baseline = await loadBaselineSupergraph({ supergraphPath });
    expect(baseline).toEqual({ sdl: committed, source: 'gateway/supergraph.graphql at HEAD' });
  });

  it('fails when a recomposed supergraph removes a field clients use, naming Type.field', async () => {
    await editProvider((sdl) => sdl.replace('  name: String!\n', ''));
    await recompose();
    const result = await checkBreakingChanges({ subgraphsDir, supergraphPath });
    expect(result).toMatchObject({ ok: false, reason: 'breaking-changes' });
    expect(result.message).toContain('Activity.name');
    expect(result.message).toContain('gateway/supergraph.graphql at HEAD');
    expect(result.message).toMatch(/Deprecate first/);
  });

  it('passes when only a deprecated field is removed, and when fields are added', async () => {
    await editProvider((sdl) => sdl.replace('  label: String @deprecated(reason: "Use name.")\n', '  summary: String\n'));
    const result = await checkBreakingChanges({ subgraphsDir, supergraphPath });
    expect(result).toMatchObject({ ok: true });
    expect(result.message).toContain('Activity.label');
    expect(result.message).toMatch(/deprecated \(allowed\)/);
  });

  it('lets a break through with ALLOW_BREAKING_CHANGES, with a warning naming it', async () => {
    await editProvider((sdl) => sdl.replace('activity(id: ID!)', 'activity(id: ID!, region: String!)'));
    const result = await checkBreakingChanges({ subgraphsDir, supergraphPath, allowBreakingChanges: true });
    expect(result.ok).toBe(true);
    expect(result.ok && result.warning).toMatch(/WARNING: ALLOW_BREAKING_CHANGES[\s\S]*Query\.activity\.region/);
  });

  it('compares with SCHEMA_BASE_REF, and fails clearly when that ref is unknown', async () => {
    await editProvider((sdl) => sdl.replace('  name: String!\n', ''));
    await recompose();
    await git('commit', '-q', '-am', 'remove Activity.name');
    // Against HEAD the committed change is the baseline itself; against HEAD~1 it breaks.
    expect(await checkBreakingChanges({ subgraphsDir, supergraphPath })).toMatchObject({ ok: true });
    const previous = await checkBreakingChanges({ subgraphsDir, supergraphPath, ref: 'HEAD~1', refChosen: true });
    expect(previous).toMatchObject({ ok: false, reason: 'breaking-changes' });
    expect(previous.message).toContain('gateway/supergraph.graphql at HEAD~1');

    const unknown = await checkBreakingChanges({ subgraphsDir, supergraphPath, ref: 'origin/no-such-branch', refChosen: true });
    expect(unknown).toMatchObject({ ok: false, reason: 'baseline-unavailable' });
    expect(unknown.message).toMatch(/origin\/no-such-branch.*SCHEMA_BASE_REF.*not a commit/);
  });

  it('passes with nothing to compare when the base ref has no supergraph yet', async () => {
    await git('rm', '-q', '--cached', 'gateway/supergraph.graphql');
    await git('commit', '-q', '-m', 'untrack the supergraph');
    const result = await checkBreakingChanges({ subgraphsDir, supergraphPath });
    expect(result).toEqual({ ok: true, message: expect.stringMatching(/nothing to compare/) });
  });

  const compose = async (args: string[], env: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', composeScript, ...args], {
        env: { ...process.env, SCHEMA_BASE_REF: '', ALLOW_BREAKING_CHANGES: '', ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('compose refuses to write a breaking supergraph, --check exits 1 naming the field, and ALLOW_BREAKING_CHANGES=1 lets both pass', async () => {
    const paths = ['--subgraphs', subgraphsDir, '--supergraph', supergraphPath];
    expect((await compose(['--check', ...paths])).code).toBe(0);
    const before = await readFile(supergraphPath, 'utf8');

    await editProvider((sdl) => sdl.replace('  name: String!\n', ''));
    const refused = await compose(paths);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Activity\.name[\s\S]*Nothing was written/);
    expect(await readFile(supergraphPath, 'utf8')).toBe(before);

    const checked = await compose(['--check', ...paths]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/Breaking-change check failed \(breaking-changes\)[\s\S]*Activity\.name/);

    const written = await compose(paths, { ALLOW_BREAKING_CHANGES: '1' });
    expect(written.code).toBe(0);
    expect(await readFile(supergraphPath, 'utf8')).not.toBe(before);

    const allowed = await compose(['--check', ...paths], { ALLOW_BREAKING_CHANGES: '1' });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/up to date/);
    expect(allowed.stderr).toMatch(/WARNING: ALLOW_BREAKING_CHANGES[\s\S]*Activity\.name/);
  }, 30_000);
});

describe('without git', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp-gateway-nogit-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('falls back to the supergraph file on disk, saying so', async () => {
    const supergraphPath = join(dir, 'supergraph.graphql');
    await writeFile(supergraphPath, 'type Query { a: Int }\n');
    const baseline = await loadBaselineSupergraph({ supergraphPath });
    expect(baseline.sdl).toBe('type Query { a: Int }\n');
    expect(baseline.source).toMatch(/on disk \(git unavailable/);
  });
});

describe('allowBreakingChangesFrom', () => {
  it('is on for 1 or true only', () => {
    expect(allowBreakingChangesFrom('1')).toBe(true);
    expect(allowBreakingChangesFrom('TRUE')).toBe(true);
    expect(allowBreakingChangesFrom(undefined)).toBe(false);
    expect(allowBreakingChangesFrom('')).toBe(false);
    expect(allowBreakingChangesFrom('0')).toBe(false);
    expect(allowBreakingChangesFrom('no')).toBe(false);
  });
});
