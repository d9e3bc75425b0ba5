// A background job that runs passes: when woken (after a local commit), on a sweep interval (for
// work other nodes committed, or a crash left behind), and again at once when woken during a pass.
// Used by the MIME parser, the catch-all INBOX's filling and retention.

export interface BackgroundWorker {
  /** There may be new work: run a pass soon. */
  wake(): void;
  /** Resolves after a pass that started after this call found nothing more to do (tests). */
  whenIdle(): Promise<void>;
  /** Lets the current pass finish, then stops. */
  stop(): Promise<void>;
}

export interface BackgroundWorkerOptions {
  /**
   * One pass: does the work there is, checking `stopped()` between steps. May return how soon the
   * next pass should run (ms) instead of the sweep interval.
   */
  pass: (stopped: () => boolean) => Promise<number | void>;
  sweepIntervalMs: number;
  onError: (error: Error) => void;
  /** After a failed pass, try again this soon instead of at the next sweep. */
  retryAfterErrorMs?: number;
}

export function startBackgroundWorker(options: BackgroundWorkerOptions): BackgroundWorker {
  let stopped = false;
  let wakeRequested = true;
  let wakeLoop: (() => void) | null = null;
  const idleWaiters: (() => void)[] = [];
  const isStopped = () => stopped;

  const rest = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wakeLoop = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (wakeLoop = null));

  const loop = async () => {
    while (!stopped) {
      wakeRequested = false;
      let restMs: number | void = undefined;
      try {
        restMs = await options.pass(isStopped);
      } catch (error) {
        if (!stopped) options.onError(error as Error);
        if (options.retryAfterErrorMs !== undefined && !stopped) {
          await rest(options.retryAfterErrorMs);
          wakeRequested = true;
          continue;
        }
      }
      if (!wakeRequested) for (const resolve of idleWaiters.splice(0)) resolve();
      if (stopped || wakeRequested) continue;
      await rest(restMs ?? options.sweepIntervalMs);
    }
  };
  const running = loop();

  const wake = () => {
    wakeRequested = true;
    wakeLoop?.();
  };
  return {
    wake,
    whenIdle: () => {
      if (stopped) return Promise.resolve();
      const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
      wake();
      return idle;
    },
    stop: async () => {
      stopped = true;
      wakeLoop?.();
      await running;
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
  };
}
