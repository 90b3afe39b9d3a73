// Each subgraph's own cost for its part of the gateway benchmark's three-subgraph query (see
// bench/README.md, "Each subgraph's part of the gateway query"). No gateway runs: the subgraph
// queries the gateway's plan sends are written out in plan.ts and sent to each subgraph directly.
//
//   npx tsx bench/subgraphs.ts                                  10 connections, 10 s a subgraph
//   npx tsx bench/subgraphs.ts --connections 1,10 --duration 5 --rounds 3
//   npx tsx bench/subgraphs.ts --profile /tmp/subgraph-profiles     V8 CPU profiles of each subgraph
//   npx tsx bench/subgraphs.ts --queries                        SQL statements per request instead of timing
//   npx tsx bench/subgraphs.ts --source /tmp/before             the subgraphs of another commit (see --source below)
//
// It starts the provider (sample directory), referral and evidence subgraphs as separate
// processes on free ports with fresh SQLite databases in a temporary folder, asks the provider
// for its part once to build the `_entities` representations the gateway would send on, checks
// every part answers without errors, then loads each subgraph in turn (closed loop) and reads
// its CPU time from /proc/<pid>/stat: CPU per request is robust to other load on the machine,
// latency is not.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  graphql,
  poolResults,
  runLoad,
  serviceEnvironment,
  startSubgraphs,
  table,
  fmt,
  stopAllServices,
  stopServicesOnSignal,
  type LoadResult,
  type Service,
} from './support';
import { EVIDENCE_PART, PROVIDER_PART, REFERRAL_PART, evidenceRepresentation, referralRepresentation, type ProviderNode } from './plan';

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '10' },
    'warm-up': { type: 'string', default: '3' },
    first: { type: 'string', default: '5' },
    'log-level': { type: 'string', default: 'warn' },
    'show-logs': { type: 'boolean', default: false },
    /** Write V8 CPU profiles of each subgraph into <folder>/<subgraph>/ when it stops. */
    profile: { type: 'string' },
    /**
     * Instead of timing: count the SQL statements each part sends to the database, from the
     * Prisma driver adapter's debug log (which costs time, so it is on only in this mode).
     */
    queries: { type: 'boolean', default: false },
    /**
     * Start the subgraphs from another copy of the repository's `subgraphs/` folder, to compare
     * commits in the same conditions, such as one made with
     * `git archive <commit> subgraphs | tar -x -C <dir>` and `ln -s $PWD/node_modules <dir>/`.
     */
    source: { type: 'string' },
  },
  strict: true,
});
const DURATION_MS = Number(options.duration) * 1000;
const WARM_UP_MS = Number(options['warm-up']) * 1000;
const CONNECTIONS = options.connections!.split(',').map(Number);
const FIRST = Number(options.first);
const ROUNDS = Number(options.rounds);
if (!(DURATION_MS > 0) || !(WARM_UP_MS >= 0) || !(Number.isInteger(ROUNDS) && ROUNDS >= 1) || CONNECTIONS.some((n) => !Number.isInteger(n) || n < 1) || !(Number.isInteger(FIRST) && FIRST >= 1 && FIRST <= 100)) {
  throw new Error('--duration and --warm-up are seconds; --rounds a positive whole number; --connections a list of positive whole numbers such as 1,10; --first 1 to 100');
}

const SUBGRAPHS = ['provider', 'evidence', 'referral'] as const;
type Subgraph = (typeof SUBGRAPHS)[number];

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sp-bench-subgraphs-'));
  stopServicesOnSignal(() => rm(dataDir, { recursive: true, force: true }));
  const services: Service[] = [];
  const started = new Date();
  const loadBefore = loadavg();
  try {
    const common: Record<string, string> = {
      DATA_DIR: dataDir,
      ...serviceEnvironment('development', dataDir),
      LOG_LEVEL: options['log-level']!,
      ...(options.queries ? { DEBUG: 'prisma:driver-adapter:*', DEBUG_COLORS: 'false' } : {}),
    };
    const entry = (name: Subgraph) => (options.source ? path.resolve(options.source, 'subgraphs', name, 'src/index.ts') : `subgraphs/${name}/src/index.ts`);
    const profileArgs = (name: string) => (options.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.profile, name)}`] : []);
    process.stdout.write(`Starting the provider (sample directory), referral and evidence subgraphs on SQLite in ${dataDir} ...\n`);
    const { services: subgraphServices, urls } = await startSubgraphs(common, { entry, nodeArgs: profileArgs });
    const { provider, referral, evidence } = subgraphServices;
    services.push(provider, referral, evidence);
    const pids: Record<Subgraph, number> = { provider: provider.child.pid!, referral: referral.child.pid!, evidence: evidence.child.pid! };

    // The provider's answer gives the representations the gateway passes on.
    const page = await graphql(urls.provider, PROVIDER_PART, { first: FIRST });
    if (page.errors?.length || !page.data) throw new Error(`The provider answered with errors: ${JSON.stringify(page.errors ?? page)}`);
    const nodes: ProviderNode[] = page.data.activities.edges.map((edge: { node: ProviderNode }) => edge.node);
    if (nodes.length === 0) throw new Error('The sample directory has no activities.');
    const parts: Record<Subgraph, { query: string; variables: Record<string, unknown> }> = {
      provider: { query: PROVIDER_PART, variables: { first: FIRST } },
      evidence: {
        query: EVIDENCE_PART,
        variables: {
          representations: nodes.map(evidenceRepresentation),
        },
      },
      referral: { query: REFERRAL_PART, variables: { representations: nodes.map(referralRepresentation) } },
    };
    for (const name of SUBGRAPHS) {
      const answer = await graphql(urls[name], parts[name].query, parts[name].variables);
      if (answer.errors?.length || !answer.data) throw new Error(`${name} answered with errors: ${JSON.stringify(answer.errors ?? answer)}`);
    }
    const withEvidence = (await graphql(urls.evidence, EVIDENCE_PART, parts.evidence.variables)).data!._entities.filter((entity: { evidence: unknown[] }) => entity.evidence.length > 0).length;
    process.stdout.write(`Checked: every part answers (${nodes.length} activities, ${withEvidence} with an evidence headline).\n`);

    if (options.queries) {
      // The adapters log each statement as "[js::queryRaw]" / "[js::query_raw]" (and execute);
      // a request is sent a few times and the most recent one's statements are counted, so
      // caches filled by the first request show.
      const statements = { provider, referral, evidence };
      for (const name of SUBGRAPHS) {
        const counts: number[] = [];
        let sql: string[] = [];
        for (let attempt = 0; attempt < 3; attempt += 1) {
          let count = 0;
          sql = [];
          const listener = (chunk: Buffer) => {
            const text = chunk.toString();
            count += text.match(/\[js::(?:queryRaw|query_raw|executeRaw|execute_raw)\]/g)?.length ?? 0;
            for (const match of text.matchAll(/"sql": "((?:[^"\\]|\\.)*)"/g)) sql.push(match[1]!.replaceAll('`main`.', '').slice(0, 180));
          };
          statements[name].child.stderr!.on('data', listener);
          const answer = await graphql(urls[name], parts[name].query, parts[name].variables);
          if (answer.errors?.length) throw new Error(`${name} answered with errors: ${JSON.stringify(answer.errors)}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
          statements[name].child.stderr!.off('data', listener);
          counts.push(count);
        }
        process.stdout.write(`  ${name}: SQL statements per request ${counts.join(', ')} (first, second, third); the third:\n${sql.map((line) => `    ${line}\n`).join('')}`);
      }
      return;
    }

    // Warm every subgraph first (JIT, caches, sockets).
    const top = Math.max(...CONNECTIONS);
    for (const name of SUBGRAPHS) await runLoad({ url: urls[name], ...parts[name], connections: top, durationMs: WARM_UP_MS * 2 });

    const collected = new Map<string, LoadResult[]>();
    for (let round = 1; round <= ROUNDS; round += 1) {
      if (ROUNDS > 1) process.stdout.write(`Round ${round} of ${ROUNDS} ...\n`);
      for (const connections of CONNECTIONS) {
        for (const name of SUBGRAPHS) {
          const result = await runLoad({
            url: urls[name],
            ...parts[name],
            connections,
            durationMs: DURATION_MS,
            warmUpMs: WARM_UP_MS,
            cpuOf: { subgraph: pids[name], client: process.pid },
          });
          const key = `${name}@${connections}`;
          collected.set(key, [...(collected.get(key) ?? []), result]);
        }
      }
    }

    const rows: string[][] = [];
    for (const connections of CONNECTIONS) {
      for (const name of SUBGRAPHS) {
        const result = poolResults(collected.get(`${name}@${connections}`)!);
        rows.push([
          name,
          String(connections),
          fmt(result.cpuMsPerRequest.subgraph!, 2),
          fmt(result.requestsPerSecond, 0),
          fmt(result.p50, 2),
          fmt(result.p99, 2),
          fmt(result.cpuMsPerRequest.client!, 2),
          result.failures ? `${result.failures} (${result.firstFailure})` : '0',
        ]);
      }
    }
    process.stdout.write(
      `\nEach subgraph's part of the three-subgraph query (first: ${FIRST}), sent directly, ${DURATION_MS / 1000} s${ROUNDS > 1 ? ` × ${ROUNDS} rounds` : ''} each\n` +
        `${table(['subgraph', 'connections', 'CPU ms/req', 'requests/s', 'p50 ms', 'p99 ms', 'client CPU ms/req', 'failures'], rows)}\n`,
    );
    const loadAfter = loadavg();
    process.stdout.write(
      `\nRun ${started.toISOString()}; Node ${process.version}; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB; ` +
        `load average before ${loadBefore.map((value) => value.toFixed(2)).join(' ')}, after ${loadAfter.map((value) => value.toFixed(2)).join(' ')}; ` +
        `log level ${options['log-level']}; sample directory; subgraphs from ${options.source ?? 'this working tree'}\n`,
    );
  } finally {
    await stopAllServices();
    if (options['show-logs']) for (const service of services) process.stdout.write(`\n--- ${service.name} (last lines) ---\n${service.output().slice(-6000)}\n`);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
