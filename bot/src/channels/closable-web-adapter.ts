import { WebAdapter } from 'botbuilder-adapter-web';

/**
 * botbuilder-adapter-web starts a 30-second heartbeat interval when it creates its websocket
 * server and never clears it, so a process (or a test run) that uses it cannot exit. It offers
 * no handle to the timer; this subclass records the one interval started inside
 * `createSocketServer` (a synchronous call) and clears it in `stopHeartbeat`.
 */
export class ClosableWebAdapter extends WebAdapter {
  private readonly heartbeats: Array<ReturnType<typeof setInterval>> = [];

  override createSocketServer(server: unknown, socketOptions: unknown, logic: unknown): void {
    const realSetInterval = globalThis.setInterval;
    const heartbeats = this.heartbeats;
    const recordingSetInterval = (...args: unknown[]) => {
      const timer = Reflect.apply(realSetInterval, globalThis, args) as ReturnType<typeof setInterval>;
      heartbeats.push(timer);
      return timer;
    };
    globalThis.setInterval = recordingSetInterval as unknown as typeof setInterval;
    try {
      super.createSocketServer(server, socketOptions, logic);
    } finally {
      globalThis.setInterval = realSetInterval;
    }
  }

  stopHeartbeat(): void {
    for (const timer of this.heartbeats.splice(0)) clearInterval(timer);
  }
}
