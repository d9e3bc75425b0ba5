// Keeps the catch-all INBOX filled in the background, off the SMTP acknowledgement path. Ingest
// writes no mailbox entry (store-message-batch.ts); without this job the first SELECT of the
// catch-all after a load test would deliver every message of it in one go. Each pass delivers a
// bounded chunk in delivery order (deliver-to-inbox.ts), which also creates the recipients'
// accounts the API's inbox listing pages through. Safe on many nodes: two fillers queue on the
// catch-all INBOX's row lock, and the second finds nothing due.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import { startBackgroundWorker, type BackgroundWorker } from '../domain/background-worker.ts';
import { deliverToInbox } from './deliver-to-inbox.ts';

/**
 * Messages per transaction: the catch-all INBOX's row lock is held for one chunk, and a chunk
 * under way when a load resumes runs to its end beside it. A 5,000-entry chunk took 0.76 s of
 * PostgreSQL in a profile where it ran into the load after a warm-up (0.28 s at the 17,600 entries
 * a second measured alone); a fifth of that is the most a resuming load now waits beside.
 */
const CHUNK_MESSAGES = 1_000;
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

export type CatchAllDelivery = BackgroundWorker;

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
  return startBackgroundWorker({
    sweepIntervalMs: options.sweepIntervalMs ?? CATCH_ALL_SWEEP_INTERVAL_MS,
    retryAfterErrorMs: RETRY_AFTER_ERROR_MS,
    onError: (error) => log.warn(`catch-all delivery: ${error.message}`),
    pass: async (stopped) => {
      for (;;) {
        while (!stopped() && options.ingestBusy?.()) await sleep(BUSY_RECHECK_MS);
        if (stopped()) return;
        const { delivered } = await deliverToInbox(pool, catchAllAddress, catchAllAddress, { maxMessages: CHUNK_MESSAGES });
        if (delivered < CHUNK_MESSAGES) return;
      }
    },
  });
}
