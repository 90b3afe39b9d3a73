/**
 * The history check: walks the committed versions of the supergraph, oldest first, and compares
 * the API of each with the one before (schema-diff.ts's rule). The check against SCHEMA_BASE_REF
 * covers the working tree; this covers what has already been committed, which on a clean clone of
 * main is the only place a break made with ALLOW_BREAKING_CHANGES=1 (or by hand) can be seen.
 *
 * A version that breaks the API of the one before fails, unless its commit message carries the
 * trailer `Schema-Break-Allowed: <reason>` or its commit is in LANDED_SCHEMA_BREAKS.
 */
import type { GraphQLSchema } from 'graphql';
import { git, locateInRepository } from './schema-baseline';
import { apiSchemaFromSupergraph, diffSchemas, formatSchemaChanges, type SchemaChange } from './schema-diff';
import { DEFAULT_SUPERGRAPH_PATH } from './supergraph';

/** The commit-message trailer that lets a version break the API of the one before: `Schema-Break-Allowed: <reason>`. */
export const SCHEMA_BREAK_TRAILER = 'Schema-Break-Allowed';

/**
 * Breaks that landed without the trailer and cannot be amended now (history is not rewritten),
 * by full commit hash, with the reason. Add one only for a break that is already on main.
 */
export const LANDED_SCHEMA_BREAKS: Readonly<Record<string, string>> = {
  // e77a392 "Supergraph recomposed from the committed referral and evidence schemas"
  e77a3923be28f864d37fcecf2c186ec2c0758acf:
    'landed before the breaking-change check (072f769); the supergraph caught up with the referral ' +
    'schema of 3c5a24f, where CreateReferralInput gained the required field person',
};

export interface SupergraphCommit {
  commit: string;
  shortHash: string;
  subject: string;
}

/** A version of the supergraph that breaks the API of the version before it. */
export interface HistoryBreak extends SupergraphCommit {
  /** The commit of the version before, the one it was compared with. */
  previous: SupergraphCommit;
  changes: SchemaChange[];
}

/** A break let through: by the commit's Schema-Break-Allowed trailer, or by LANDED_SCHEMA_BREAKS. */
export interface AllowedHistoryBreak extends HistoryBreak {
  allowedBy: 'trailer' | 'landed-schema-breaks';
  reason: string;
}

export type SchemaHistoryCheck =
  | {
      ok: true;
      /** `checked`: every pair of versions was compared; `unavailable`: the history could not be read (no git, a shallow clone). */
      status: 'checked' | 'unavailable';
      /** A one-line report, followed by one line per allowed break. */
      message: string;
      versions: number;
      allowed: AllowedHistoryBreak[];
    }
  | {
      ok: false;
      reason: 'breaking-changes' | 'unreadable-version';
      message: string;
      versions: number;
      breaking: HistoryBreak[];
      allowed: AllowedHistoryBreak[];
    };

export interface CheckSchemaHistoryOptions {
  /** The working-tree path of the supergraph; its history is read from the repository it is in. */
  supergraphPath?: string;
  /** Breaks exempted by commit hash (default LANDED_SCHEMA_BREAKS). */
  landedBreaks?: Readonly<Record<string, string>>;
}

interface Version extends SupergraphCommit {
  parents: string[];
  /** The Schema-Break-Allowed trailers' values, joined; empty when there are none. */
  breakAllowed: string;
}

// Fields and records are separated by ASCII unit and record separators, which no subject contains.
const FIELD = '\x1f';
const RECORD = '\x1e';
const TRAILER_FORMAT = `%(trailers:key=${SCHEMA_BREAK_TRAILER},valueonly)`;

function trailerValue(raw: string): string {
  return raw
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ');
}

const unavailable = (message: string): SchemaHistoryCheck => ({ ok: true, status: 'unavailable', message, versions: 0, allowed: [] });

const named = (commit: SupergraphCommit) => `${commit.shortHash} "${commit.subject}"`;

/**
 * Compares each committed version of the supergraph with the one before it, along the first-parent
 * line of HEAD (what main saw, one version per commit or merge that changed the file).
 */
export async function checkSchemaHistory(options: CheckSchemaHistoryOptions = {}): Promise<SchemaHistoryCheck> {
  const supergraphPath = options.supergraphPath ?? DEFAULT_SUPERGRAPH_PATH;
  const landedBreaks = options.landedBreaks ?? LANDED_SCHEMA_BREAKS;

  const located = await locateInRepository(supergraphPath);
  if (!located.ok) return unavailable(`Supergraph history not checked: git unavailable (${located.detail}).`);
  const { root, path } = located;

  const shallow = await git(root, ['rev-parse', '--is-shallow-repository']);
  if (!shallow.ok) return unavailable(`Supergraph history not checked: ${shallow.detail}.`);
  if (shallow.stdout.trim() === 'true') {
    return unavailable(
      `Supergraph history not checked: this is a shallow clone, so the earlier versions of ${path} are not here ` +
        '(git fetch --unshallow to check them).',
    );
  }

  const logged = await git(root, [
    'log',
    '--first-parent',
    '--reverse',
    `--format=%H${FIELD}%h${FIELD}%P${FIELD}%s${FIELD}${TRAILER_FORMAT}${RECORD}`,
    '--',
    path,
  ]);
  if (!logged.ok) {
    // A repository with no commits yet has no history to check.
    const noCommits = (await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD'])).ok === false;
    if (noCommits) {
      return { ok: true, status: 'checked', message: 'Supergraph history: no commits yet, nothing to compare.', versions: 0, allowed: [] };
    }
    return unavailable(`Supergraph history not checked: ${logged.detail}.`);
  }
  // A git older than 2.22 prints %(trailers:key=…) as it stands instead of reading the trailer.
  if (logged.stdout.includes('%(trailers')) {
    return unavailable('Supergraph history not checked: this git cannot read commit trailers (git 2.22 or later can).');
  }
  const commits: Version[] = logged.stdout
    .split(RECORD)
    .map((record) => record.replace(/^\n/, ''))
    .filter(Boolean)
    .map((record) => {
      const [commit = '', shortHash = '', parents = '', subject = '', trailers = ''] = record.split(FIELD);
      return { commit, shortHash, parents: parents.split(' ').filter(Boolean), subject, breakAllowed: trailerValue(trailers) };
    });

  /** Why a break at this version is allowed, if it is. A merge also counts the trailers of the commits it brings in. */
  const allowance = async (version: Version): Promise<Pick<AllowedHistoryBreak, 'allowedBy' | 'reason'> | undefined> => {
    if (version.breakAllowed) return { allowedBy: 'trailer', reason: version.breakAllowed };
    const landed = landedBreaks[version.commit];
    if (landed) return { allowedBy: 'landed-schema-breaks', reason: landed };
    if (version.parents.length > 1) {
      const merged = await git(root, ['log', `--format=${TRAILER_FORMAT}`, `${version.parents[0]}..${version.commit}`, '--', path]);
      const reason = merged.ok ? trailerValue(merged.stdout) : '';
      if (reason) return { allowedBy: 'trailer', reason };
    }
    return undefined;
  };

  const breaking: HistoryBreak[] = [];
  const allowed: AllowedHistoryBreak[] = [];
  const unreadable: string[] = [];
  let previous: { version: Version; schema: GraphQLSchema } | undefined;
  let versions = 0;

  for (const version of commits) {
    // A commit that deletes the file has no version; the next one is compared with the last there was.
    if (!(await git(root, ['cat-file', '-e', `${version.commit}:${path}`])).ok) continue;
    const shown = await git(root, ['show', `${version.commit}:${path}`]);
    let schema: GraphQLSchema;
    try {
      if (!shown.ok) throw new Error(shown.detail);
      schema = apiSchemaFromSupergraph(shown.stdout);
    } catch (error) {
      const allowedHere = await allowance(version);
      if (!allowedHere) unreadable.push(`${named(version)}: ${(error as Error).message}`);
      continue; // the next version is compared with the last readable one
    }
    versions += 1;
    if (previous) {
      const diff = await diffSchemas(previous.schema, schema);
      if (diff.breaking.length > 0) {
        const found: HistoryBreak = {
          commit: version.commit,
          shortHash: version.shortHash,
          subject: version.subject,
          previous: { commit: previous.version.commit, shortHash: previous.version.shortHash, subject: previous.version.subject },
          changes: diff.breaking,
        };
        const allowedHere = await allowance(version);
        if (allowedHere) allowed.push({ ...found, ...allowedHere });
        else breaking.push(found);
      }
    }
    previous = { version, schema };
  }

  const allowedLines = allowed.map(
    (entry) =>
      `  ${named(entry)}: ${entry.changes.length} breaking change(s) allowed by ` +
      `${entry.allowedBy === 'trailer' ? `${SCHEMA_BREAK_TRAILER}` : 'LANDED_SCHEMA_BREAKS'}: ${entry.reason}`,
  );

  if (unreadable.length > 0) {
    return {
      ok: false,
      reason: 'unreadable-version',
      versions,
      breaking,
      allowed,
      message: `Committed version(s) of ${path} that are not a readable supergraph:\n  ${unreadable.join('\n  ')}`,
    };
  }

  if (breaking.length > 0) {
    const listed = breaking.map(
      (entry) =>
        `${named(entry)} makes ${entry.changes.length} breaking change(s) to the API of ${entry.previous.shortHash}:\n` +
        formatSchemaChanges(entry.changes),
    );
    return {
      ok: false,
      reason: 'breaking-changes',
      versions,
      breaking,
      allowed,
      message:
        `${breaking.length} committed version(s) of ${path} break the API of the version before:\n${listed.join('\n')}\n` +
        `If a break is intended, say so in that commit's message with the trailer "${SCHEMA_BREAK_TRAILER}: <reason>" ` +
        `(git commit --amend --trailer "${SCHEMA_BREAK_TRAILER}: <reason>", before it reaches main). ` +
        'If not, deprecate instead of removing. A break already on main goes in LANDED_SCHEMA_BREAKS ' +
        '(gateway/src/schema-history.ts) with its reason.' +
        (allowedLines.length > 0 ? `\nAllowed:\n${allowedLines.join('\n')}` : ''),
    };
  }

  const summary =
    versions < 2
      ? `Supergraph history: ${versions} committed version(s) of ${path}, nothing to compare.`
      : `Supergraph history: ${versions} committed versions of ${path}; none breaks the API of the one before` +
        (allowed.length > 0 ? `, apart from ${allowed.length} allowed break(s):` : '.');
  return { ok: true, status: 'checked', versions, allowed, message: [summary, ...allowedLines].join('\n') };
}
