// The chat bot benchmark. See bench/README.md ("The chat bot").
//
//   npx tsx bench/bot.ts                                   sample directory, then 10,000 synthetic activities
//   npx tsx bench/bot.ts --sizes 0 --clients 10 --turns 40
//   npx tsx bench/bot.ts --redis redis://127.0.0.1:6379    conversation state in Redis (encrypted), not memory
//
// For each directory it starts the provider (the sample directory, plus N synthetic activities
// inserted beforehand), referral and evidence subgraphs, the gateway and the bot as separate
// processes on free ports, with fresh SQLite databases in a temporary folder. Then N websocket
// clients talk to the bot as the chat page does: each says hello, then sends searches from the
// query mix (the search evaluation set, the same with typos, and templated queries as people type
// them), one at a time, and the time is measured from sending a message to receiving the closing
// message of the bot's turn (the one with quick replies). When the bot asks where ("Where should
// it be?"), the client answers "anywhere", and that turn, which runs the search, is measured.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DatabaseLocation } from '@sp/prisma/database';
import { openProviderDatabase } from '@sp/prisma/provider';
import { ensureVocabularies } from '@sp/prisma/reference/vocabularies';
import { SAMPLE_ACTIVITIES, seedProviderSample } from '@sp/prisma/sample/provider';
import { createGatewayClient } from '../bot/src/search/gateway-client';
import { openBulkWriter } from './bulk-insert';
import { queryMix } from './query-mix';
import { freePort, percentile, processCpuMs, startService, stopAllServices, stopServicesOnSignal, waitUntilAnswers, waitUntilReady } from './support';
import { addSyntheticDirectory, randomSource } from './synthetic-directory';

const { values: options } = parseArgs({
  options: {
    sizes: { type: 'string', default: '0,10000' },
    clients: { type: 'string', default: '10' },
    /** Measured messages per client (a "where?" question and its answer count as one). */
    turns: { type: 'string', default: '40' },
    'warm-up': { type: 'string', default: '3' },
    /**
     * Time between two messages from one client: from this to twice this, at random (people do not
     * type in step; clients in step would queue behind each other). The bot allows 20 frames in
     * 10 s per connection, so at least 500.
     */
    'gap-ms': { type: 'string', default: '600' },
    redis: { type: 'string' },
    'log-level': { type: 'string', default: 'warn' },
    'show-logs': { type: 'boolean', default: false },
  },
  strict: true,
});
const SIZES = options.sizes!.split(',').map(Number);
const CLIENTS = Number(options.clients);
const TURNS = Number(options.turns);
const WARM_UP = Number(options['warm-up']);
const GAP_MS = Number(options['gap-ms']);
if (SIZES.some((size) => !Number.isInteger(size) || size < 0) || ![CLIENTS, TURNS].every((n) => Number.isInteger(n) && n >= 1) || !(WARM_UP >= 0) || !(GAP_MS >= 500)) {
  throw new Error('--sizes is a list of whole numbers (0 = the sample directory alone); --clients and --turns positive whole numbers; --gap-ms at least 500');
}
/** p95 targets from issue 7: a search turn on the sample directory, and with 10,000 activities. */
const TARGET_P95_MS = (size: number) => (size === 0 ? 300 : 1_000);

// ---- A chat client, as the page speaks -------------------------------------------------------

interface WsSocket {
  send(data: string): void;
  close(): void;
  terminate(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'close', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}
const requireFromBot = createRequire(new URL('../bot/package.json', import.meta.url));
const WebSocket = createRequire(requireFromBot.resolve('botbuilder-adapter-web'))('ws') as new (url: string) => WsSocket;

interface Frame {
  type: string;
  text?: string;
  quick_replies?: unknown[];
}

class ChatClient {
  private frames: Frame[] = [];
  private waiting: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: WsSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.type === 'message') this.frames.push(frame);
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }

  static open(url: string): Promise<ChatClient> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.on('open', () => resolve(new ChatClient(socket)));
      socket.on('error', reject);
    });
  }

  /** Sends a frame and resolves with the bot's turn: every message up to the one with quick replies. */
  async exchange(frame: Record<string, unknown>, timeoutMs = 15_000): Promise<{ frames: Frame[]; ms: number }> {
    this.frames = [];
    const started = performance.now();
    this.socket.send(JSON.stringify(frame));
    const deadline = started + timeoutMs;
    for (;;) {
      const end = this.frames.findIndex((candidate) => candidate.quick_replies !== undefined);
      if (end >= 0) return { frames: this.frames.splice(0, end + 1), ms: performance.now() - started };
      if (this.closed) throw new Error('the bot closed the connection');
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no closing message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close() {
    this.socket.close();
    setTimeout(() => this.socket.terminate(), 1_000).unref();
  }
}

type Outcome = 'results' | 'no-results' | 'where' | 'unavailable' | 'other';

function outcomeOf(frames: Frame[]): Outcome {
  const first = frames[0]?.text ?? '';
  if (/^Where should it be\?/.test(first)) return 'where';
  if (/I found (\d+|one)( or more)? activit/.test(first)) return 'results';
  if (/could not find anything/.test(first)) return 'no-results';
  if (/cannot look up activities/.test(first)) return 'unavailable';
  return 'other';
}

// ---- One directory ---------------------------------------------------------------------------

interface Figures {
  size: number;
  activities: number;
  searchTurns: number[];
  allTurns: number[];
  /** The bot's own gateway query, sent straight to the gateway one at a time: what the bot adds is the difference. */
  gatewayAlone: number[];
  outcomes: Record<Outcome, number>;
  failures: string[];
  seconds: number;
  botCpuMs: number;
  loadBefore: number[];
  loadAfter: number[];
}

const ms = (value: number) => `${Math.round(value)} ms`;

async function prepareDirectory(location: DatabaseLocation, size: number) {
  const database = await openProviderDatabase(location);
  try {
    await ensureVocabularies(database.client);
    await seedProviderSample(database.client);
  } finally {
    await database.close();
  }
  const writer = await openBulkWriter(location);
  try {
    const synthetic = await addSyntheticDirectory(writer, size);
    process.stdout.write(`  ${synthetic.rows.toLocaleString('en-GB')} rows inserted in ${(synthetic.ms / 1000).toFixed(1)} s\n`);
  } finally {
    await writer.close();
  }
}

async function benchmark(size: number, mix: string[]): Promise<Figures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sp-bench-bot-'));
  try {
    const label = size === 0 ? 'the sample directory' : `the sample directory + ${size.toLocaleString('en-GB')} synthetic activities`;
    process.stdout.write(`\n=== ${label} ===\n`);
    if (size > 0) await prepareDirectory({ kind: 'sqlite', file: path.join(dataDir, 'provider.db') }, size);

    const ports = { provider: await freePort(), referral: await freePort(), evidence: await freePort(), gateway: await freePort(), bot: await freePort() };
    const urls = {
      provider: `http://127.0.0.1:${ports.provider}/graphql`,
      referral: `http://127.0.0.1:${ports.referral}/graphql`,
      evidence: `http://127.0.0.1:${ports.evidence}/graphql`,
      gateway: `http://127.0.0.1:${ports.gateway}/graphql`,
      bot: `http://127.0.0.1:${ports.bot}/`,
    };
    const common: Record<string, string> = {
      DATA_DIR: dataDir,
      AUTH_DEV_KEY_FILE: path.join(dataDir, 'dev-signing-key.json'),
      LOG_LEVEL: options['log-level']!,
      NODE_ENV: 'development',
    };
    const provider = startService('provider', 'subgraphs/provider/src/index.ts', { ...common, PROVIDER_PORT: String(ports.provider) });
    const referral = startService('referral', 'subgraphs/referral/src/index.ts', { ...common, REFERRAL_PORT: String(ports.referral), PROVIDER_URL: urls.provider });
    const evidence = startService('evidence', 'subgraphs/evidence/src/index.ts', { ...common, EVIDENCE_PORT: String(ports.evidence) });
    await Promise.all([waitUntilReady(provider, urls.provider), waitUntilReady(referral, urls.referral), waitUntilReady(evidence, urls.evidence)]);
    const gateway = startService('gateway', 'gateway/src/index.ts', {
      ...common,
      GATEWAY_PORT: String(ports.gateway),
      // Every simulated person reaches the gateway through the one bot on 127.0.0.1: lift the
      // per-client limit (300 a minute by default). This measures the bot, not the limiter.
      RATE_LIMIT_POINTS: '1000000',
      PROVIDER_URL: urls.provider,
      REFERRAL_URL: urls.referral,
      EVIDENCE_URL: urls.evidence,
    });
    await waitUntilAnswers(gateway, urls.gateway, '{ searchActivities(query: "dance", first: 1) { score } }');
    const bot = startService('bot', 'bot/src/index.ts', {
      ...common,
      BOT_PORT: String(ports.bot),
      GATEWAY_URL: urls.gateway,
      // A fresh key each run; the benchmark's conversations expire from Redis two minutes after it.
      ...(options.redis ? { REDIS_URL: options.redis, BOT_STATE_KEY: randomBytes(32).toString('base64'), BOT_STATE_TTL_SECONDS: '120' } : {}),
    });
    await waitUntilReady(bot, urls.bot);

    const chatUrl = `ws://127.0.0.1:${ports.bot}/chat`;
    const figures: Figures = {
      size,
      activities: SAMPLE_ACTIVITIES.length + size,
      searchTurns: [],
      allTurns: [],
      gatewayAlone: [],
      outcomes: { results: 0, 'no-results': 0, where: 0, unavailable: 0, other: 0 },
      failures: [],
      seconds: 0,
      botCpuMs: 0,
      loadBefore: loadavg(),
      loadAfter: [],
    };

    async function client(index: number, measured: boolean, turns: number) {
      const chat = await ChatClient.open(chatUrl);
      const random = randomSource(1_000 + index + (measured ? 0 : 500));
      // Clients start at different moments, as people do.
      let lastSent = performance.now() - GAP_MS + random.next() * GAP_MS;
      const paced = async (frame: Record<string, unknown>) => {
        const wait = lastSent + GAP_MS * (1 + random.next()) - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastSent = performance.now();
        return chat.exchange(frame);
      };
      try {
        await paced({ type: 'hello' });
        for (let turn = 0; turn < turns; turn++) {
          const text = mix[(index * 97 + turn * 13 + (measured ? 0 : 5_000)) % mix.length]!;
          try {
            let answer = await paced({ type: 'message', text });
            let outcome = outcomeOf(answer.frames);
            if (measured) {
              figures.allTurns.push(answer.ms);
              figures.outcomes[outcome] += 1;
            }
            if (outcome === 'where') {
              answer = await paced({ type: 'message', text: 'anywhere' });
              outcome = outcomeOf(answer.frames);
              if (measured) {
                figures.allTurns.push(answer.ms);
                figures.outcomes[outcome] += 1;
              }
            }
            if (measured && (outcome === 'results' || outcome === 'no-results')) figures.searchTurns.push(answer.ms);
          } catch (error) {
            if (measured) figures.failures.push(String(error));
            return;
          }
        }
      } finally {
        chat.close();
      }
    }

    // Warm-up (not measured): opens connections, fills caches, compiles query plans.
    if (WARM_UP > 0) await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index, false, WARM_UP)));
    // The same search the bot sends, straight to the gateway, one at a time.
    const direct = createGatewayClient({ url: urls.gateway, timeoutMs: 10_000 });
    for (let index = 0; index < 100; index++) {
      const began = performance.now();
      await direct.searchActivities(mix[(index * 31) % mix.length]!, 12);
      figures.gatewayAlone.push(performance.now() - began);
    }
    const cpuBefore = processCpuMs(bot.child.pid!);
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index, true, TURNS)));
    figures.seconds = (performance.now() - started) / 1000;
    figures.botCpuMs = processCpuMs(bot.child.pid!) - cpuBefore;
    figures.loadAfter = loadavg();
    if (options['show-logs']) for (const service of [provider, referral, evidence, gateway, bot]) process.stdout.write(`\n--- ${service.name} ---\n${service.output().slice(-4000)}\n`);
    report(figures);
    return figures;
  } finally {
    await stopAllServices();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function report(figures: Figures) {
  const search = [...figures.searchTurns].sort((a, b) => a - b);
  const all = [...figures.allTurns].sort((a, b) => a - b);
  const target = TARGET_P95_MS(figures.size);
  const p95 = percentile(search, 95);
  const outcomes = Object.entries(figures.outcomes)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  process.stdout.write(`  activities in the directory  ${figures.activities.toLocaleString('en-GB')} (sample ${SAMPLE_ACTIVITIES.length}, the rest synthetic; 3% of those closed)\n`);
  process.stdout.write(`  turns measured               ${all.length} from ${CLIENTS} clients in ${figures.seconds.toFixed(1)} s (${(all.length / figures.seconds).toFixed(1)} turns/s; ${outcomes})\n`);
  process.stdout.write(`  search turn, send → closing  p50 ${ms(percentile(search, 50))}, p95 ${ms(p95)}, p99 ${ms(percentile(search, 99))}, max ${ms(search.at(-1) ?? Number.NaN)} (${search.length} searches)\n`);
  process.stdout.write(`  every turn                   p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}\n`);
  const alone = [...figures.gatewayAlone].sort((a, b) => a - b);
  process.stdout.write(`  the bot's search, gateway    p50 ${ms(percentile(alone, 50))}, p95 ${ms(percentile(alone, 95))} (straight to the gateway, one at a time, ${alone.length} searches)\n`);
  process.stdout.write(`  bot CPU per turn             ${(figures.botCpuMs / Math.max(1, all.length)).toFixed(1)} ms\n`);
  process.stdout.write(`  load average                 ${figures.loadBefore.map((n) => n.toFixed(2)).join(' ')} before, ${figures.loadAfter.map((n) => n.toFixed(2)).join(' ')} after\n`);
  if (figures.failures.length > 0) process.stdout.write(`  failures                     ${figures.failures.length}: ${figures.failures[0]}\n`);
  const met = p95 <= target && figures.failures.length === 0 && figures.outcomes.unavailable === 0;
  process.stdout.write(`  target                       p95 ≤ ${ms(target)}: ${met ? 'met' : 'NOT MET'}\n`);
  if (!met) process.exitCode = 1;
}

// ---- Main ------------------------------------------------------------------------------------

stopServicesOnSignal();
const evaluation = JSON.parse(await readFile(new URL('../subgraphs/provider/test/search-evaluation.json', import.meta.url), 'utf8')) as {
  queries: Array<{ query: string }>;
};
const mix = queryMix(
  evaluation.queries.map((entry) => entry.query),
  2_000,
);
process.stdout.write(
  `Chat bot benchmark: ${CLIENTS} websocket clients, ${TURNS} measured messages each (after ${WARM_UP} to warm up), one message every ${GAP_MS} to ${2 * GAP_MS} ms per client; ` +
    `conversation state in ${options.redis ? 'Redis' : 'memory'}. ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString()}\n`,
);
for (const size of SIZES) await benchmark(size, mix);
