// Background work on a timer: each task runs, waits its interval, and runs again; a run never
// overlaps the one before, and a failure is logged and tried again next time.
import type { Logger } from '@sp/runtime/logger';

export interface BackgroundTask {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
}

export function startBackgroundTasks(tasks: readonly BackgroundTask[], logger: Logger) {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  function schedule(task: BackgroundTask, delay: number) {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = task
        .run()
        .then(
          () => undefined,
          (error: unknown) => logger.error({ err: error, task: task.name }, 'background task failed'),
        )
        .finally(() => {
          running.delete(run);
          schedule(task, task.intervalMs);
        });
      running.add(run);
    }, delay);
    timer.unref();
    timers.add(timer);
  }

  // A short stagger so the tasks do not all start at the same instant.
  tasks.forEach((task, index) => schedule(task, 250 * (index + 1)));

  return {
    /** Stops scheduling and waits for runs in progress to finish. */
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
