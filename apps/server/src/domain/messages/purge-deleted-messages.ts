// Deleted messages (API deletions, run expiry) are hidden and expunged at once; their rows and
// tombstones stay for PURGE_GRACE_MS so IMAP sessions on every node can read which UIDs went
// (QRESYNC VANISHED), then this job deletes them for good with a `messages.deleted` NOTIFY.
// Safe on many nodes: rows are claimed with SKIP LOCKED.
import type pg from 'pg';
import type { Logger } from '../../logger.ts';
import { notifyStatements } from '../events/letterbox-events.ts';

/**
 * A deletion through the API is rare and its tombstones cheap to keep, so they stay a minute.
 * Retention, which must keep pace with ingest, purges one sweep after the expunge instead
 * (RETENTION_BUSY_PAUSE_MS or more).
 */
export const PURGE_GRACE_MS = 60_000;
export const PURGE_INTERVAL_MS = 30_000;
const PURGE_BATCH = 500;

export async function purgeDeletedMessages(pool: pg.Pool, graceMs = PURGE_GRACE_MS): Promise<number> {
  let total = 0;
  for (;;) {
    const client = await pool.connect();
    let failed = false;
    try {
      await client.query('BEGIN');
      const deleted = await client.query<{ id: string }>(
        `WITH doomed AS (
           SELECT m.id FROM messages m
            WHERE m."deletedAt" < now() - make_interval(secs => $1::double precision / 1000)
              AND NOT EXISTS (SELECT 1 FROM mailbox_messages e WHERE e."messageId" = m.id AND e."expungedModseq" IS NULL)
            ORDER BY m.id LIMIT $2 FOR UPDATE SKIP LOCKED
         )
         DELETE FROM messages WHERE id IN (SELECT id FROM doomed) RETURNING id`,
        [graceMs, PURGE_BATCH],
      );
      const ids = deleted.rows.map((r) => r.id);
      const notify = ids.length > 0 ? notifyStatements({ type: 'messages.deleted', messageIds: ids }, (v) => client.escapeLiteral(v)) : '';
      await client.query(`${notify} COMMIT`);
      total += ids.length;
      if (ids.length < PURGE_BATCH) return total;
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release(failed);
    }
  }
}

export interface Stoppable {
  stop(): Promise<void>;
}

/** Runs `job` every intervalMs (not overlapping itself); errors are logged, the next run retries. */
export function every(intervalMs: number, name: string, log: Logger, job: () => Promise<unknown>): Stoppable {
  let current: Promise<unknown> | null = null;
  const tick = () => {
    if (current) return;
    current = job()
      .catch((error: Error) => log.warn(`${name}: ${error.message}`))
      .finally(() => {
        current = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await current;
    },
  };
}
