import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** A port that was free a moment ago, for services started in another process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SystemPorts {
  gateway: number;
  provider: number;
  referral: number;
  evidence: number;
  bot: number;
}

export async function pickPorts(): Promise<SystemPorts> {
  return {
    gateway: await freePort(),
    provider: await freePort(),
    referral: await freePort(),
    evidence: await freePort(),
    bot: await freePort(),
  };
}

export interface RunningSystem {
  gatewayUrl: string;
  chatUrl: string;
  /** Everything the processes printed, for diagnosing a failure. */
  output(): string;
  /** Stops every process the start command began, as Ctrl-C would. */
  stop(): Promise<void>;
}

/**
 * Runs the README's `npm start` in its own process group, on the given ports, with the given
 * extra environment (a temporary DATA_DIR, or DATABASE_URL for PostgreSQL).
 */
export function startSystem(ports: SystemPorts, extraEnv: Record<string, string>): RunningSystem {
  const env: Record<string, string | undefined> = {
    ...process.env,
    GATEWAY_PORT: String(ports.gateway),
    PROVIDER_PORT: String(ports.provider),
    REFERRAL_PORT: String(ports.referral),
    EVIDENCE_PORT: String(ports.evidence),
    BOT_PORT: String(ports.bot),
    PROVIDER_URL: `http://127.0.0.1:${ports.provider}/graphql`,
    REFERRAL_URL: `http://127.0.0.1:${ports.referral}/graphql`,
    EVIDENCE_URL: `http://127.0.0.1:${ports.evidence}/graphql`,
    GATEWAY_URL: `http://127.0.0.1:${ports.gateway}/graphql`,
    TURBO_TELEMETRY_DISABLED: '1',
    TURBO_NO_UPDATE_NOTIFIER: '1',
    ...extraEnv,
  };
  // The test runner's own database settings must not leak into the system under test.
  delete env.TEST_DATABASE_URL;
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;

  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: REPOSITORY_DIR,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    gatewayUrl: `http://127.0.0.1:${ports.gateway}/graphql`,
    chatUrl: `http://127.0.0.1:${ports.bot}/`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const group = -child.pid;
      try {
        process.kill(group, 'SIGINT');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(group, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 15_000);
      await exited;
      clearTimeout(timer);
      // Wait for the services themselves (the group), not only npm, to be gone.
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(group, 0);
        } catch {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Polls until `check` returns a value, or fails after `timeoutMs` with the last error. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
