/**
 * Prints a development token signed with this machine's development key:
 *
 *   npm run token -- --role professional --sub <id> --org <id> --profession GP [--expires 8h]
 *
 * Only the token goes to standard output, so `TOKEN=$(npm run token -- ...)` works.
 */
import { parseArgs } from 'node:util';
import { loadAuthConfig } from '../src/config';
import { MAX_DEVELOPMENT_TOKEN_SECONDS, parseDuration, signDevelopmentToken } from '../src/development';
import { PROFESSIONS, ROLES, type Profession, type Role, type UserClaims } from '../src/identity';

const USAGE = `Usage: npm run token -- --role <role> --sub <id> [--org <id>] [--profession <profession>] [--expires <duration>]

  --role        ${ROLES.join(', ')}
  --sub         the user's id (the token's subject)
  --org         the organisation they act for (required for a provider)
  --profession  required for a professional: ${PROFESSIONS.join(', ')}
  --expires     how long the token lasts, such as 30m, 8h or 7d (default 8h, at most 30d)

Signs with the development key (AUTH_DEV_KEY_FILE, by default data/dev-signing-key.json),
creating it on first use.`;

class UsageError extends Error {}

function includes<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function claimsFrom(argv: string[]): { claims: UserClaims; expires: string } | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        org: { type: 'string' },
        profession: { type: 'string' },
        expires: { type: 'string', default: '8h' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';

  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const problems: string[] = [];
  const role = text('role');
  const sub = text('sub');
  const org = text('org');
  const profession = text('profession');
  const expires = text('expires') ?? '8h';

  if (!role) problems.push(`--role is required (one of ${ROLES.join(', ')}).`);
  else if (!includes(ROLES, role)) problems.push(`--role must be one of ${ROLES.join(', ')} (given "${role}").`);
  if (!sub) problems.push('--sub is required: the id of the user the token is for.');
  if (org === '') problems.push('--org must not be empty.');
  if (role === 'provider' && !org) problems.push('--org is required for a provider.');
  if (role === 'professional' && !profession) {
    problems.push(`--profession is required for a professional (one of ${PROFESSIONS.join(', ')}).`);
  }
  if (profession && !includes(PROFESSIONS, profession)) {
    problems.push(`--profession must be one of ${PROFESSIONS.join(', ')} (given "${profession}").`);
  }
  if (profession && role && role !== 'professional') problems.push('--profession applies only to --role professional.');
  const lifetime = parseDuration(expires);
  if (lifetime === undefined || lifetime > MAX_DEVELOPMENT_TOKEN_SECONDS) {
    problems.push(`--expires must be a duration such as 30m, 8h or 7d, at most 30d (given "${expires}").`);
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));

  return {
    claims: {
      subject: sub as string,
      role: role as Role,
      ...(org ? { organizationId: org } : {}),
      ...(profession ? { profession: profession as Profession } : {}),
    },
    expires,
  };
}

async function main(): Promise<number> {
  let request: ReturnType<typeof claimsFrom>;
  try {
    request = claimsFrom(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (request === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const config = loadAuthConfig(process.env);
  if (config.mode !== 'development') {
    process.stderr.write(
      'AUTH_MODE is production: tokens come from the identity provider there, and a development token would be refused.\n',
    );
    return 1;
  }
  const token = await signDevelopmentToken(config.keyFile, request.claims, { expiresIn: request.expires });
  process.stdout.write(`${token}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
