import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../src/verifier';
import { temporaryKeyFile } from './helpers';

const require = createRequire(import.meta.url);
const TSX = require.resolve('tsx/cli');
const SCRIPT = fileURLToPath(new URL('../scripts/token.ts', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the token command', () => {
  let keyFile: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ keyFile, cleanup } = await temporaryKeyFile());
  });
  afterAll(() => cleanup());

  function run(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [TSX, SCRIPT, ...args],
        { env: { PATH: process.env.PATH ?? '', AUTH_DEV_KEY_FILE: keyFile, ...env }, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  it('prints only a token, which verifies', async () => {
    const outcome = await run(['--role', 'professional', '--sub', 'gp-1', '--org', 'practice-7', '--profession', 'GP', '--expires', '1h']);
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(outcome.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = await createTokenVerifier({ mode: 'development', keyFile });
    expect(await verifier.verify(outcome.stdout.trim())).toEqual({
      kind: 'user',
      subject: 'gp-1',
      role: 'professional',
      organizationId: 'practice-7',
      profession: 'GP',
    });
  });

  it('refuses bad arguments with a message on standard error and a non-zero exit', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /--role is required/],
      [['--role', 'wizard', '--sub', 'x'], /--role must be one of professional, provider, admin/],
      [['--role', 'professional', '--sub', 'x'], /--profession is required for a professional/],
      [['--role', 'professional', '--sub', 'x', '--profession', 'DENTIST'], /--profession must be one of/],
      [['--role', 'provider', '--sub', 'x'], /--org is required for a provider/],
      [['--role', 'admin', '--sub', 'x', '--profession', 'GP'], /--profession applies only to --role professional/],
      [['--role', 'admin'], /--sub is required/],
      [['--role', 'admin', '--sub', 'x', '--expires', 'forever'], /--expires must be a duration/],
      [['--role', 'admin', '--sub', 'x', '--expires', '60d'], /at most 30d/],
      [['--role', 'admin', '--sub', 'x', '--colour', 'blue'], /Unknown option '--colour'/],
    ];
    const outcomes = await Promise.all(cases.map(([args]) => run(args)));
    for (const [index, [args, message]] of cases.entries()) {
      const outcome = outcomes[index] as Outcome;
      expect(outcome.code, args.join(' ')).not.toBe(0);
      expect(outcome.stdout, args.join(' ')).toBe('');
      expect(outcome.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('will not make development tokens in production mode', async () => {
    const outcome = await run(['--role', 'admin', '--sub', 'x'], {
      AUTH_MODE: 'production',
      AUTH_JWKS_URL: 'https://login.example.test/jwks',
      AUTH_ISSUER: 'https://login.example.test/',
      AUTH_DEV_KEY_FILE: '',
    });
    expect(outcome.code).not.toBe(0);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/AUTH_MODE is production/);
  });
});
