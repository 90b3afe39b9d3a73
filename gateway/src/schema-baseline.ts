/**
 * The breaking-change check: composes the working tree's subgraph schemas and compares the API
 * they give with the API of the supergraph committed at a base git ref (default `HEAD`).
 */
import { execFile } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import {
  CompositionError,
  DEFAULT_SUPERGRAPH_PATH,
  MissingSubgraphSchemaError,
  composeSupergraph,
  loadSubgraphSchemas,
} from './supergraph';
import { diffSupergraphs, formatSchemaChanges, type SchemaDiff } from './schema-diff';

const run = promisify(execFile);

export const DEFAULT_SCHEMA_BASE_REF = 'HEAD';

export class BaselineError extends Error {
  override name = 'BaselineError';
}

export interface BaselineSupergraph {
  /** The baseline supergraph SDL; undefined when there is none (nothing to compare with yet). */
  sdl: string | undefined;
  /** Where it came from, for messages: `gateway/supergraph.graphql at HEAD`, or a path on disk. */
  source: string;
}

export interface LoadBaselineOptions {
  /** The working-tree path of the supergraph; its path inside the repository is looked up at `ref`. */
  supergraphPath?: string;
  /** A git ref (`HEAD`, `origin/main`, a commit). Default `HEAD`. */
  ref?: string;
  /**
   * Whether someone chose the ref (SCHEMA_BASE_REF): then a ref git does not know is an error.
   * The default `HEAD` in a repository with no commits falls back to the file on disk.
   */
  refChosen?: boolean;
}

/** Runs git (no shell) in `cwd`; a failure is its first line of stderr, or `git is not installed`. */
export async function git(cwd: string, args: string[]): Promise<{ ok: true; stdout: string } | { ok: false; detail: string }> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return { ok: true, stdout };
  } catch (error) {
    const failed = error as { code?: unknown; stderr?: string; message: string };
    if (failed.code === 'ENOENT') return { ok: false, detail: 'git is not installed' };
    return { ok: false, detail: (failed.stderr || failed.message).trim().split('\n')[0] ?? 'git failed' };
  }
}

export type SupergraphInRepository =
  | {
      ok: true;
      /** The repository's top level. */
      root: string;
      /** The supergraph's path inside the repository, with `/`: `gateway/supergraph.graphql`. */
      path: string;
    }
  | { ok: false; detail: string };

/** Where a supergraph file sits in its git repository, or why git cannot say (not installed, not a repository). */
export async function locateInRepository(supergraphPath: string): Promise<SupergraphInRepository> {
  const directory = await realpath(dirname(supergraphPath)).catch(() => dirname(supergraphPath));
  const topLevel = await git(directory, ['rev-parse', '--show-toplevel']);
  if (!topLevel.ok) return topLevel;
  const root = topLevel.stdout.trim();
  return { ok: true, root, path: relative(root, join(directory, basename(supergraphPath))).split(sep).join('/') };
}

async function fromDisk(supergraphPath: string, why: string): Promise<BaselineSupergraph> {
  const sdl = await readFile(supergraphPath, 'utf8').catch(() => undefined);
  return { sdl, source: `${supergraphPath} on disk (${why})` };
}

/**
 * The supergraph at a git ref (`git show <ref>:gateway/supergraph.graphql`), or the file on disk
 * when git cannot be asked (not installed, not a repository). `sdl` is undefined when the ref has
 * no supergraph yet. Throws a BaselineError for a chosen ref git does not know.
 */
export async function loadBaselineSupergraph(options: LoadBaselineOptions = {}): Promise<BaselineSupergraph> {
  const supergraphPath = options.supergraphPath ?? DEFAULT_SUPERGRAPH_PATH;
  const ref = options.ref ?? DEFAULT_SCHEMA_BASE_REF;

  const located = await locateInRepository(supergraphPath);
  if (!located.ok) return fromDisk(supergraphPath, `git unavailable: ${located.detail}`);
  const { root, path: inRepository } = located;

  const commit = await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit.ok) {
    if (options.refChosen) {
      throw new BaselineError(
        `The schema base ref "${ref}" (SCHEMA_BASE_REF) is not a commit in this clone. ` +
          'Fetch it first (for example: git fetch origin main), or unset SCHEMA_BASE_REF to compare with HEAD.',
      );
    }
    return fromDisk(supergraphPath, `no commit at ${ref} yet`);
  }

  const source = `${inRepository} at ${ref}`;
  const present = await git(root, ['cat-file', '-e', `${ref}:${inRepository}`]);
  if (!present.ok) return { sdl: undefined, source };
  const shown = await git(root, ['show', `${ref}:${inRepository}`]);
  if (!shown.ok) throw new BaselineError(`Could not read ${source}: ${shown.detail}`);
  return { sdl: shown.stdout, source };
}

export interface CheckBreakingChangesOptions extends LoadBaselineOptions {
  subgraphsDir?: string;
  urls?: Record<string, string>;
  /** Pass even with breaking changes (ALLOW_BREAKING_CHANGES=1), with a warning. */
  allowBreakingChanges?: boolean;
}

export type BreakingChangeCheck =
  | {
      ok: true;
      /** What was compared, for a one-line report. */
      message: string;
      /** Set when breaking changes were let through by the override: print it. */
      warning?: string;
      diff?: SchemaDiff;
    }
  | {
      ok: false;
      reason: 'breaking-changes' | 'missing-subgraph-schemas' | 'composition-failed' | 'baseline-unavailable';
      message: string;
      diff?: SchemaDiff;
    };

const HOW_TO_CHANGE =
  'Deprecate first: mark what you want to change @deprecated(reason: "Use … instead."), release that, ' +
  'move every client off it, then remove or change it. If this break is intended and every client ' +
  'is ready, run with ALLOW_BREAKING_CHANGES=1 and commit with the trailer "Schema-Break-Allowed: <reason>".';

/** Reads ALLOW_BREAKING_CHANGES: `1` or `true` (any case) turns the override on. */
export function allowBreakingChangesFrom(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true'].includes(value.trim().toLowerCase());
}

/**
 * Whether the API composed from the working tree's subgraph schemas keeps every client working
 * that works against the baseline supergraph's API (see schema-diff.ts for the rule).
 */
export async function checkBreakingChanges(options: CheckBreakingChangesOptions = {}): Promise<BreakingChangeCheck> {
  let composed: string;
  try {
    composed = composeSupergraph(await loadSubgraphSchemas(options.subgraphsDir, options.urls));
  } catch (error) {
    if (error instanceof MissingSubgraphSchemaError) return { ok: false, reason: 'missing-subgraph-schemas', message: error.message };
    if (error instanceof CompositionError) return { ok: false, reason: 'composition-failed', message: error.message };
    throw error;
  }

  let baseline: BaselineSupergraph;
  try {
    baseline = await loadBaselineSupergraph(options);
  } catch (error) {
    if (error instanceof BaselineError) return { ok: false, reason: 'baseline-unavailable', message: error.message };
    throw error;
  }
  if (baseline.sdl === undefined) {
    return { ok: true, message: `No baseline supergraph (${baseline.source}): nothing to compare with.` };
  }

  let diff: SchemaDiff;
  try {
    diff = await diffSupergraphs(baseline.sdl, composed);
  } catch (error) {
    return {
      ok: false,
      reason: 'baseline-unavailable',
      message: `The baseline supergraph (${baseline.source}) could not be read as a schema: ${(error as Error).message}`,
    };
  }

  const allowed =
    diff.allowedBreaking.length > 0
      ? `\nRemoved or changed after being deprecated (allowed):\n${formatSchemaChanges(diff.allowedBreaking)}`
      : '';
  if (diff.breaking.length === 0) {
    return { ok: true, diff, message: `No breaking API changes against ${baseline.source}.${allowed}` };
  }
  const listed = `${diff.breaking.length} breaking API change(s) against ${baseline.source}:\n${formatSchemaChanges(diff.breaking)}`;
  if (options.allowBreakingChanges) {
    return {
      ok: true,
      diff,
      message: `Breaking API changes let through by ALLOW_BREAKING_CHANGES.${allowed}`,
      warning: `WARNING: ALLOW_BREAKING_CHANGES is set, so these are allowed. Clients using them will break.\n${listed}`,
    };
  }
  return { ok: false, reason: 'breaking-changes', diff, message: `${listed}\n${HOW_TO_CHANGE}${allowed}` };
}
