import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage as HttpRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import type { Logger } from '@sp/runtime/logger';
import type { ConversationService } from '../conversation/conversation-service';
import { apology } from '../conversation/replies';
import type { BotReply, IncomingMessage } from '../conversation/types';
import { ClosableWebAdapter } from './closable-web-adapter';
import type { ConversationLock, ConversationLocks } from './conversation-locks';

/**
 * The web chat channel: Botkit with botbuilder-adapter-web over a websocket, kept at the edge.
 * It turns frames into conversation turns and replies into frames, and nothing else.
 *
 * Wire protocol (JSON text frames):
 *   page → bot  { "type": "hello", "resume"?: "…" }          the chat opened
 *               { "type": "welcome_back", "resume"?: "…" }   it reconnected
 *               { "type": "message", "text": "…" }
 *   bot → page  { "type": "session", "resume": "…", "resumed": true | false }   before any reply
 *               { "type": "message", "text": "…", "quick_replies"?: [{ "title": "…", "payload": "…" }],
 *                 "input"?: "secret" }
 *
 * What this adds around Botkit, which has known defects (shared/notes/search-and-chat.md):
 * - the server issues each connection a resume token (128 random bits) and derives the
 *   conversation id from it; it writes that id into every frame, so a page cannot choose or
 *   take over someone else's conversation. A page that reconnects sends its token back and
 *   carries on, if the conversation still exists and no other open connection holds it; a
 *   made-up, expired or busy token gets a fresh conversation. Logs and the state store see only
 *   the id (a hash of the token), never the token. "Held" is checked in this process and, when
 *   `locks` is given (Redis), across every instance by a short-lived lock each connection renews;
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
  /**
   * Whether a conversation still has state, for resuming it. When given, conversations are
   * resumable: a closed connection leaves its state to expire, and a page may resume it with its
   * token. Without it, state is forgotten when the connection closes.
   */
  conversationExists?: (conversationId: string) => Promise<boolean>;
  /**
   * Locks shared by every bot instance (Redis), so a conversation is held by at most one open
   * connection anywhere, not only in this process. Without them, this process's own connections
   * are all that is checked.
   */
  locks?: ConversationLocks;
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
  send(data: string): void;
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

/** A resume token: 16 random bytes, base64url. */
const RESUME_TOKEN = /^[A-Za-z0-9_-]{22}$/;

interface Session {
  /** Given to the page only; never logged or stored. */
  token: string;
  /** sha-256 of the token: the id in logs, the state store and Botkit. */
  conversationId: string;
}

function sessionOf(token: string): Session {
  return { token, conversationId: createHash('sha256').update(token).digest('hex').slice(0, 32) };
}

const newSession = () => sessionOf(randomBytes(16).toString('base64url'));

interface Frame {
  type: string;
  text: string;
  resume?: string;
}

/** The frame as the page may send it, or undefined when it is not one. */
function readFrame(data: unknown): Frame | undefined {
  if (typeof data !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, text, resume } = parsed as { type?: unknown; text?: unknown; resume?: unknown };
  if (typeof type !== 'string' || !FRAME_TYPES.has(type)) return undefined;
  if (type === 'message' && typeof text !== 'string') return undefined;
  return {
    type,
    text: typeof text === 'string' ? text : '',
    ...(type !== 'message' && typeof resume === 'string' ? { resume } : {}),
  };
}

function toWire(reply: BotReply) {
  return {
    type: 'message',
    text: reply.text,
    ...(reply.quickReplies?.length
      ? { quick_replies: reply.quickReplies.map((quick) => ({ title: quick.label, payload: quick.value })) }
      : {}),
    // The page hides what is typed next (a sign-in token, a secret) and does not show it back.
    ...(reply.inputHint === 'secret' ? { input: 'secret' } : {}),
  };
}

/** One open websocket and the conversation it holds. */
interface Connection {
  socket: ChatSocket;
  session: Session;
  /** The address the upgrade request came from, for the conversation's rate limits and audit. */
  clientAddress?: string;
  /** Whether the page has been sent its session frame (before any reply). */
  announced: boolean;
  /** Its hold on the conversation across instances, when there are shared locks. */
  lock?: ConversationLock;
  /** Its turns still running: the lock is kept until they have saved their state. */
  turns: Set<Promise<void>>;
}

export function createWebChannel(options: WebChannelOptions): WebChannel {
  const { conversations, conversationExists, locks } = options;
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
  /** Open connections by conversation id: a conversation is held by at most one. */
  const open = new Map<string, Connection>();
  /** Locks being released, awaited on close so they are gone before Redis is. */
  const releasing = new Set<Promise<void>>();
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
      const clientAddress = open.get(message.user)?.clientAddress;
      const summary = await conversations.handle(
        message.user,
        incoming,
        (replies) => deliver(bot, message, replies),
        clientAddress === undefined ? {} : { clientAddress },
      );
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
      const connection = open.get(message.user);
      turns.add(running);
      connection?.turns.add(running);
      return running.finally(() => {
        turns.delete(running);
        connection?.turns.delete(running);
      });
    });
  }
  on('message', (message) => ({ type: 'text', text: typeof message.text === 'string' ? message.text : '' }));
  on('hello', () => ({ type: 'start' }));
  on('welcome_back', () => ({ type: 'start', returning: true }));

  function track(release: Promise<void>) {
    releasing.add(release);
    void release.finally(() => releasing.delete(release));
  }

  /** Releases a connection's lock once its running turns have saved their state. */
  function releaseLock(connection: Connection) {
    const { lock } = connection;
    if (!lock) return;
    connection.lock = undefined;
    track(Promise.allSettled([...connection.turns]).then(() => lock.release()));
  }

  /** Another connection, on another instance, holds the conversation now: this one lets go. */
  function lockLost(connection: Connection) {
    connection.lock = undefined;
    if (connection.socket.readyState === OPEN) connection.socket.close(CLOSE_POLICY, 'The conversation continued elsewhere');
  }

  /**
   * Moves the connection onto the conversation its page asks to resume, when the token is one
   * this service issued (its conversation still has state) and no other open connection holds
   * it: in this process, and with shared locks on any instance. Anything else (made up, expired,
   * busy, a store or lock that cannot answer) keeps the fresh one.
   */
  async function tryResume(connection: Connection, token: string): Promise<boolean> {
    const log = logger.child({ conversationId: connection.session.conversationId });
    if (!conversationExists) return false;
    if (!RESUME_TOKEN.test(token)) {
      log.info({ reason: 'malformed' }, 'resume refused; a new conversation starts');
      return false;
    }
    const wanted = sessionOf(token);
    if (open.has(wanted.conversationId)) {
      log.warn({ reason: 'in use', wanted: wanted.conversationId }, 'resume refused; a new conversation starts');
      return false;
    }
    let lock: ConversationLock | undefined;
    if (locks) {
      try {
        lock = await locks.take(wanted.conversationId, () => lockLost(connection));
      } catch (error) {
        // Fails safe: without the lock, another instance might hand the same conversation out too.
        log.warn({ err: error, wanted: wanted.conversationId }, 'could not lock a conversation to resume; a new one starts');
        return false;
      }
      if (!lock) {
        log.warn({ reason: 'in use', wanted: wanted.conversationId, elsewhere: true }, 'resume refused; a new conversation starts');
        return false;
      }
    }
    const refuse = () => {
      if (lock) track(lock.release());
      return false;
    };
    let exists = false;
    try {
      exists = await conversationExists(wanted.conversationId);
    } catch (error) {
      log.warn({ err: error, wanted: wanted.conversationId }, 'could not look up a conversation to resume; a new one starts');
      return refuse();
    }
    if (!exists) {
      log.info({ reason: 'unknown or expired' }, 'resume refused; a new conversation starts');
      return refuse();
    }
    // Checked again: another connection may have resumed it while the store answered.
    if (open.has(wanted.conversationId) || connection.socket.readyState !== OPEN) return refuse();
    open.delete(connection.session.conversationId);
    connection.session = wanted;
    if (lock) connection.lock = lock;
    open.set(wanted.conversationId, connection);
    log.info({ resumed: wanted.conversationId }, 'conversation resumed');
    return true;
  }

  /**
   * Locks a new conversation before its token is given out. A lock that cannot be taken yet
   * (Redis down) does not refuse the page: the renewals take it once Redis answers, and no other
   * instance can resume the conversation meanwhile, since its state is in that Redis.
   */
  async function lockNew(connection: Connection) {
    if (!locks) return;
    const { conversationId } = connection.session;
    try {
      connection.lock = await locks.claim(conversationId, () => lockLost(connection));
    } catch (error) {
      logger.warn({ conversationId, err: error }, 'could not lock a new conversation');
    }
    // The page may have gone while the lock was taken; its close has already run.
    if (connection.socket.readyState !== OPEN) releaseLock(connection);
  }

  function announce(connection: Connection, resumed: boolean) {
    connection.announced = true;
    connection.socket.send(JSON.stringify({ type: 'session', resume: connection.session.token, resumed }));
  }

  /**
   * Checks every frame before the adapter sees it and writes the server's conversation id into
   * it. The adapter reads frames through the socket's `emit('message')`, so that is where the
   * check sits. Frames are passed on in order, after a resume (which asks the store) settles.
   */
  function guard(connection: Connection) {
    const { socket } = connection;
    const emit = socket.emit.bind(socket);
    let windowStart = Date.now();
    let count = 0;
    let queue = Promise.resolve();

    async function accept(frame: Frame) {
      if (socket.readyState !== OPEN) return;
      if (!connection.announced) {
        // Only the first frame may resume, so a connection never changes conversation mid-way.
        if (frame.resume !== undefined && frame.type !== 'message' && (await tryResume(connection, frame.resume))) {
          if (socket.readyState === OPEN) announce(connection, true);
          return;
        }
        if (socket.readyState !== OPEN) return;
        await lockNew(connection);
        if (socket.readyState !== OPEN) return;
        announce(connection, false);
      }
      emit('message', JSON.stringify({ type: frame.type, text: frame.text, user: connection.session.conversationId, channel: 'websocket' }));
    }

    socket.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event !== 'message') return emit(event, ...args);
      const { conversationId } = connection.session;
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
      queue = queue
        .then(() => accept(frame))
        .catch((error: unknown) => logger.error({ conversationId, err: error }, 'frame could not be handled'));
      return true;
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
      const clientAddress = request.socket.remoteAddress;
      sockets.handleUpgrade(request, socket, head, (chat) => {
        const connection: Connection = {
          socket: chat,
          session: newSession(),
          ...(clientAddress ? { clientAddress } : {}),
          announced: false,
          turns: new Set(),
        };
        open.set(connection.session.conversationId, connection);
        guard(connection);
        sockets.emit('connection', chat, request);
        // The adapter logs socket errors with console.error; log them here instead, without data.
        chat.removeAllListeners('error');
        chat.on('error', (error) => logger.warn({ conversationId: connection.session.conversationId, err: error }, 'websocket error'));
        chat.on('close', () => {
          const { conversationId } = connection.session;
          if (open.get(conversationId) === connection) open.delete(conversationId);
          releaseLock(connection);
          logger.debug({ conversationId }, 'chat closed');
          // A resumable conversation is left for its page to come back to; it expires when idle.
          if (conversationExists) return;
          conversations.end(conversationId).catch((error: unknown) => {
            logger.error({ conversationId, err: error }, 'could not forget a closed conversation');
          });
        });
        logger.debug({ conversationId: connection.session.conversationId }, 'chat opened');
      });
      return true;
    },

    connections: () => sockets.clients.size,

    async close() {
      if (closing) return;
      closing = true;
      const clients = [...sockets.clients];
      await Promise.race([
        Promise.all(
          clients.map(
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
      // Connections that did not close in time let go of their locks too.
      for (const connection of open.values()) releaseLock(connection);
      await Promise.race([Promise.allSettled([...turns, ...releasing]), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      adapter.stopHeartbeat();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await controller.shutdown();
    },
  };
}
