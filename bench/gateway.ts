// The gateway benchmark, and the evidence for the choice of runtime. See bench/README.md
// ("The gateway and its runtime") and gateway/README.md ("Choice of runtime").
//
//   npx tsx bench/gateway.ts                                   our gateway and @apollo/gateway, 10 s a measurement
//   npx tsx bench/gateway.ts --runtime all                     and the bare Hive runtime too
//   npx tsx bench/gateway.ts --runtime all --duration 5 --rounds 3    interleaved rounds, pooled (noisy machine)
//   npx tsx bench/gateway.ts --runtime hive --duration 5 --connections 1,32
//   npx tsx bench/gateway.ts --runtime all --profile /tmp/gateway-profiles   V8 CPU profiles of the gateways
//   npx tsx bench/gateway.ts --mode production                 every service with NODE_ENV=production
//
// It starts the provider (sample directory), referral and evidence subgraphs and each gateway as
// separate processes on free ports, with fresh SQLite databases in a temporary folder. Then:
//  (1) a one-subgraph query, straight to the provider and through each gateway, at 1 connection:
//      p50 of each and what the gateway adds;
//  (2) a query touching all three subgraphs through each gateway at 1, 10 and 32 connections
//      (closed loop): p50, p99, requests per second, the gateway's CPU time per request, and the
//      requests per second as a share of the provider's own for the part of the query it serves.
// In-flight deduplication is off in every gateway (Hive's is on by default; @apollo/gateway has
// none), since every client here sends the same query.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  freePort,
  graphql,
  poolResults,
  processCpuMs,
  runLoad,
  serviceEnvironment,
  startSubgraphs,
  table,
  fmt,
  startService,
  stopAllServices,
  stopServicesOnSignal,
  waitUntilAnswers,
  type LoadResult,
  type Service,
} from './support';

const RUNTIMES = {
  hive: { label: 'our gateway (Hive runtime + Rust planner)', entry: 'gateway/src/index.ts' },
  'hive-runtime': { label: 'Hive runtime + Rust planner, bare', entry: 'bench/hive-runtime.ts' },
  apollo: { label: '@apollo/gateway 2.14, bare', entry: 'bench/apollo-gateway.ts' },
  floor: { label: 'transport floor (no GraphQL work)', entry: 'bench/floor-gateway.ts' },
} as const;
type Runtime = keyof typeof RUNTIMES;

const CHOICES: Record<string, Runtime[]> = {
  hive: ['hive'],
  'hive-runtime': ['hive-runtime'],
  apollo: ['apollo'],
  floor: ['floor'],
  both: ['hive', 'apollo'],
  all: ['hive', 'hive-runtime', 'apollo', 'floor'],
};

const { values: options } = parseArgs({
  options: {
    runtime: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '1,10,32' },
    'warm-up': { type: 'string', default: '2' },
    first: { type: 'string', default: '5' },
    'log-level': { type: 'string', default: 'warn' },
    'show-logs': { type: 'boolean', default: false },
    /**
     * `development` (the default) runs every service as `npm start` does; `production` as
     * deployed (NODE_ENV=production, which also switches off graphql-js's development checks).
     */
    mode: { type: 'string', default: 'development' },
    /**
     * Write V8 CPU profiles of each gateway into <folder>/<runtime>/ when it stops (one per
     * thread: the largest is the main thread; tsx's module hooks have a thread of their own).
     */
    profile: { type: 'string' },
  },
  strict: true,
});
const runtimes: Runtime[] = CHOICES[options.runtime!] ?? [];
const DURATION_MS = Number(options.duration) * 1000;
const WARM_UP_MS = Number(options['warm-up']) * 1000;
const CONNECTIONS = options.connections!.split(',').map(Number);
const FIRST = Number(options.first);
const ROUNDS = Number(options.rounds);
if (runtimes.length === 0) throw new Error(`--runtime must be one of ${Object.keys(CHOICES).join(', ')}`);
if (!(DURATION_MS > 0) || !(WARM_UP_MS >= 0) || !(Number.isInteger(ROUNDS) && ROUNDS >= 1) || CONNECTIONS.some((n) => !Number.isInteger(n) || n < 1) || !(Number.isInteger(FIRST) && FIRST >= 1 && FIRST <= 100)) {
  throw new Error('--duration and --warm-up are seconds; --rounds a positive whole number; --connections a list of positive whole numbers such as 1,10,32; --first 1 to 100');
}

/** (1) One subgraph: a small page of the directory. */
const ONE_SUBGRAPH = `query OneSubgraph($first: Int!) { activities(first: $first) { edges { node { id name town } } } }`;
/**
 * (2) All three: the same page, with each activity's strongest evidence (evidence subgraph,
 * which @requires the activity's types, conditions and organisation from the provider) and its
 * referral count (referral subgraph; public). Plan: provider, then evidence and referral together.
 */
const THREE_SUBGRAPHS = `query ThreeSubgraphs($first: Int!) {
  activities(first: $first) { edges { node { id name town evidence(first: 1) { headline } referralCount } } }
}`;
/** What the provider serves of THREE_SUBGRAPHS: the comparable one-subgraph query, sent to it directly. */
const PROVIDER_PART = `query ProviderPart($first: Int!) {
  activities(first: $first) { edges { node { id name town activityTypes { code } conditions { code } organization { id } } } }
}`;

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sp-bench-gateway-'));
  stopServicesOnSignal(() => rm(dataDir, { recursive: true, force: true }));
  const services: Service[] = [];
  const started = new Date();
  const loadBefore = loadavg();
  try {
    const common: Record<string, string> = {
      DATA_DIR: dataDir,
      ...serviceEnvironment(options.mode!, dataDir),
      LOG_LEVEL: options['log-level']!,
      // @apollo/gateway otherwise sends usage metrics to Apollo; nothing here may call out.
      APOLLO_TELEMETRY_DISABLED: 'true',
    };
    process.stdout.write(`Starting the provider (sample directory), referral and evidence subgraphs on SQLite in ${dataDir} ...\n`);
    const { services: subgraphServices, urls } = await startSubgraphs(common);
    const { provider, referral, evidence } = subgraphServices;
    services.push(provider, referral, evidence);

    const gateways: Array<{ runtime: Runtime; service: Service; url: string }> = [];
    for (const runtime of runtimes) {
      const port = await freePort();
      const service = startService(runtime, RUNTIMES[runtime].entry, {
        ...common,
        GATEWAY_PORT: String(port),
        BENCH_PORT: String(port),
        PROVIDER_URL: urls.provider,
        REFERRAL_URL: urls.referral,
        EVIDENCE_URL: urls.evidence,
        // Every request here comes from one client: lift our gateway's per-client limit, which
        // would otherwise answer 429 after 300 requests. The limiter still runs on every request.
        RATE_LIMIT_POINTS: '1000000',
      }, options.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.profile, runtime)}`] : []);
      services.push(service);
      gateways.push({ runtime, service, url: `http://127.0.0.1:${port}/graphql` });
    }
    await Promise.all(gateways.map(({ service, url }) => waitUntilAnswers(service, url, '{ __typename }')));

    // Every gateway must give the same, complete answer before anything is timed.
    const variables = { first: FIRST };
    const answers = await Promise.all(gateways.map(({ url }) => graphql(url, THREE_SUBGRAPHS, variables)));
    for (const [index, answer] of answers.entries()) {
      if (answer.errors?.length || !answer.data) throw new Error(`${gateways[index]!.runtime} answered with errors: ${JSON.stringify(answer.errors ?? answer)}`);
      if (!isDeepStrictEqual(answer.data, answers[0]!.data)) throw new Error(`${gateways[index]!.runtime} answered differently from ${gateways[0]!.runtime}`);
    }
    const nodes: Array<{ evidence: unknown[]; referralCount: number }> = answers[0]!.data!.activities.edges.map((edge: { node: unknown }) => edge.node);
    if (nodes.length === 0) throw new Error('The sample directory has no activities.');
    const withEvidence = nodes.filter((node) => node.evidence.length > 0).length;
    process.stdout.write(
      `Checked: ${gateways.map((gateway) => gateway.runtime).join(', ')} give the same answer to the three-subgraph query ` +
        `(${nodes.length} activities, ${withEvidence} with an evidence headline, referral counts present).\n`,
    );

    const subgraphPids = { provider: provider.child.pid!, referral: referral.child.pid!, evidence: evidence.child.pid! };
    const measure = (url: string, query: string, connections: number, gatewayPid?: number) =>
      runLoad({
        url,
        query,
        variables,
        connections,
        durationMs: DURATION_MS,
        warmUpMs: WARM_UP_MS,
        cpuOf: { ...subgraphPids, client: process.pid, ...(gatewayPid ? { gateway: gatewayPid } : {}) },
      });
    const failuresOf = (result: LoadResult) => (result.failures ? `${result.failures} (${result.firstFailure})` : '0');

    // Warm every path at the highest concurrency first (query plans, caches, JIT, sockets).
    const top = Math.max(...CONNECTIONS);
    await runLoad({ url: urls.provider, query: PROVIDER_PART, variables, connections: top, durationMs: WARM_UP_MS * 2 });
    for (const { url } of gateways) {
      await runLoad({ url, query: ONE_SUBGRAPH, variables, connections: top, durationMs: WARM_UP_MS });
      await runLoad({ url, query: THREE_SUBGRAPHS, variables, connections: top, durationMs: WARM_UP_MS * 2 });
    }

    // What each process spends with nothing to do (timers, pollers, metrics): it is spread over
    // few requests at 1 connection, so it shows most there.
    const everyPid: Record<string, number> = { ...subgraphPids, ...Object.fromEntries(gateways.map(({ runtime, service }) => [runtime, service.child.pid!])) };
    const idleBefore = Object.fromEntries(Object.entries(everyPid).map(([name, pid]) => [name, processCpuMs(pid)]));
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    process.stdout.write(
      `Idle CPU, ms per second with nothing sent: ${Object.entries(everyPid)
        .map(([name, pid]) => `${name} ${fmt((processCpuMs(pid) - idleBefore[name]!) / 5, 1)}`)
        .join(', ')}\n`,
    );

    // Each round measures every target in turn, so that a burst of load from elsewhere on the
    // machine is spread over all of them; the rounds are pooled.
    const collected = new Map<string, LoadResult[]>();
    const keep = (key: string, result: LoadResult) => collected.set(key, [...(collected.get(key) ?? []), result]);
    for (let round = 1; round <= ROUNDS; round += 1) {
      if (ROUNDS > 1) process.stdout.write(`Round ${round} of ${ROUNDS} ...\n`);
      keep('one:direct', await measure(urls.provider, ONE_SUBGRAPH, 1));
      for (const { runtime, url, service } of gateways) keep(`one:${runtime}`, await measure(url, ONE_SUBGRAPH, 1, service.child.pid));
      for (const connections of CONNECTIONS) {
        keep(`three:direct@${connections}`, await measure(urls.provider, PROVIDER_PART, connections));
        for (const { runtime, url, service } of gateways) {
          keep(`three:${runtime}@${connections}`, await measure(url, THREE_SUBGRAPHS, connections, service.child.pid));
        }
      }
    }
    const pooled = (key: string) => poolResults(collected.get(key)!);
    const each = `${DURATION_MS / 1000} s${ROUNDS > 1 ? ` × ${ROUNDS} rounds` : ''} each`;

    process.stdout.write(`\n(1) One-subgraph query, 1 connection, ${each}\n`);
    const direct = pooled('one:direct');
    const oneRows: string[][] = [['provider directly', fmt(direct.p50, 2), fmt(direct.p99, 2), fmt(direct.requestsPerSecond, 0), '', '', failuresOf(direct)]];
    const added = new Map<Runtime, number>();
    for (const { runtime } of gateways) {
      const result = pooled(`one:${runtime}`);
      added.set(runtime, result.p50 - direct.p50);
      oneRows.push([
        RUNTIMES[runtime].label,
        fmt(result.p50, 2),
        fmt(result.p99, 2),
        fmt(result.requestsPerSecond, 0),
        fmt(result.p50 - direct.p50, 2),
        fmt(result.cpuMsPerRequest.gateway!, 2),
        failuresOf(result),
      ]);
    }
    process.stdout.write(`${table(['', 'p50 ms', 'p99 ms', 'requests/s', 'p50 added ms', 'gateway CPU ms/req', 'failures'], oneRows)}\n`);

    process.stdout.write(
      `\n(2) Three-subgraph query (provider, then evidence and referral), ${each}; ` +
        `"provider directly" serves the provider's part of it\n`,
    );
    const threeRows: string[][] = [];
    const results = new Map<string, LoadResult>();
    for (const connections of CONNECTIONS) {
      const alone = pooled(`three:direct@${connections}`);
      threeRows.push([
        `provider directly`,
        String(connections),
        fmt(alone.requestsPerSecond, 0),
        fmt(alone.p50),
        fmt(alone.p99),
        '',
        `${fmt(alone.cpuMsPerRequest.provider!, 2)} / – / –`,
        fmt(alone.cpuMsPerRequest.client!, 2),
        '1.00',
        failuresOf(alone),
      ]);
      for (const { runtime } of gateways) {
        const result = pooled(`three:${runtime}@${connections}`);
        results.set(`${runtime}@${connections}`, result);
        const subgraphsCpu = ['provider', 'referral', 'evidence'].map((name) => fmt(result.cpuMsPerRequest[name]!, 2)).join(' / ');
        threeRows.push([
          RUNTIMES[runtime].label,
          String(connections),
          fmt(result.requestsPerSecond, 0),
          fmt(result.p50),
          fmt(result.p99),
          fmt(result.cpuMsPerRequest.gateway!, 2),
          subgraphsCpu,
          fmt(result.cpuMsPerRequest.client!, 2),
          fmt(result.requestsPerSecond / alone.requestsPerSecond, 2),
          failuresOf(result),
        ]);
      }
    }
    process.stdout.write(
      `${table(['', 'connections', 'requests/s', 'p50 ms', 'p99 ms', 'gateway CPU ms/req', 'CPU ms/req: provider / referral / evidence', 'client CPU ms/req', 'vs provider alone', 'failures'], threeRows)}\n`,
    );

    // The issue's targets, per gateway. The floor is not a gateway: it shows where any Node
    // gateway starts from on this machine.
    process.stdout.write('\nTargets: p50 added ≤ 1 ms (1); at 10 connections p50 ≤ 10 ms and p99 ≤ 50 ms; gateway CPU ≤ 1.5 ms per request (2)\n');
    for (const { runtime } of gateways) {
      const atTen = results.get(`${runtime}@10`);
      const cpu = Math.max(...CONNECTIONS.map((connections) => results.get(`${runtime}@${connections}`)!.cpuMsPerRequest.gateway!));
      const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
      process.stdout.write(
        `  ${RUNTIMES[runtime].label}: p50 added ${fmt(added.get(runtime)!, 2)} ms ${verdict(added.get(runtime)! <= 1)}; ` +
          (atTen ? `at 10 connections p50 ${fmt(atTen.p50)} ms ${verdict(atTen.p50 <= 10)}, p99 ${fmt(atTen.p99)} ms ${verdict(atTen.p99 <= 50)}; ` : '(10 connections not measured); ') +
          `gateway CPU up to ${fmt(cpu, 2)} ms/req ${verdict(cpu <= 1.5)}\n`,
      );
    }

    // What the machine allows. In a closed loop, N requests in flight at X requests per second
    // take N / X seconds each on average (Little's law); when the processes together need C ms of
    // CPU per request, the machine's cores finish at most cores × 1000 / C requests per second.
    const cores = cpus().length;
    const atConnections = CONNECTIONS.includes(10) ? 10 : Math.max(...CONNECTIONS);
    const targetP50 = 10;
    process.stdout.write(
      `\nWhat ${cores} cores allow at ${atConnections} connections: p50 ≤ ${targetP50} ms needs about ${fmt((atConnections * 1000) / targetP50, 0)} requests/s, ` +
        `so at most ${fmt((cores * targetP50) / atConnections, 2)} ms of CPU per request in all processes together (gateway, subgraphs and load generator)\n`,
    );
    for (const { runtime } of gateways) {
      const result = results.get(`${runtime}@${atConnections}`)!;
      const total = Object.values(result.cpuMsPerRequest).reduce((sum, value) => sum + (Number.isFinite(value) ? value : 0), 0);
      const ceiling = (cores * 1000) / total;
      process.stdout.write(
        `  ${RUNTIMES[runtime].label}: ${fmt(total, 2)} ms of CPU per request in all (gateway ${fmt(result.cpuMsPerRequest.gateway!, 2)}), ` +
          `so at most ${fmt(ceiling, 0)} requests/s (measured ${fmt(result.requestsPerSecond, 0)}) and a mean of at least ${fmt((atConnections * 1000) / ceiling)} ms a request\n`,
      );
    }

    const loadAfter = loadavg();
    process.stdout.write(
      `\nRun ${started.toISOString()}; Node ${process.version}; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB; ` +
        `load average before ${loadBefore.map((value) => value.toFixed(2)).join(' ')}, after ${loadAfter.map((value) => value.toFixed(2)).join(' ')}; ` +
        `log level ${options['log-level']}; sample directory, first: ${FIRST}\n`,
    );
  } finally {
    await stopAllServices();
    if (options['show-logs']) for (const service of services) process.stdout.write(`\n--- ${service.name} (last lines) ---\n${service.output().slice(-6000)}\n`);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
