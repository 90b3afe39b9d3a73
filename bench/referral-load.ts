// The self-referral load benchmark. See bench/README.md ("Self-referrals under load").
//
//   npx tsx bench/referral-load.ts                                   10,000 self-referrals, 50 clients, SQLite
//   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/referral-load.ts   on PostgreSQL
//   npx tsx bench/referral-load.ts --referrals 2000 --clients 20 --retry-rate 0.2
//
// It starts the provider subgraph (with the sample directory), the referral subgraph and the
// gateway as separate processes, as `npm start` does, on free ports and a fresh database. Then
// 50 clients send self-referrals through the gateway, each with its own idempotency key. Clients
// retry at random, as real ones do: some give up on a request before the answer arrives (as if
// the connection dropped) and send it again; some receive the answer and send it again anyway.
// It prints throughput and latency, then checks the database: every acknowledged referral is
// stored exactly once, with the reference the client was given.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openReferralDatabase } from '@sp/prisma/referral';
import type { DatabaseLocation } from '@sp/prisma/database';
import { createPoster, freePort, graphql, percentile, startService, stopService, stopServicesOnSignal, waitUntilReady, type Service } from './support';

const { values: options } = parseArgs({
  options: {
    referrals: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '50' },
    'retry-rate': { type: 'string', default: '0.1' },
    'log-level': { type: 'string', default: 'warn' },
    'show-logs': { type: 'boolean', default: false },
    direct: { type: 'boolean', default: false },
  },
  strict: true,
});
const TOTAL = Number(options.referrals);
const CLIENTS = Number(options.clients);
const RETRY_RATE = Number(options['retry-rate']);
if (!Number.isInteger(TOTAL) || TOTAL < 1 || !Number.isInteger(CLIENTS) || CLIENTS < 1 || !(RETRY_RATE >= 0 && RETRY_RATE < 1)) {
  throw new Error('--referrals and --clients must be positive whole numbers; --retry-rate from 0 to below 1');
}
const postgresUrl = process.env.BENCH_DATABASE_URL;

const CREATE_SELF = `mutation($input: CreateSelfReferralInput!) { createSelfReferral(input: $input) { reference secret status } }`;

const FIRST_NAMES = ['Ailsa', 'Morag', 'Hamish', 'Fiona', 'Callum', 'Isla', 'Euan', 'Kirsty', 'Rory', 'Mhairi'];
const SURNAMES = ['Campbell', 'MacLeod', 'Stewart', 'Robertson', 'Murray', 'Fraser', 'Reid', 'Ross'];
const AREAS = ['DD1', 'DD4', 'G12', 'G41', 'KW15', 'OX4', 'OX16', 'PH1'];

function selfReferral(activityIds: string[], n: number, keyPrefix = 'bench') {
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const byEmail = n % 2 === 0;
  return {
    activityId: pick(activityIds),
    idempotencyKey: `${keyPrefix}-${randomUUID()}`,
    person: {
      name: `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`,
      contactPreference: byEmail ? 'EMAIL' : 'PHONE',
      ...(byEmail ? { email: `person${n}@example.org` } : { phone: `07911 ${String(100000 + (n % 900000)).padStart(6, '0')}` }),
      ageYears: 40 + (n % 50),
      postcodeArea: pick(AREAS),
      whatMattersToMe: 'Meeting people and keeping moving',
    },
    consents: [
      { purpose: 'SHARE_WITH_PROVIDER', granted: true },
      { purpose: 'FOLLOW_UP_CONTACT', granted: n % 3 !== 0 },
    ],
  };
}

interface Acknowledged {
  key: string;
  reference: string;
  secret: string;
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sp-bench-referral-'));
  stopServicesOnSignal(() => rm(dataDir, { recursive: true, force: true }));
  const suffix = randomBytes(4).toString('hex');
  const schemas = { provider: `bench_provider_${suffix}`, referral: `bench_referral_${suffix}` };
  const withSchema = (url: string, schema: string) => {
    const parsed = new URL(url);
    parsed.searchParams.set('schema', schema);
    return parsed.toString();
  };
  const ports = { provider: await freePort(), referral: await freePort(), gateway: await freePort() };
  const urls = {
    provider: `http://127.0.0.1:${ports.provider}/graphql`,
    referral: `http://127.0.0.1:${ports.referral}/graphql`,
    gateway: `http://127.0.0.1:${ports.gateway}/graphql`,
    // Not started: the gateway answers without it for queries that do not need it.
    evidence: `http://127.0.0.1:${await freePort()}/graphql`,
  };
  const common: Record<string, string> = {
    DATA_DIR: dataDir,
    AUTH_DEV_KEY_FILE: path.join(dataDir, 'dev-signing-key.json'),
    LOG_LEVEL: options['log-level']!,
    NODE_ENV: 'development',
  };
  const databaseEnv = (subgraph: 'provider' | 'referral'): Record<string, string> =>
    postgresUrl ? { [`${subgraph.toUpperCase()}_DATABASE_URL`]: withSchema(postgresUrl, schemas[subgraph]) } : {};
  const referralLocation: DatabaseLocation = postgresUrl
    ? { kind: 'postgresql', url: postgresUrl, schema: schemas.referral }
    : { kind: 'sqlite', file: path.join(dataDir, 'referral.db') };

  const services: Service[] = [];
  try {
    process.stdout.write(`Starting provider, referral and gateway on ${postgresUrl ? 'PostgreSQL' : 'SQLite'} ...\n`);
    const provider = startService('provider', 'subgraphs/provider/src/index.ts', { ...common, ...databaseEnv('provider'), PROVIDER_PORT: String(ports.provider) });
    const referral = startService('referral', 'subgraphs/referral/src/index.ts', {
      ...common,
      ...databaseEnv('referral'),
      REFERRAL_PORT: String(ports.referral),
      PROVIDER_URL: urls.provider,
      // Every simulated client comes from 127.0.0.1, so it is one client to the limiters; the
      // benchmark measures the referral path, not the limiters.
      REFERRAL_UNIDENTIFIED_SELF_REFERRALS_PER_HOUR: '10000000',
      REFERRAL_SELF_REFERRALS_PER_HOUR: '1000000',
    });
    services.push(provider, referral);
    await Promise.all([waitUntilReady(provider, urls.provider), waitUntilReady(referral, urls.referral)]);
    const gateway = startService('gateway', 'gateway/src/index.ts', {
      ...common,
      GATEWAY_PORT: String(ports.gateway),
      RATE_LIMIT_POINTS: '1000000',
      SELF_REFERRAL_RATE_LIMIT_POINTS: '1000000',
      PROVIDER_URL: urls.provider,
      REFERRAL_URL: urls.referral,
      EVIDENCE_URL: urls.evidence,
    });
    services.push(gateway);
    const gatewayStarted = Date.now();
    while (Date.now() - gatewayStarted < 90_000) {
      const answer = await graphql(urls.gateway, '{ activities(first: 100) { edges { node { id } } } }', {}).catch(() => undefined);
      if (answer?.data?.activities) break;
      if (gateway.child.exitCode !== null) throw new Error(`gateway exited:\n${gateway.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const activities = await graphql(urls.gateway, '{ activities(first: 100) { edges { node { id } } } }', {});
    const activityIds: string[] = activities.data!.activities.edges.map((edge: { node: { id: string } }) => edge.node.id);
    if (activityIds.length === 0) throw new Error('The directory has no activities.');

    // --direct sends the self-referrals to the referral subgraph itself, to see what the gateway adds.
    const target = options.direct ? urls.referral : urls.gateway;
    const post = createPoster(CLIENTS);
    // Warm up at full concurrency (not measured): compiles query plans, fills the directory cache, opens connections.
    const warmUp = Math.min(1000, 4 * CLIENTS);
    let warmed = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (warmed < warmUp) {
          warmed += 1;
          await post(target, CREATE_SELF, { input: selfReferral(activityIds, warmed, 'warm-up') }).catch(() => undefined);
        }
      }),
    );

    process.stdout.write(
      `Sending ${TOTAL.toLocaleString('en-GB')} self-referrals from ${CLIENTS} clients ${options.direct ? 'straight to the referral subgraph' : 'through the gateway'} (retry rate ${RETRY_RATE}) at ${new Date().toISOString()} ...\n`,
    );
    const acknowledged: Acknowledged[] = [];
    const sentKeys = new Set<string>();
    const latencies: number[] = [];
    let next = 0;
    let requests = 0;
    let abandoned = 0;
    let repeatedAfterAnswer = 0;
    let inconsistentReplays = 0;
    const errors = new Map<string, number>();

    async function client() {
      for (;;) {
        const n = next;
        next += 1;
        if (n >= TOTAL) return;
        const input = selfReferral(activityIds, n);
        sentKeys.add(input.idempotencyKey);
        let receipt: { reference: string; secret: string } | undefined;
        for (let attempt = 1; attempt <= 10 && !receipt; attempt += 1) {
          // Some clients lose the connection before the answer: they abandon the request and send it again.
          const abandon = Math.random() < RETRY_RATE / 2;
          const started = performance.now();
          requests += 1;
          try {
            const answer = await post(target, CREATE_SELF, { input }, abandon ? Math.random() * 15 : undefined);
            if (answer.errors?.length) {
              const code = String(answer.errors[0]!.extensions?.code ?? 'UNKNOWN');
              errors.set(code, (errors.get(code) ?? 0) + 1);
              continue;
            }
            latencies.push(performance.now() - started);
            receipt = answer.data!.createSelfReferral;
          } catch {
            abandoned += 1;
          }
        }
        if (!receipt) continue;
        // Some clients send it again although they had the answer: they must get the same one.
        if (Math.random() < RETRY_RATE / 2) {
          repeatedAfterAnswer += 1;
          for (let attempt = 1; attempt <= 10; attempt += 1) {
            requests += 1;
            const again = await post(target, CREATE_SELF, { input }).catch(() => undefined);
            const replay = again?.data?.createSelfReferral;
            if (!replay) {
              const code = String(again?.errors?.[0]?.extensions?.code ?? 'NO_ANSWER');
              errors.set(code, (errors.get(code) ?? 0) + 1);
              continue;
            }
            if (replay.reference !== receipt.reference || replay.secret !== receipt.secret) inconsistentReplays += 1;
            break;
          }
        }
        acknowledged.push({ key: input.idempotencyKey, reference: receipt.reference, secret: receipt.secret });
      }
    }

    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    process.stdout.write('\nResults\n');
    process.stdout.write(`  acknowledged referrals   ${acknowledged.length.toLocaleString('en-GB')} of ${TOTAL.toLocaleString('en-GB')}\n`);
    process.stdout.write(`  requests sent            ${requests.toLocaleString('en-GB')} (${abandoned} abandoned mid-flight and retried, ${repeatedAfterAnswer} repeated after an answer)\n`);
    process.stdout.write(`  wall time                ${seconds.toFixed(1)} s\n`);
    process.stdout.write(`  throughput               ${(acknowledged.length / seconds).toFixed(0)} referrals/s\n`);
    process.stdout.write(`  latency (answered)       p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms\n`);
    if (errors.size > 0) process.stdout.write(`  error answers            ${JSON.stringify(Object.fromEntries(errors))}\n`);

    // Verify in the database itself.
    const database = await openReferralDatabase(referralLocation, { migrate: false });
    let problems = 0;
    try {
      const stored = await database.client.referral.findMany({
        where: { idempotencyScope: 'public', idempotencyKey: { startsWith: 'bench-' } },
        select: { idempotencyKey: true, referenceCode: true },
      });
      const byKey = new Map<string, string[]>();
      for (const row of stored) byKey.set(row.idempotencyKey!, [...(byKey.get(row.idempotencyKey!) ?? []), row.referenceCode!]);
      let missing = 0;
      let duplicated = 0;
      let wrongReference = 0;
      for (const ack of acknowledged) {
        const references = byKey.get(ack.key) ?? [];
        if (references.length === 0) missing += 1;
        if (references.length > 1) duplicated += 1;
        if (references.length === 1 && references[0] !== ack.reference) wrongReference += 1;
      }
      const acknowledgedKeys = new Set(acknowledged.map((ack) => ack.key));
      const unacknowledgedButStored = [...byKey.keys()].filter((key) => sentKeys.has(key) && !acknowledgedKeys.has(key)).length;
      const duplicatesOverall = stored.length - byKey.size;
      problems = missing + duplicated + wrongReference + inconsistentReplays + duplicatesOverall;
      process.stdout.write('\nChecks against the database\n');
      process.stdout.write(`  stored referrals         ${stored.length.toLocaleString('en-GB')} for ${byKey.size.toLocaleString('en-GB')} keys\n`);
      process.stdout.write(`  acknowledged but missing ${missing}\n`);
      process.stdout.write(`  stored more than once    ${duplicated + duplicatesOverall}\n`);
      process.stdout.write(`  wrong reference          ${wrongReference}\n`);
      process.stdout.write(`  replays that differed    ${inconsistentReplays}\n`);
      process.stdout.write(`  stored, never answered   ${unacknowledgedButStored} (a client gave up on every attempt; allowed)\n`);
    } finally {
      await database.close();
    }
    if (problems > 0 || acknowledged.length !== TOTAL) {
      process.stdout.write('\nFAILED: not every acknowledged referral is stored exactly once.\n');
      process.exitCode = 1;
    } else {
      process.stdout.write('\nOK: every acknowledged referral is stored exactly once, with the reference its client was given.\n');
    }
  } finally {
    for (const service of services.reverse()) await stopService(service);
    if (options['show-logs']) for (const service of services) process.stdout.write(`\n--- ${service.name} (last lines) ---\n${service.output().slice(-6000)}\n`);
    await rm(dataDir, { recursive: true, force: true });
    if (postgresUrl) {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      for (const schema of Object.values(schemas)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
}

await main();
