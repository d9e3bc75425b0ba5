// Starts the HTTP API on one node: its event hub (one LISTEN), the wait engine, the background
// purge of deleted messages and run expiry, and the listener.
import type pg from 'pg';
import { startEventHub } from '../domain/events/event-hub.ts';
import { every, PURGE_INTERVAL_MS, purgeDeletedMessages } from '../domain/messages/purge-deleted-messages.ts';
import { createMessageWaiters } from '../domain/messages/wait-for-messages.ts';
import { expireRuns, RUN_EXPIRY_INTERVAL_MS } from '../domain/runs/expire-runs.ts';
import type { FaultRules } from '../domain/faults/fault-rule-cache.ts';
import type { IngestStats } from '../domain/stats/ingest-stats.ts';
import type { Logger } from '../logger.ts';
import type { ApiSettings } from './api-context.ts';
import { buildHttpApp, type RequestHandler } from './app.ts';

export interface HttpApiOptions {
  host: string;
  port: number;
  databaseUrl: string;
  pool: pg.Pool;
  log: Logger;
  settings: ApiSettings;
  /** Handles every non-API path (the web UI); without it they get the JSON 404. */
  fallback?: RequestHandler;
  faultRules?: FaultRules;
  stats?: IngestStats;
}

export interface RunningHttpApi {
  port: number;
  /** Open waits on this node. */
  waiterCount(): number;
  stop(): Promise<void>;
}

/** Open waits and SSE streams end at shutdown; this bounds how long stop() waits for them. */
const CLOSE_TIMEOUT_MS = 2_000;

export async function startHttpApi(options: HttpApiOptions): Promise<RunningHttpApi> {
  const { pool, log, settings } = options;
  const hub = await startEventHub(options.databaseUrl, log);
  const waiters = createMessageWaiters({ pool, log }, hub);
  const jobs = [every(PURGE_INTERVAL_MS, 'purge deleted messages', log, () => purgeDeletedMessages(pool))];
  if (settings.runTtlMs !== null) {
    const ttl = settings.runTtlMs;
    jobs.push(every(RUN_EXPIRY_INTERVAL_MS, 'run expiry', log, () => expireRuns({ pool, log }, ttl)));
  }
  try {
    const app = await buildHttpApp({ pool, log, hub, waiters, settings, faultRules: options.faultRules, stats: options.stats }, options.fallback);
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    return {
      port,
      waiterCount: () => waiters.size,
      stop: async () => {
        const closing = app.close();
        // Long polls and SSE streams would hold close() open until they end on their own.
        app.server.closeAllConnections();
        await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
        waiters.close();
        for (const job of jobs) await job.stop();
        await hub.close();
      },
    };
  } catch (error) {
    waiters.close();
    for (const job of jobs) await job.stop();
    await hub.close();
    throw error;
  }
}
