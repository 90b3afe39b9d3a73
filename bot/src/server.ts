import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@sp/runtime/logger';
import { REQUEST_ID_HEADER, requestIdFrom } from '@sp/runtime/request-id';
import { createWebChannel, type WebChannelOptions } from './channels/web';
import { createConversationService, type ConversationService } from './conversation/conversation-service';
import { createMemoryStore, type ConversationStore } from './conversation/state-store';
import type { ReadinessReport } from './readiness';
import type { PlaceSource } from './conversation/places';
import type { ReferralService } from './referrals/referral-service';
import type { ActivitySearch } from './search/activity-search';

export interface BotServerDeps {
  logger: Logger;
  search: ActivitySearch;
  /** Checks what the bot depends on (the gateway). `/health` never calls it. */
  readiness: () => Promise<ReadinessReport>;
  /** Towns and areas the directory knows, to tell a place from other words. */
  places?: PlaceSource;
  /** Sign-in checks and referrals through the gateway; without it, referring is unavailable. */
  referrals?: ReferralService;
  /** Conversation state; in memory unless given. */
  store?: ConversationStore;
  /** Runs the turns; built from `search` and `store` unless given (tests give a scripted one). */
  conversations?: ConversationService;
  /**
   * Websocket settings (path, frame size, rate limit, extra allowed origins) and, with Redis, the
   * locks that keep a conversation to one open connection across instances.
   */
  web?: Omit<WebChannelOptions, 'logger' | 'conversations'>;
  /** Folder holding index.html, chat.js and chat.css; the package's `public/` unless given. */
  publicDir?: string;
}

export interface RunningBotServer {
  server: Server;
  /** The chat page, e.g. http://127.0.0.1:3000/. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface BotServer {
  server: Server;
  /** Starts listening; port 0 picks a free port (tests use it). */
  listen(port: number, host: string): Promise<RunningBotServer>;
  /** Closes chats, the websocket server and the HTTP server. Safe to call more than once. */
  close(): Promise<void>;
}


const ASSETS = [
  { path: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: '/chat.js', file: 'chat.js', type: 'text/javascript; charset=utf-8' },
  { path: '/chat.css', file: 'chat.css', type: 'text/css; charset=utf-8' },
] as const;

/** Everything the page needs comes from this server; nothing else may load or connect. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify(body));
}

/**
 * The bot's HTTP server: the chat page and its assets at `/`, the chat websocket (see
 * channels/web.ts), `/health` (touches nothing) and `/ready` (checks the gateway). Built here,
 * started by `listen`; only index.ts reads the environment.
 */
export function createBotServer(deps: BotServerDeps): BotServer {
  const { logger, readiness } = deps;
  const publicDir = deps.publicDir ?? fileURLToPath(new URL('../public/', import.meta.url));
  const assets = new Map<string, { type: string; body: Buffer }>(
    ASSETS.map((asset) => [asset.path, { type: asset.type, body: readFileSync(`${publicDir}/${asset.file}`) }]),
  );

  const store = deps.store ?? createMemoryStore();
  const conversations = deps.conversations ?? createConversationService({
      search: deps.search,
      store,
      ...(deps.places ? { places: deps.places } : {}),
      ...(deps.referrals ? { referrals: deps.referrals } : {}),
    });
  // Conversations outlive their connection (until idle expiry), so a page can resume after a
  // dropped connection or a restart (with Redis).
  const conversationExists = async (conversationId: string) => (await store.get(conversationId)) !== undefined;
  const channel = createWebChannel({ conversationExists, ...deps.web, logger, conversations });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const requestId = requestIdFrom(request.headers);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const log = logger.child({ requestId });
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    log.debug({ method: request.method, path: pathname }, 'request');

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return sendJson(response, 405, { error: 'Only GET and HEAD are supported.' });
    }
    if (pathname === '/health') return sendJson(response, 200, { status: 'ok' });
    if (pathname === '/ready') {
      const report = await readiness().catch(
        (error: unknown): ReadinessReport => ({
          ready: false,
          checks: { readiness: { ok: false, detail: error instanceof Error ? error.message : String(error) } },
        }),
      );
      if (!report.ready) log.warn({ checks: report.checks }, 'not ready');
      return sendJson(response, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', ...report });
    }
    if (pathname === '/favicon.ico') {
      response.statusCode = 204;
      return response.end();
    }
    const asset = assets.get(pathname);
    if (!asset) return sendJson(response, 404, { error: 'Not found. The chat page is at /.' });
    response.statusCode = 200;
    response.setHeader('content-type', asset.type);
    response.setHeader('content-length', asset.body.length);
    response.setHeader('cache-control', 'no-cache');
    response.end(request.method === 'HEAD' ? undefined : asset.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'Something went wrong on our side.' });
      else response.end();
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
    socket.on('error', (error) => logger.debug({ err: error }, 'upgrade socket error'));
    try {
      if (!channel.handleUpgrade(request, socket, head)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
    } catch (error) {
      logger.error({ err: error }, 'websocket upgrade failed');
      socket.destroy();
    }
  });

  let closed: Promise<void> | undefined;
  async function close() {
    closed ??= (async () => {
      await channel.close();
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })();
    return closed;
  }

  return {
    server,
    close,
    async listen(port, host) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return { server, port: address.port, url: `http://${shownHost}:${address.port}/`, close };
    },
  };
}
