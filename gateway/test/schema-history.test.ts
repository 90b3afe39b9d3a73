import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSchemaHistory, type SchemaHistoryCheck } from '../src/schema-history';
import { composeSupergraph, loadSubgraphSchemas } from '../src/supergraph';
import { testSubgraphSchemas } from './support/test-subgraphs';

const run = promisify(execFile);
const composeScript = fileURLToPath(new URL('../src/compose.ts', import.meta.url));
const gitAvailable = await run('git', ['--version']).then(
  () => true,
  () => false,
);

const summary = (result: SchemaHistoryCheck) => (result.ok ? result.message : `${result.reason}: ${result.message}`);

/**
 * A throwaway repository shaped like ours (`subgraphs/<name>/schema.graphql`,
 * `gateway/supergraph.graphql`) whose supergraph is recomposed and committed version by version.
 */
describe.skipIf(!gitAvailable)('the supergraph history check', () => {
  let repo: string;
  let subgraphsDir: string;
  let supergraphPath: string;
  const git = async (...args: string[]) => (await run('git', args, { cwd: repo })).stdout.trim();
  const providerSchema = () => join(subgraphsDir, 'provider', 'schema.graphql');

  /** Edits the provider schema, recomposes and commits; returns the commit's short hash. */
  const commitVersion = async (edit: (sdl: string) => string, ...message: string[]) => {
    const before = await readFile(providerSchema(), 'utf8');
    const after = edit(before);
    expect(after, 'the edit changed nothing').not.toBe(before);
    await writeFile(providerSchema(), after);
    await writeFile(supergraphPath, composeSupergraph(await loadSubgraphSchemas(subgraphsDir)));
    await git('add', '.');
    await git('commit', '-q', ...message.flatMap((paragraph) => ['-m', paragraph]));
    return git('rev-parse', '--short', 'HEAD');
  };
  const check = () => checkSchemaHistory({ supergraphPath, landedBreaks: {} });

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'sp-gateway-history-'));
    subgraphsDir = join(repo, 'subgraphs');
    supergraphPath = join(repo, 'gateway', 'supergraph.graphql');
    for (const subgraph of testSubgraphSchemas()) {
      await mkdir(join(subgraphsDir, subgraph.name), { recursive: true });
      await writeFile(join(subgraphsDir, subgraph.name, 'schema.graphql'), subgraph.sdl);
    }
    await mkdir(join(repo, 'gateway'));
    await writeFile(supergraphPath, composeSupergraph(await loadSubgraphSchemas(subgraphsDir)));
    await git('init', '-q');
    await git('config', 'user.name', 'Test');
    await git('config', 'user.email', 'test@example.invalid');
    await git('config', 'commit.gpgsign', 'false');
    await git('add', '.');
    await git('commit', '-q', '-m', 'First supergraph');
  });

  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('passes an additive change', async () => {
    await commitVersion((sdl) => sdl.replace('  name: String!\n', '  name: String!\n  summary: String\n'), 'Add Activity.summary');
    const result = await check();
    expect(result, summary(result)).toMatchObject({ ok: true, status: 'checked', versions: 2, allowed: [] });
    expect(result.message).toMatch(/^Supergraph history: 2 committed versions of gateway\/supergraph\.graphql; none breaks/);
    expect(result.message.split('\n')).toHaveLength(1);
  });

  it('fails on a removed field, naming the commit and the change', async () => {
    await commitVersion((sdl) => sdl.replace('  name: String!\n', '  name: String!\n  summary: String\n'), 'Add Activity.summary');
    const removal = await commitVersion((sdl) => sdl.replace('  name: String!\n', ''), 'Remove Activity.name');
    await commitVersion((sdl) => sdl.replace('  summary: String\n', '  summary: String\n  title: String\n'), 'Add Activity.title');
    const result = await check();
    expect(result).toMatchObject({ ok: false, reason: 'breaking-changes', versions: 4 });
    expect(result.ok ? [] : result.breaking.map((entry) => entry.shortHash)).toEqual([removal]);
    expect(result.message).toContain(`${removal} "Remove Activity.name" makes 1 breaking change(s) to the API of`);
    expect(result.message).toMatch(/ {2}- Activity\.name: Field 'name' was removed from object type 'Activity'/);
    expect(result.message).toContain('Schema-Break-Allowed: <reason>');
  });

  it('passes the same removal when its commit carries a Schema-Break-Allowed trailer, reporting the reason', async () => {
    const removal = await commitVersion(
      (sdl) => sdl.replace('  name: String!\n', ''),
      'Remove Activity.name',
      'Every client reads title now.\n\nSchema-Break-Allowed: no client reads Activity.name since the bot moved to title',
    );
    expect(await git('log', '-1', '--format=%(trailers:key=Schema-Break-Allowed,valueonly)')).toBe(
      'no client reads Activity.name since the bot moved to title',
    );
    const result = await check();
    expect(result, summary(result)).toMatchObject({
      ok: true,
      status: 'checked',
      allowed: [{ shortHash: removal, allowedBy: 'trailer', reason: 'no client reads Activity.name since the bot moved to title' }],
    });
    expect(result.message).toContain(
      `${removal} "Remove Activity.name": 1 breaking change(s) allowed by Schema-Break-Allowed: no client reads Activity.name since the bot moved to title`,
    );
  });

  it('passes the same removal when its commit is listed as a landed break, with that reason', async () => {
    await commitVersion((sdl) => sdl.replace('  name: String!\n', ''), 'Remove Activity.name');
    const commit = await git('rev-parse', 'HEAD');
    const result = await checkSchemaHistory({ supergraphPath, landedBreaks: { [commit]: 'landed before the check' } });
    expect(result, summary(result)).toMatchObject({ ok: true, allowed: [{ allowedBy: 'landed-schema-breaks', reason: 'landed before the check' }] });
    expect(result.message).toContain('allowed by LANDED_SCHEMA_BREAKS: landed before the check');
  });

  it('passes the removal of a field deprecated in the version before', async () => {
    await commitVersion(
      (sdl) => sdl.replace('  name: String!\n', '  name: String!\n  label: String @deprecated(reason: "Use name.")\n'),
      'Add Activity.label, deprecated',
    );
    await commitVersion((sdl) => sdl.replace('  label: String @deprecated(reason: "Use name.")\n', ''), 'Remove Activity.label');
    const result = await check();
    expect(result, summary(result)).toMatchObject({ ok: true, status: 'checked', versions: 3, allowed: [] });
  });

  it('counts a trailer on a commit a merge brings in, and compares only the versions main saw', async () => {
    const main = await git('branch', '--show-current');
    await git('switch', '-q', '-c', 'topic');
    await commitVersion((sdl) => sdl.replace('  name: String!\n', '  name: String!\n  summary: String\n'), 'Add Activity.summary');
    await commitVersion(
      (sdl) => sdl.replace('  name: String!\n', ''),
      'Remove Activity.name',
      'Schema-Break-Allowed: the only client moved to summary',
    );
    await git('switch', '-q', main);
    await git('merge', '-q', '--no-ff', '-m', 'Merge topic', 'topic');
    const result = await check();
    expect(result, summary(result)).toMatchObject({
      ok: true,
      versions: 2,
      allowed: [{ subject: 'Merge topic', allowedBy: 'trailer', reason: 'the only client moved to summary' }],
    });
  });

  it('reports that a shallow clone has no history, and passes', async () => {
    await commitVersion((sdl) => sdl.replace('  name: String!\n', ''), 'Remove Activity.name');
    const clone = await mkdtemp(join(tmpdir(), 'sp-gateway-shallow-'));
    try {
      await run('git', ['clone', '-q', '--depth', '1', `file://${repo}`, clone]);
      const result = await checkSchemaHistory({ supergraphPath: join(clone, 'gateway', 'supergraph.graphql'), landedBreaks: {} });
      expect(result).toMatchObject({ ok: true, status: 'unavailable' });
      expect(result.message).toMatch(/not checked: this is a shallow clone/);
    } finally {
      await rm(clone, { recursive: true, force: true });
    }
  });

  it('compose --check fails on a committed break the HEAD comparison cannot see, even with ALLOW_BREAKING_CHANGES=1, until the commit carries the trailer', async () => {
    await commitVersion((sdl) => sdl.replace('  name: String!\n', ''), 'Remove Activity.name');
    const paths = ['--subgraphs', subgraphsDir, '--supergraph', supergraphPath];
    const env = { ...process.env, SCHEMA_BASE_REF: '', ALLOW_BREAKING_CHANGES: '1' };
    const failed = await run(process.execPath, ['--import', 'tsx', composeScript, '--check', ...paths], { env }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/up to date[\s\S]*No breaking API changes against gateway\/supergraph\.graphql at HEAD/);
    expect(failed.stderr).toMatch(/Supergraph history check failed \(breaking-changes\)[\s\S]*"Remove Activity\.name"[\s\S]*Activity\.name/);

    await git('commit', '-q', '--amend', '-m', 'Remove Activity.name', '-m', 'Schema-Break-Allowed: tested');
    const passed = await run(process.execPath, ['--import', 'tsx', composeScript, '--check', ...paths], { env });
    expect(passed.stdout).toMatch(/Supergraph history: 2 committed versions[\s\S]*allowed by Schema-Break-Allowed: tested/);
  }, 30_000);
});

describe('without git history', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp-gateway-nohistory-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports that it cannot see history outside a repository, and passes', async () => {
    const result = await checkSchemaHistory({ supergraphPath: join(dir, 'supergraph.graphql') });
    expect(result).toMatchObject({ ok: true, status: 'unavailable', versions: 0 });
    expect(result.message).toMatch(/^Supergraph history not checked: git unavailable/);
  });
});
