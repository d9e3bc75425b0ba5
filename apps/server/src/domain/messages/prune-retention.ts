// Retention: keep at most N messages and/or nothing older than an age. Runs in the background in
// bounded batches (short transactions, so ingest never waits long on a mailbox lock), on one node
// at a time (a session-level advisory lock; other nodes skip the sweep).
//
// Two phases, so IMAP sessions see a proper expunge before content disappears:
//   1. expunge: the message is marked deleted (so no recipient INBOX receives it any more), its
//      live mailbox entries become tombstones (expungedModseq set, mailbox HIGHESTMODSEQ bumped
//      under the mailbox row lock, locks taken in id order like ingest) and a `messages.expunged`
//      event goes out. INBOXes, the catch-all's too, are filled lazily
//      (imap/deliver-to-inbox.ts), so a message may have no entry yet;
//   2. purge, one sweep later: deleted messages whose entries are all tombstones are deleted
//      (attachments and entries cascade) and a `messages.deleted` event goes out; then the
//      accounts of their recipients that are left empty (prune-empty-accounts.ts).
// While there is work, sweeps follow each other after a short pause (startRetention): the store
// stays about one sweep's worth of mail above the limit as long as retention outpaces ingest.
import type pg from 'pg';
import type { Logger } from '../../logger.ts';
import { notifyStatements, type MailboxChange } from '../events/letterbox-events.ts';
import { holdOffInboxCreation } from '../../imap/deliver-to-inbox.ts';
import { startBackgroundWorker } from '../background-worker.ts';
import { pruneEmptyAccounts } from './prune-empty-accounts.ts';

export interface RetentionPolicy {
  maxMessages: number | null;
  maxAgeMs: number | null;
}

export interface RetentionResult {
  expunged: number;
  deleted: number;
}

/** "LBRT": the advisory lock that elects the one node running retention. */
export const RETENTION_LOCK_KEY = 0x4c42_5254;
/** Messages per transaction: keeps each mailbox lock hold short next to concurrent ingest. */
const RETENTION_BATCH = 500;
/** Batches per sweep and phase, so one sweep ends even while mail keeps arriving. */
const MAX_BATCHES_PER_SWEEP = 200;
/**
 * Between sweeps while there is nothing to do: how long mail may arrive above the limit before
 * retention notices. A sweep that finds nothing costs a few queries (the largest walks the newest
 * maxMessages ids: tens of ms at 100,000).
 */
export const RETENTION_INTERVAL_MS = 5_000;
/**
 * Between sweeps while there is work. Also the shortest life of a tombstone (expunged in one
 * sweep, purged in the next): long enough for IMAP sessions idling on any node to read it as an
 * EXPUNGE (their NOTIFY arrives at the expunge's COMMIT); a session that reads later still gets
 * the EXPUNGE (imap/mailbox-changes.ts compares its UIDs after a purge), only no frozen FETCH data.
 */
export const RETENTION_BUSY_PAUSE_MS = 1_000;

/** One sweep; null when another node holds the retention lock. */
export async function pruneRetention(
  pool: pg.Pool,
  policy: RetentionPolicy,
  now: Date = new Date(),
  /** Checked between batches: shutdown must not wait for a whole sweep through a backlog. */
  stopping: () => boolean = () => false,
): Promise<RetentionResult | null> {
  if (policy.maxMessages === null && policy.maxAgeMs === null) return { expunged: 0, deleted: 0 };
  const lockClient = await pool.connect();
  try {
    const lock = await lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK_KEY]);
    if (!lock.rows[0]?.locked) return null;
    try {
      const cutoffs = await candidateCutoffs(lockClient, policy, now);
      const result: RetentionResult = { expunged: 0, deleted: 0 };
      // Keyset cursors: rows this sweep already passed (purged ones not yet vacuumed away,
      // expunged-but-unpurged ones in front of the live ones) are not rescanned for every batch.
      let purgedThrough = '0';
      for (let i = 0; i < MAX_BATCHES_PER_SWEEP && !stopping(); i++) {
        const purged = await purgeBatch(pool, cutoffs.purge, purgedThrough);
        result.deleted += purged.count;
        if (purged.count > 0) await pruneEmptyAccounts(pool, purged.recipients, stopping);
        if (purged.count < RETENTION_BATCH) break;
        purgedThrough = purged.lastId;
      }
      let after = '0';
      for (let i = 0; i < MAX_BATCHES_PER_SWEEP && !stopping(); i++) {
        const expunged = await expungeBatch(pool, cutoffs.expunge, after);
        result.expunged += expunged.count;
        if (expunged.count < RETENTION_BATCH) break;
        after = expunged.lastId;
      }
      return result;
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
    }
  } finally {
    lockClient.release();
  }
}

interface Cutoff {
  /** Messages with id <= this are beyond the newest maxMessages ("0" = none). */
  maxId: string;
  /** Messages received before this are too old (epoch = none). */
  receivedBefore: Date;
}

interface Cutoffs {
  /** Live messages to expunge. */
  expunge: Cutoff;
  /** Fully tombstoned messages to delete: everything older than the newest maxMessages kept. */
  purge: Cutoff;
}

/**
 * Not deleted: with lazily filled INBOXes (imap/deliver-to-inbox.ts) a message is still owed to
 * its recipients whatever happened to its catch-all entry, or whether it has one yet.
 */
const LIVE = `m."deletedAt" IS NULL`;
/** Deleted and expunged from every mailbox that had it. */
const GONE = `m."deletedAt" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mailbox_messages e WHERE e."messageId" = m.id AND e."expungedModseq" IS NULL)`;
const NO_LIMIT_ID = '9223372036854775807';

async function candidateCutoffs(client: pg.ClientBase, policy: RetentionPolicy, now: Date): Promise<Cutoffs> {
  const receivedBefore = policy.maxAgeMs === null ? new Date(0) : new Date(now.getTime() - policy.maxAgeMs);
  if (policy.maxMessages === null) {
    return { expunge: { maxId: '0', receivedBefore }, purge: { maxId: '0', receivedBefore } };
  }
  if (policy.maxMessages === 0) {
    return { expunge: { maxId: NO_LIMIT_ID, receivedBefore }, purge: { maxId: NO_LIMIT_ID, receivedBefore } };
  }
  // Tombstoned-but-not-purged messages do not count against the limit. One walk down the live
  // messages: the oldest one kept and the newest one beyond the limit.
  const edge = await client.query<{ id: string }>(
    `SELECT id FROM messages m WHERE ${LIVE} ORDER BY id DESC OFFSET $1 LIMIT 2`,
    [policy.maxMessages - 1],
  );
  let oldestKept = edge.rows[0]?.id ?? null;
  if (oldestKept === null) {
    const oldest = await client.query<{ id: string | null }>(`SELECT min(id) AS id FROM messages m WHERE ${LIVE}`);
    oldestKept = oldest.rows[0]?.id ?? null;
  }
  const purgeMaxId = oldestKept === null ? NO_LIMIT_ID : (BigInt(oldestKept) - 1n).toString();
  return { expunge: { maxId: edge.rows[1]?.id ?? '0', receivedBefore }, purge: { maxId: purgeMaxId, receivedBefore } };
}

const CANDIDATE = `(m.id <= $1::bigint OR m."receivedAt" < $2::timestamptz)`;

async function purgeBatch(pool: pg.Pool, cutoff: Cutoff, after: string): Promise<{ count: number; lastId: string; recipients: string[] }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const deleted = await client.query<{ id: string; recipients: string[] }>(
      `WITH doomed AS (
         SELECT m.id FROM messages m
          WHERE m.id > $4::bigint AND ${CANDIDATE}
            AND ${GONE}
          ORDER BY m.id LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       DELETE FROM messages WHERE id IN (SELECT id FROM doomed) RETURNING id, recipients`,
      [cutoff.maxId, cutoff.receivedBefore, RETENTION_BATCH, after],
    );
    const ids = deleted.rows.map((r) => r.id);
    const notify = ids.length > 0 ? notifyStatements({ type: 'messages.deleted', messageIds: ids }, (v) => client.escapeLiteral(v)) : '';
    await client.query(`${notify} COMMIT`);
    const lastId = ids.reduce((max, id) => (BigInt(id) > BigInt(max) ? id : max), after);
    return { count: ids.length, lastId, recipients: deleted.rows.flatMap((r) => r.recipients) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function expungeBatch(pool: pg.Pool, cutoff: Cutoff, after: string): Promise<{ count: number; lastId: string }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const picked = await client.query<{ id: string }>(
      `SELECT m.id FROM messages m
        WHERE m.id > $4::bigint AND ${CANDIDATE}
          AND ${LIVE}
        ORDER BY m.id LIMIT $3`,
      [cutoff.maxId, cutoff.receivedBefore, RETENTION_BATCH, after],
    );
    const messageIds = picked.rows.map((r) => r.id);
    if (messageIds.length === 0) {
      await client.query('COMMIT');
      return { count: 0, lastId: after };
    }
    const notify = await expungeMessages(client, messageIds);
    await client.query(`${notify} COMMIT`);
    return { count: messageIds.length, lastId: messageIds.at(-1)! };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Expunges messages from every mailbox they are live in, inside the caller's transaction: the
 * entries become tombstones (expungedModseq set, HIGHESTMODSEQ bumped under the mailbox row
 * locks, taken in id order like ingest) and the messages are hidden from the HTTP API
 * (deletedAt). Returns the `messages.expunged` NOTIFY statements to send with the COMMIT, so IMAP
 * sessions on every node see EXPUNGE. Used by retention and by deletions through the API.
 */
export async function expungeMessages(client: pg.ClientBase, messageIds: readonly string[]): Promise<string> {
  // Locks before the deletedAt UPDATE: a delivery to a recipient INBOX (deliver-to-inbox.ts) that
  // holds the INBOX lock checks the messages' foreign keys (FOR KEY SHARE), which waits for an
  // uncommitted UPDATE of those rows; updating them first, then waiting for that INBOX, was a
  // deadlock (seen in the lazy-INBOX deletion race test). With the INBOX locked here first, a
  // delivery in flight commits before, and its entries are tombstoned below; one that starts
  // later waits for this transaction and then sees deletedAt.
  const recipients = await client.query<{ address: string }>(
    'SELECT DISTINCT unnest(recipients) AS address FROM messages WHERE id = ANY($1::bigint[])',
    [messageIds],
  );
  // An INBOX of a recipient being created is waited for and then seen below; one not created yet
  // waits for this transaction (deliver-to-inbox.ts). Then the recipients' accounts before any
  // mailbox (the order empty-account pruning uses).
  const addresses = recipients.rows.map((r) => r.address);
  await holdOffInboxCreation(client, addresses);
  const accounts = await client.query<{ id: string }>(
    'SELECT id FROM accounts WHERE address = ANY($1::text[]) ORDER BY id FOR KEY SHARE',
    [addresses],
  );
  // Mailboxes holding live entries, the recipients' INBOXes and the catch-all INBOX (a delivery to
  // one may be in flight: its lock is waited for, and the statements after the lock see what it
  // committed).
  // Found first, then locked by id alone: found and locked in one statement (a UNION subquery in
  // the WHERE), the INBOX went missing, unlocked, in the lazy-INBOX deletion race test (a row lock
  // that waited re-checks the WHERE against the updated row). Same lock order as ingest (mailbox
  // id ascending): never a deadlock with deliveries.
  const wanted = await client.query<{ id: string }>(
    `SELECT "mailboxId" AS id FROM mailbox_messages WHERE "messageId" = ANY($1::bigint[]) AND "expungedModseq" IS NULL
     UNION
     SELECT id FROM mailboxes WHERE name = 'INBOX' AND ("accountId" = ANY($2::bigint[]) OR "isCatchAll")`,
    [messageIds, accounts.rows.map((r) => r.id)],
  );
  const locked = await client.query<{ id: string }>(
    'SELECT id FROM mailboxes WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE',
    [wanted.rows.map((r) => r.id)],
  );
  await client.query('UPDATE messages SET "deletedAt" = now() WHERE id = ANY($1::bigint[]) AND "deletedAt" IS NULL', [messageIds]);
  const mailboxIds = locked.rows.map((r) => r.id);
  // Entries found through their messageId index and updated by primary key: filtering the locked
  // mailboxes' entries by messageId read the catch-all INBOX's entries, once per batch (75 -> 26 ms
  // per batch of 500 with 20,000-85,000 messages stored). Only mailboxes that lose an entry get a
  // new modseq.
  const bumped = await client.query<{ id: string; uid_next: number; highest_modseq: string }>(
    `WITH entries AS MATERIALIZED (
       SELECT "mailboxId" AS mailbox_id, uid FROM mailbox_messages
        WHERE "messageId" = ANY($2::bigint[]) AND "expungedModseq" IS NULL
     ), bumped AS (
       UPDATE mailboxes SET "highestModseq" = "highestModseq" + 1
        WHERE id = ANY($1::bigint[]) AND id IN (SELECT mailbox_id FROM entries)
       RETURNING id, "uidNext" AS uid_next, "highestModseq" AS highest_modseq
     ), tombstoned AS (
       UPDATE mailbox_messages e SET "expungedModseq" = b.highest_modseq, modseq = b.highest_modseq
         FROM entries x JOIN bumped b ON b.id = x.mailbox_id
        WHERE e."mailboxId" = x.mailbox_id AND e.uid = x.uid AND e."expungedModseq" IS NULL
       RETURNING 1
     )
     SELECT id, uid_next, highest_modseq, (SELECT count(*) FROM tombstoned) AS n FROM bumped`,
    [mailboxIds, messageIds],
  );
  const mailboxes: MailboxChange[] = bumped.rows.map((r) => ({ id: r.id, uidNext: r.uid_next, highestModseq: r.highest_modseq }));
  return notifyStatements({ type: 'messages.expunged', messageIds: [...messageIds], mailboxes }, (v) => client.escapeLiteral(v));
}

export interface RetentionRunner {
  stop(): Promise<void>;
}

/**
 * Sweeps in a loop: after a sweep that found work, again after RETENTION_BUSY_PAUSE_MS (under
 * sustained ingest a 30 s wait let the store overshoot its limit by 30 s of mail, and one sweep
 * per interval could not catch up); after a sweep that found nothing, after the interval. Errors
 * are logged and the next sweep tries again.
 */
export function startRetention(options: { pool: pg.Pool; policy: RetentionPolicy; log: Logger; intervalMs?: number }): RetentionRunner {
  const { pool, policy, log } = options;
  if (policy.maxMessages === null && policy.maxAgeMs === null) return { stop: async () => {} };
  const worker = startBackgroundWorker({
    sweepIntervalMs: options.intervalMs ?? RETENTION_INTERVAL_MS,
    onError: (error) => log.warn(`retention: ${error.message}`),
    pass: async (stopped) => {
      const result = await pruneRetention(pool, policy, new Date(), stopped);
      if (result === null || (result.expunged === 0 && result.deleted === 0)) return;
      log.info(`retention: expunged ${result.expunged}, deleted ${result.deleted} messages`);
      return RETENTION_BUSY_PAUSE_MS;
    },
  });
  return { stop: () => worker.stop() };
}
