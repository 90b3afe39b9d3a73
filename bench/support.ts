// What the benchmarks share: starting the services as child processes on free ports, waiting
// for them, stopping them (also on Ctrl-C), reading a child's CPU time, a keep-alive HTTP poster
// and a closed-loop load generator. Imported by referral-load.ts and gateway.ts.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));

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

export interface Service {
  name: string;
  child: ChildProcess;
  /** The last 20,000 characters the service wrote to standard output and error. */
  output: () => string;
}

const running = new Set<Service>();

/**
 * Starts `entry` (a TypeScript file, relative to the repository) as `node --import tsx <entry>`,
 * as `npm start` does but without the tsx launcher in between: the child is the service itself,
 * so signals reach it directly and its CPU time (`processCpuMs`) is the service's own.
 * `nodeArgs` go to node before the entry (such as `--cpu-prof`).
 */
export function startService(name: string, entry: string, env: Record<string, string>, nodeArgs: readonly string[] = []): Service {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: REPOSITORY,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const service = { name, child, output: () => output };
  running.add(service);
  child.once('exit', () => running.delete(service));
  return service;
}

export async function stopService(service: Service) {
  if (service.child.exitCode !== null || service.child.signalCode !== null || service.child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => service.child.once('exit', () => resolve()));
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Stops every service still running, most recently started first. */
export async function stopAllServices() {
  for (const service of [...running].reverse()) await stopService(service);
}

let stopping = false;
/**
 * On Ctrl-C or SIGTERM, stops the services this process started (by their own process ids),
 * runs `cleanUp` (temporary folders and the like), and exits. A second signal exits at once.
 */
export function stopServicesOnSignal(cleanUp: () => Promise<void> = async () => undefined) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      process.stderr.write(`\n${signal}: stopping the services ...\n`);
      stopAllServices()
        .then(cleanUp)
        .finally(() => process.exit(130));
    });
  }
  // Last resort if the benchmark itself crashes: never leave a service behind.
  process.once('exit', () => {
    for (const service of running) service.child.kill('SIGKILL');
  });
}

async function poll(service: Service, what: string, timeoutMs: number, attempt: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited:\n${service.output()}`);
    if (await attempt().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} was not ${what} within ${timeoutMs / 1000} s:\n${service.output()}`);
}

/** Waits until the service's `/ready` (same origin as `url`) answers 200. */
export function waitUntilReady(service: Service, url: string, timeoutMs = 90_000) {
  const readyUrl = new URL('/ready', url);
  return poll(service, 'ready', timeoutMs, async () => {
    const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  });
}

/** Waits until `query` sent to `url` answers with data and no errors. */
export function waitUntilAnswers(service: Service, url: string, query: string, timeoutMs = 90_000) {
  return poll(service, 'answering', timeoutMs, async () => {
    const answer = await graphql(url, query, {});
    return answer.data != null && !answer.errors?.length;
  });
}

export interface GraphQLAnswer {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function graphql(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as GraphQLAnswer;
}

/**
 * A poster for load: node:http with a keep-alive agent of one socket per client. (With fetch,
 * undici's pool made a few requests wait seconds at bursts, which measured the load generator
 * rather than the service.) `abandonAfterMs` drops the connection before the answer.
 */
export function createPoster(clients: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  return function post(url: string, query: string, variables: Record<string, unknown>, abandonAfterMs?: number) {
    const body = JSON.stringify({ query, variables });
    return new Promise<GraphQLAnswer>((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      if (abandonAfterMs !== undefined) setTimeout(() => request.destroy(new Error('abandoned')), abandonAfterMs);
      request.end(body);
    });
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

let clockTicksPerSecond: number | undefined;

/**
 * CPU time (user + system, every thread) a process has used so far, in milliseconds, from
 * `/proc/<pid>/stat` (Linux only); NaN once it has exited. Its resolution is one clock tick,
 * usually 10 ms.
 */
export function processCpuMs(pid: number): number {
  clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return Number.NaN; // it has exited (Ctrl-C, or it crashed: the run reports the failures)
  }
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicksPerSecond;
}

export interface LoadOptions {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Requests in flight at all times (closed loop: each connection sends its next request on an answer). */
  connections: number;
  durationMs: number;
  /** Sent first at the same concurrency, not counted. */
  warmUpMs?: number;
  /** Processes whose CPU time is read before and after the measured part. */
  cpuOf?: Record<string, number>;
}

export interface LoadResult {
  requests: number;
  /** Answers that were not HTTP 200, carried GraphQL errors, or failed. */
  failures: number;
  firstFailure?: string;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** CPU milliseconds each process in `cpuOf` used per answered request during the measured part. */
  cpuMsPerRequest: Record<string, number>;
  /** CPU milliseconds each process in `cpuOf` used during the measured part. */
  cpuMs: Record<string, number>;
  /** Every answered request's latency in milliseconds, sorted. */
  latencies: number[];
}

interface Measured {
  latencies: number[];
  failures: number;
  firstFailure?: string | undefined;
  seconds: number;
  cpuMs: Record<string, number>;
}

function summarise({ latencies, failures, firstFailure, seconds, cpuMs }: Measured): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    failures,
    ...(firstFailure ? { firstFailure } : {}),
    seconds,
    requestsPerSecond: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuMs,
    cpuMsPerRequest: Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, ms / Math.max(1, sorted.length)])),
    latencies: sorted,
  };
}

/** Several measurements of the same thing as one: their requests, time, CPU and latencies together. */
export function poolResults(results: readonly LoadResult[]): LoadResult {
  const cpuMs: Record<string, number> = {};
  for (const result of results) for (const [name, ms] of Object.entries(result.cpuMs)) cpuMs[name] = (cpuMs[name] ?? 0) + ms;
  return summarise({
    latencies: results.flatMap((result) => result.latencies),
    failures: results.reduce((sum, result) => sum + result.failures, 0),
    firstFailure: results.find((result) => result.firstFailure)?.firstFailure,
    seconds: results.reduce((sum, result) => sum + result.seconds, 0),
    cpuMs,
  });
}

/**
 * Closed-loop load: `connections` clients, each on its own keep-alive socket, send the same
 * request again as soon as the answer has arrived, for `durationMs` after a warm-up. Every answer
 * is checked (status 200, no `"errors"` in the body).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const body = JSON.stringify({ query: options.query, variables: options.variables ?? {} });
  const target = new URL(options.url);
  const requestOptions: http.RequestOptions = {
    method: 'POST',
    agent,
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers },
  };
  const send = () =>
    new Promise<string | undefined>((resolve) => {
      const request = http.request(requestOptions, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) resolve(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
          else if (text.includes('"errors"')) resolve(text.slice(0, 300));
          else resolve(undefined);
        });
        response.on('error', (error) => resolve(String(error)));
      });
      request.on('error', (error) => resolve(String(error)));
      request.end(body);
    });

  async function phase(durationMs: number, record: boolean) {
    const latencies: number[] = [];
    let failures = 0;
    let firstFailure: string | undefined;
    const deadline = performance.now() + durationMs;
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          const failure = await send();
          if (!record) continue;
          if (failure === undefined) latencies.push(performance.now() - started);
          else {
            failures += 1;
            firstFailure ??= failure;
          }
        }
      }),
    );
    return { latencies, failures, firstFailure };
  }

  try {
    if (options.warmUpMs) await phase(options.warmUpMs, false);
    const cpuBefore = Object.fromEntries(Object.entries(options.cpuOf ?? {}).map(([name, pid]) => [name, processCpuMs(pid)]));
    const started = performance.now();
    const { latencies, failures, firstFailure } = await phase(options.durationMs, true);
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = Object.fromEntries(Object.entries(options.cpuOf ?? {}).map(([name, pid]) => [name, processCpuMs(pid) - cpuBefore[name]!]));
    return summarise({ latencies, failures, firstFailure, seconds, cpuMs });
  } finally {
    agent.destroy();
  }
}

/** A figure for a table: fixed digits, or a dash when there is none. */
export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/**
 * The settings that make the services run in development or as deployed. Production needs an
 * identity provider and a self-service key: no request here carries a token, so the key set is
 * never fetched, and its address is a closed port.
 */
export function serviceEnvironment(mode: string, dataDir: string): Record<string, string> {
  if (mode === 'development') return { NODE_ENV: 'development', AUTH_DEV_KEY_FILE: path.join(dataDir, 'dev-signing-key.json') };
  if (mode !== 'production') throw new Error('--mode must be production or development');
  return {
    NODE_ENV: 'production',
    AUTH_MODE: 'production',
    AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    AUTH_ISSUER: 'https://identity.bench.invalid/',
    REFERRAL_SELF_SERVICE_KEY: randomBytes(32).toString('base64'),
  };
}

export type SubgraphName = 'provider' | 'referral' | 'evidence';

export interface StartSubgraphsOptions {
  /** Each subgraph's entry file; `subgraphs/<name>/src/index.ts` unless given. */
  entry?: (name: SubgraphName) => string;
  /** Extra node arguments per subgraph (a CPU profile, say). */
  nodeArgs?: (name: SubgraphName) => readonly string[];
}

/**
 * Starts the provider (with its sample directory), referral and evidence subgraphs on free ports,
 * as `npm start` does, and waits until each is ready. `env` is shared (DATA_DIR and the like).
 */
export async function startSubgraphs(
  env: Record<string, string>,
  options: StartSubgraphsOptions = {},
): Promise<{ services: Record<SubgraphName, Service>; urls: Record<SubgraphName, string> }> {
  const entry = options.entry ?? ((name: SubgraphName) => `subgraphs/${name}/src/index.ts`);
  const nodeArgs = options.nodeArgs ?? (() => []);
  const ports = { provider: await freePort(), referral: await freePort(), evidence: await freePort() };
  const urls = {
    provider: `http://127.0.0.1:${ports.provider}/graphql`,
    referral: `http://127.0.0.1:${ports.referral}/graphql`,
    evidence: `http://127.0.0.1:${ports.evidence}/graphql`,
  };
  const own: Record<SubgraphName, Record<string, string>> = {
    provider: { PROVIDER_PORT: String(ports.provider) },
    referral: { REFERRAL_PORT: String(ports.referral), PROVIDER_URL: urls.provider },
    evidence: { EVIDENCE_PORT: String(ports.evidence) },
  };
  const names: SubgraphName[] = ['provider', 'referral', 'evidence'];
  const started = names.map((name) => startService(name, entry(name), { ...env, ...own[name] }, nodeArgs(name)));
  const services = { provider: started[0]!, referral: started[1]!, evidence: started[2]! };
  await Promise.all(names.map((name) => waitUntilReady(services[name], urls[name])));
  return { services, urls };
}
