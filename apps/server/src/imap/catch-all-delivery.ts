// Keeps the catch-all INBOX filled in the background, off the SMTP acknowledgement path. Ingest
// writes no mailbox entry (store-message-batch.ts); without this job the first SELECT of the
// catch-all after a load test would deliver every message of it in one go. Each pass delivers a
// bounded chunk in delivery order (deliver-to-inbox.ts), which also creates the recipients'
// accounts the API's inbox listing pages through. Safe on many nodes: two fillers queue on the
// catch-all INBOX's row lock, and the second finds nothing due.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import { deliverToInbox } from './deliver-to-inbox.ts';

/** Messages per transaction: the catch-all INBOX's row lock is held for one chunk. */
const CHUNK_MESSAGES = 5_000;
/**
 * While ingest has work in hand the job waits: acknowledgements come first, and a catch-all entry
 * costs PostgreSQL about as much as storing the message did. An IMAP session with the catch-all
 * selected still sees new mail at once (it fills the INBOX itself when notified).
 */
const BUSY_RECHECK_MS = 250;
/** How often a node looks for mail nobody woke it for (other nodes' commits, a crash). */
export const CATCH_ALL_SWEEP_INTERVAL_MS = 2_000;
/** After an error (database restarting), wait before the next try. */
const RETRY_AFTER_ERROR_MS = 1_000;

export interface CatchAllDelivery {
  /** New mail was committed: deliver it soon. */
  wake(): void;
  /** Resolves once everything committed when called is in the catch-all INBOX (tests). */
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

export interface CatchAllDeliveryOptions {
  pool: pg.Pool;
  catchAllAddress: string;
  log: Logger;
  /** True while ingest has work in hand; the job waits meanwhile (see BUSY_RECHECK_MS). */
  ingestBusy?: () => boolean;
  sweepIntervalMs?: number;
}

export function startCatchAllDelivery(options: CatchAllDeliveryOptions): CatchAllDelivery {
  const { pool, catchAllAddress, log } = options;
  let stopped = false;
  let wakeRequested = true;
  let wakeLoop: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];

  const deliverChunk = async (): Promise<boolean> => {
    while (!stopped && options.ingestBusy?.()) await sleep(BUSY_RECHECK_MS);
    if (stopped) return false;
    const result = await deliverToInbox(pool, catchAllAddress, catchAllAddress, { maxMessages: CHUNK_MESSAGES });
    return result.delivered >= CHUNK_MESSAGES;
  };

  const loop = async () => {
    while (!stopped) {
      wakeRequested = false;
      try {
        while (!stopped && (await deliverChunk()));
      } catch (error) {
        if (!stopped) log.warn(`catch-all delivery: ${(error as Error).message}`);
        await sleep(RETRY_AFTER_ERROR_MS);
        wakeRequested = true;
        continue;
      }
      if (wakeRequested) continue;
      for (const resolve of idleWaiters.splice(0)) resolve();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.sweepIntervalMs ?? CATCH_ALL_SWEEP_INTERVAL_MS);
        wakeLoop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeLoop = null;
    }
    for (const resolve of idleWaiters.splice(0)) resolve();
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
      idleWaiters = [];
    },
  };
}
