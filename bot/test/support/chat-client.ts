import { createRequire } from 'node:module';
import { expect } from 'vitest';

/**
 * A websocket client that talks to the bot the way chat.js does. Node 20 has no global
 * WebSocket, so it uses the `ws` package the web adapter itself depends on.
 */

interface WsSocket {
  readyState: number;
  send(data: string | Buffer): void;
  close(): void;
  terminate(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'close', listener: (code: number, reason: unknown) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}
type WsConstructor = new (url: string, options?: { headers?: Record<string, string> }) => WsSocket;

const require = createRequire(import.meta.url);
const adapterRequire = createRequire(require.resolve('botbuilder-adapter-web'));
const WebSocket = adapterRequire('ws') as WsConstructor;

export interface BotFrame {
  type: string;
  text: string;
  quick_replies?: Array<{ title: string; payload: string }>;
  input?: 'secret';
}

/** The frame that gives the page its resume token, before any reply. */
export interface SessionFrame {
  type: 'session';
  resume: string;
  resumed: boolean;
}

export interface ChatClient {
  send(frame: unknown): void;
  sendRaw(data: string | Buffer): void;
  say(text: string): void;
  /** The frames of one bot turn: everything up to and including the first with quick replies. */
  turn(timeoutMs?: number): Promise<BotFrame[]>;
  /** Frames that arrive within `ms`. */
  quiet(ms: number): Promise<BotFrame[]>;
  /** The latest session frame (kept apart from the bot's messages), waiting for one if need be. */
  session(timeoutMs?: number): Promise<SessionFrame>;
  /** Every session frame received so far. */
  sessions: SessionFrame[];
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export function wsUrl(httpUrl: string, path = '/chat'): string {
  const url = new URL(path, httpUrl);
  url.protocol = 'ws:';
  return url.toString();
}

/** Rejects ("Unexpected server response: 403") when the server refuses the upgrade. */
export function openChat(httpUrl: string, options: { origin?: string; path?: string } = {}): Promise<ChatClient> {
  const socket = new WebSocket(wsUrl(httpUrl, options.path), {
    ...(options.origin ? { headers: { origin: options.origin } } : {}),
  });
  const frames: BotFrame[] = [];
  const sessions: SessionFrame[] = [];
  let wake: (() => void) | undefined;
  let resolveClosed: (value: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveClosed = resolve;
  });

  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as BotFrame | SessionFrame;
    if (frame.type === 'session') sessions.push(frame as SessionFrame);
    else frames.push(frame as BotFrame);
    wake?.();
  });
  socket.on('close', (code, reason) => {
    resolveClosed({ code, reason: String(reason) });
    wake?.();
  });

  async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No reply within ${timeoutMs} ms; got ${JSON.stringify([...sessions, ...frames])}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  const client: ChatClient = {
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendRaw: (data) => socket.send(data),
    say: (text) => socket.send(JSON.stringify({ type: 'message', text })),
    async turn(timeoutMs = 10_000) {
      await waitFor(() => frames.some((frame) => frame.quick_replies !== undefined), timeoutMs);
      const end = frames.findIndex((frame) => frame.quick_replies !== undefined);
      return frames.splice(0, end + 1);
    },
    async quiet(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return frames.splice(0);
    },
    async session(timeoutMs = 10_000) {
      await waitFor(() => sessions.length > 0, timeoutMs);
      return sessions.at(-1)!;
    },
    sessions,
    closed,
    async close() {
      if (socket.readyState === 1 || socket.readyState === 0) socket.close();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      socket.terminate();
    },
  };

  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve(client));
    socket.on('error', (error) => reject(error));
  });
}

/** The text of each frame of a turn. */
export const texts = (frames: BotFrame[]) => frames.map((frame) => frame.text);

/** A search the bot runs at once (it names a place), with six hits in the fake directory, three at a time. */
export const SEARCH = "dance for Parkinson's in Glasgow";
export const FOUND_SIX = 'I found 6 activities that might suit you. Here are the first 3:';

/** Greets as a new page, searches and sees 3 of 6; returns the page's resume token. */
export async function searchForDance(client: ChatClient): Promise<string> {
  client.send({ type: 'hello' });
  await client.turn();
  const { resume, resumed } = await client.session();
  expect(resumed).toBe(false);
  client.say(SEARCH);
  expect(texts(await client.turn())[0]).toBe(FOUND_SIX);
  return resume;
}
