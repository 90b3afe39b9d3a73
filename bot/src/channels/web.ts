import { randomUUID } from 'node:crypto';
import type { IncomingMessage as HttpRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import type { Logger } from '@sp/runtime/logger';
import type { ConversationService } from '../conversation/conversation-service';
import { apology } from '../conversation/replies';
import type { BotReply, IncomingMessage } from '../conversation/types';
import { ClosableWebAdapter } from './closable-web-adapter';

/**
 * The web chat channel: Botkit with botbuilder-adapter-web over a websocket, kept at the edge.
 * It turns frames into conversation turns and replies into frames, and nothing else.
 *
 * Wire protocol (JSON text frames):
 *   page → bot  { "type": "hello" }            the chat opened
 *               { "type": "welcome_back" }     it reconnected
 *               { "type": "message", "text": "…" }
 *   bot → page  { "type": "message", "text": "…", "quick_replies"?: [{ "title": "…", "payload": "…" }] }
 *
 * What this adds around Botkit, which has known defects (shared/notes/search-and-chat.md):
 * - the conversation id is issued by the server for each connection and written into every
 *   frame, so a page cannot choose or take over someone else's conversation;
 * - frames are checked (JSON, known type, text) and rate-limited before Botkit sees them;
 * - every handler catches its errors, logs them without the person's words and answers with an
 *   apology: an error in a turn never reaches Botkit, so it can never end the process;
 * - the adapter's heartbeat timer is cleared on close, so the process can exit.
 */

export interface WebChannelOptions {
  logger: Logger;
  conversations: ConversationService;
  /** Path of the websocket endpoint. */
  path?: string;
  /** Largest frame accepted; larger ones close the connection. */
  maxFrameBytes?: number;
  /** At most `messages` frames per `perMs` on one connection; more closes it. */
  rateLimit?: { messages: number; perMs: number };
  /** Origins allowed besides the page's own (the Host the request was sent to). */
  allowedOrigins?: string[];
}

export interface WebChannel {
  /** Takes an HTTP upgrade request; false when it is not for this channel's path. */
  handleUpgrade(request: HttpRequest, socket: Duplex, head: Buffer): boolean;
  /** Open chat connections. */
  connections(): number;
  close(): Promise<void>;
}

export const WEB_CHANNEL_DEFAULTS = {
  path: '/chat',
  maxFrameBytes: 4 * 1024,
  rateLimit: { messages: 20, perMs: 10_000 },
} as const;

/** The little of a `ws` socket this file uses (the adapter types its server as `any`). */
interface ChatSocket {
  readyState: number;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event: string): unknown;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

interface SocketServer {
  clients: Set<ChatSocket>;
  handleUpgrade(request: HttpRequest, socket: Duplex, head: Buffer, done: (socket: ChatSocket) => void): void;
  emit(event: 'connection', socket: ChatSocket, request: HttpRequest): boolean;
  close(done?: () => void): void;
}

const OPEN = 1;
const CLOSE_POLICY = 1008;
const CLOSE_GOING_AWAY = 1001;
const FRAME_TYPES = new Set(['message', 'hello', 'welcome_back']);

/** Botkit keeps dialog state in its storage on every turn; the conversation keeps its own. */
const NO_STORAGE = {
  read: async () => ({}),
  write: async () => undefined,
  delete: async () => undefined,
};

/** The frame as the page may send it, or undefined when it is not one. */
function readFrame(data: unknown): { type: string; text: string } | undefined {
  if (typeof data !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, text } = parsed as { type?: unknown; text?: unknown };
  if (typeof type !== 'string' || !FRAME_TYPES.has(type)) return undefined;
  if (type === 'message' && typeof text !== 'string') return undefined;
  return { type, text: typeof text === 'string' ? text : '' };
}

function toWire(reply: BotReply) {
  return {
    type: 'message',
    text: reply.text,
    ...(reply.quickReplies?.length
      ? { quick_replies: reply.quickReplies.map((quick) => ({ title: quick.label, payload: quick.value })) }
      : {}),
  };
}

export function createWebChannel(options: WebChannelOptions): WebChannel {
  const { conversations } = options;
  const logger = options.logger.child({ channel: 'web' });
  const path = options.path ?? WEB_CHANNEL_DEFAULTS.path;
  const maxFrameBytes = options.maxFrameBytes ?? WEB_CHANNEL_DEFAULTS.maxFrameBytes;
  const rateLimit = options.rateLimit ?? WEB_CHANNEL_DEFAULTS.rateLimit;
  const allowedOrigins = new Set(options.allowedOrigins ?? []);

  const adapter = new ClosableWebAdapter({ noServer: true, maxPayload: maxFrameBytes });
  // Botkit's own web server is off: the bot's HTTP server routes upgrades here.
  const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true, storage: NO_STORAGE });
  const sockets = adapter.wss as SocketServer;
  const turns = new Set<Promise<void>>();
  let closing = false;

  async function deliver(bot: BotWorker, message: BotkitMessage, replies: BotReply[]) {
    for (const reply of replies) {
      // The person may have left mid-turn; there is no one to send the rest to.
      if (!adapter.isConnected(message.user) || adapter.getConnection(message.user).readyState !== OPEN) return;
      await bot.reply(message, toWire(reply));
    }
  }

  /** Runs one turn. Never throws: Botkit turns a thrown error into a dead process. */
  async function turn(bot: BotWorker, message: BotkitMessage, incoming: IncomingMessage): Promise<void> {
    const log = logger.child({ turnId: randomUUID(), conversationId: message.user });
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const summary = await conversations.handle(message.user, incoming, (replies) => deliver(bot, message, replies));
      log.info({ ...summary, durationMs: elapsed() }, 'turn handled');
    } catch (error) {
      log.error({ err: error, durationMs: elapsed() }, 'turn failed; sent an apology');
      try {
        await deliver(bot, message, [apology]);
      } catch (sendError) {
        log.error({ err: sendError }, 'could not send the apology');
      }
    }
  }

  function on(event: string, toIncoming: (message: BotkitMessage) => IncomingMessage) {
    controller.on(event, (bot, message) => {
      const running = turn(bot, message, toIncoming(message));
      turns.add(running);
      return running.finally(() => turns.delete(running));
    });
  }
  on('message', (message) => ({ type: 'text', text: typeof message.text === 'string' ? message.text : '' }));
  on('hello', () => ({ type: 'start' }));
  on('welcome_back', () => ({ type: 'start', returning: true }));

  /**
   * Checks every frame before the adapter sees it and writes the server's conversation id into
   * it. The adapter reads frames through the socket's `emit('message')`, so that is where the
   * check sits.
   */
  function guard(socket: ChatSocket, conversationId: string) {
    const emit = socket.emit.bind(socket);
    let windowStart = Date.now();
    let count = 0;
    socket.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event !== 'message') return emit(event, ...args);
      const now = Date.now();
      if (now - windowStart > rateLimit.perMs) {
        windowStart = now;
        count = 0;
      }
      count += 1;
      if (count > rateLimit.messages) {
        logger.warn({ conversationId }, 'connection closed: too many messages');
        socket.close(CLOSE_POLICY, 'Too many messages');
        return false;
      }
      const frame = readFrame(args[0]);
      if (!frame) {
        logger.warn({ conversationId }, 'frame ignored: not a chat frame');
        return false;
      }
      return emit('message', JSON.stringify({ ...frame, user: conversationId, channel: 'websocket' }));
    };
  }

  function originAllowed(request: HttpRequest): boolean {
    const origin = request.headers.origin;
    // Browsers always send Origin on websocket requests; other clients (tests, tools) may not.
    if (origin === undefined) return true;
    if (allowedOrigins.has(origin)) return true;
    const host = request.headers.host;
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  }

  function refuse(socket: Duplex, status: number, reason: string) {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  return {
    handleUpgrade(request, socket, head) {
      const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (pathname !== path) return false;
      if (closing) {
        refuse(socket, 503, 'Service Unavailable');
        return true;
      }
      if (!originAllowed(request)) {
        logger.warn('websocket refused: origin not allowed');
        refuse(socket, 403, 'Forbidden');
        return true;
      }
      sockets.handleUpgrade(request, socket, head, (chat) => {
        const conversationId = randomUUID();
        guard(chat, conversationId);
        sockets.emit('connection', chat, request);
        // The adapter logs socket errors with console.error; log them here instead, without data.
        chat.removeAllListeners('error');
        chat.on('error', (error) => logger.warn({ conversationId, err: error }, 'websocket error'));
        chat.on('close', () => {
          logger.debug({ conversationId }, 'chat closed');
          conversations.end(conversationId).catch((error: unknown) => {
            logger.error({ conversationId, err: error }, 'could not forget a closed conversation');
          });
        });
        logger.debug({ conversationId }, 'chat opened');
      });
      return true;
    },

    connections: () => sockets.clients.size,

    async close() {
      if (closing) return;
      closing = true;
      const open = [...sockets.clients];
      await Promise.race([
        Promise.all(
          open.map(
            (chat) =>
              new Promise<void>((resolve) => {
                if (chat.readyState !== OPEN) return resolve();
                chat.on('close', () => resolve());
                chat.close(CLOSE_GOING_AWAY, 'The chat is restarting');
              }),
          ),
        ),
        new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
      ]);
      await Promise.race([Promise.allSettled([...turns]), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      adapter.stopHeartbeat();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await controller.shutdown();
    },
  };
}
