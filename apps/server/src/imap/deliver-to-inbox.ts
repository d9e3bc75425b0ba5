// Lazy delivery to an INBOX. Ingest stores each message with its recipients and a number in
// delivery order (messages.deliverySeq, store-message-batch.ts) and writes no mailbox entry. An
// INBOX receives its messages here: a recipient's when it is read (IMAP login, SELECT, STATUS,
// APPEND/COPY into it, NOOP/IDLE), the catch-all's likewise and also in the background
// (catch-all-delivery.ts), which creates the recipients' accounts as it goes.
//
// deliverySeq is numbered under the delivery_counter row lock, held to COMMIT, so every snapshot
// sees a prefix of the numbers. `deliveredThrough` is the number up to which this INBOX has its
// messages; one statement (one snapshot) takes every live message above it that names the address
// (the catch-all: every one), in delivery order, and moves the watermark to the counter's value in
// that same snapshot. Any later commit has a higher number, so nothing is skipped or delivered
// twice; the INBOX row lock serialises two deliveries to one INBOX.
//
// A message counts as long as the message itself is not deleted (messages.deletedAt): an IMAP
// user expunging it from the catch-all INBOX only tombstones that entry, which stays (with the
// message row) until the message is purged, so the recipient still gets it.
//
// Deletion (expungeMessages in prune-retention.ts) locks the recipients' INBOXes and the catch-all
// INBOX before it sets deletedAt: a delivery holding the INBOX lock commits before deletion
// tombstones its entries; one that waited for deletion sees deletedAt. An INBOX that does not
// exist yet (nor, perhaps, its account: ingest creates none) cannot be locked, so creating one
// takes an advisory lock on the address's bucket exclusively and deletion takes its recipients'
// buckets shared, first: a creation in flight is waited for and its INBOX then seen, and one that
// starts later waits for the deletion and then sees deletedAt.
import type pg from 'pg';
import { notifyStatements } from '../domain/events/letterbox-events.ts';
import { INBOX } from './account-folders.ts';
import { inTransaction } from './transaction.ts';

export interface InboxDelivery {
  /** The INBOX's mailbox id. */
  mailboxId: string;
  /** Messages delivered by this call. */
  delivered: number;
}

interface LockedInbox {
  id: string;
  is_catch_all: boolean;
  delivered_through: string;
  uid_next: number;
  highest_modseq: string;
}

export interface DeliverOptions {
  /**
   * Deliver at most this many messages (oldest first) and move the watermark only past them: the
   * background catch-up keeps its transactions short. Default: everything due.
   */
  maxMessages?: number;
}

/**
 * Brings the INBOX of `address` up to date, creating the account and the INBOX if missing. For
 * the catch-all address every message is due, and the recipients' accounts of what it receives
 * are created too.
 */
export async function deliverToInbox(
  pool: pg.Pool,
  address: string,
  catchAllAddress: string,
  options: DeliverOptions = {},
): Promise<InboxDelivery> {
  const catchAll = address === catchAllAddress;
  const idle = await nothingDue(pool, address, catchAll);
  if (idle) return { mailboxId: idle, delivered: 0 };
  return inTransaction(pool, async (tx) => {
    const { client } = tx;
    let inbox = await lockInbox(client, address);
    if (!inbox) {
      await createInbox(client, address, catchAll);
      inbox = await lockInbox(client, address);
      if (!inbox) throw new Error(`INBOX of ${address} could not be created`);
    }
    if (catchAll && !inbox.is_catch_all) {
      // Created by an IMAP login's default folders, or --catch-all-address changed.
      await client.query('UPDATE mailboxes SET "isCatchAll" = true WHERE id = $1', [inbox.id]);
    }
    const delivered = await deliverLocked(client, address, inbox, catchAll ? catchAllAddress : null, options.maxMessages ?? null);
    if (delivered.count > 0) {
      tx.beforeCommit.push(
        notifyStatements(
          { type: 'mailboxes.changed', messageIds: [], mailboxes: [{ id: inbox.id, uidNext: delivered.uidNext, highestModseq: delivered.highestModseq }] },
          (v) => client.escapeLiteral(v),
        ),
      );
    }
    return { mailboxId: inbox.id, delivered: delivered.count };
  });
}

/**
 * How far the watermark may lag behind the delivery counter before it is moved although nothing
 * is due: the range of messages the next look scans stays short.
 */
const MAX_WATERMARK_LAG = 1_000;

/** The delivery counter's value (0 before the first delivery). */
const COUNTER = `coalesce((SELECT last FROM delivery_counter WHERE id = 1), 0)`;

/**
 * IMAP asks after every command in a selected INBOX; without anything due (and a watermark not far
 * behind) one read answers, instead of a write transaction. Returns the INBOX id then, else null.
 */
async function nothingDue(pool: pg.Pool, address: string, catchAll: boolean): Promise<string | null> {
  const result = await pool.query<{ id: string; due: boolean; lag: string; is_catch_all: boolean }>(
    `SELECT mb.id, mb."isCatchAll" AS is_catch_all, ${COUNTER} - mb."deliveredThrough" AS lag,
            EXISTS (SELECT 1
                      FROM (SELECT m.recipients, m."deletedAt" FROM messages m
                             WHERE m."deliverySeq" > mb."deliveredThrough" ORDER BY m."deliverySeq" LIMIT $3) r
                     WHERE r."deletedAt" IS NULL ${catchAll ? '' : 'AND r.recipients @> ARRAY[$1]::text[]'}) AS due
       FROM accounts a JOIN mailboxes mb ON mb."accountId" = a.id AND mb.name = $2
      WHERE a.address = $1`,
    // Only the first MAX_WATERMARK_LAG + 1 messages above the watermark: a longer lag goes to the
    // transaction anyway, and a plain EXISTS was planned through the GIN index, reading every
    // message the address ever got (30 ms for 1,000 of them).
    [address, INBOX, MAX_WATERMARK_LAG + 1],
  );
  const row = result.rows[0];
  return row && !row.due && Number(row.lag) <= MAX_WATERMARK_LAG && (row.is_catch_all || !catchAll) ? row.id : null;
}

/** The INBOX row, locked like every writer of its entries (FOR NO KEY UPDATE). */
async function lockInbox(client: pg.ClientBase, address: string): Promise<LockedInbox | undefined> {
  const result = await client.query<LockedInbox>(
    `SELECT mb.id, mb."isCatchAll" AS is_catch_all, mb."deliveredThrough" AS delivered_through, mb."uidNext" AS uid_next, mb."highestModseq" AS highest_modseq
       FROM accounts a JOIN mailboxes mb ON mb."accountId" = a.id AND mb.name = $2
      WHERE a.address = $1
      FOR NO KEY UPDATE OF mb`,
    [address, INBOX],
  );
  return result.rows[0];
}

/** Advisory lock space (first key) of INBOX creation; the second key is the address's bucket. */
const INBOX_CREATION_LOCK = 0x4c42_4943; // "LBIC"
/**
 * Addresses share buckets: a deletion of many messages takes at most this many advisory locks
 * (PostgreSQL's lock table holds max_locks_per_transaction x max_connections, 6,400 by default),
 * at the price of an unrelated INBOX creation sometimes waiting for a deletion.
 */
const INBOX_CREATION_BUCKETS = 256;
const BUCKET = (address: string) => `hashtext(${address}) & ${INBOX_CREATION_BUCKETS - 1}`;

/**
 * Deletion's side of the INBOX creation lock (see the file comment): shared locks on the buckets
 * of `addresses`, held to the end of the caller's transaction.
 */
export async function holdOffInboxCreation(client: pg.ClientBase, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) return;
  await client.query(
    `SELECT pg_advisory_xact_lock_shared(${INBOX_CREATION_LOCK}, b)
       FROM (SELECT DISTINCT ${BUCKET('a')} AS b FROM unnest($1::text[]) AS a) x ORDER BY b`,
    [addresses],
  );
}

/**
 * Creates the account if needed and its INBOX, under the address's INBOX creation lock (see the
 * file comment: a deletion in flight must either see this INBOX or be waited for).
 */
async function createInbox(client: pg.ClientBase, address: string, catchAll: boolean): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(${INBOX_CREATION_LOCK}, ${BUCKET('$1::text')})`, [address]);
  await client.query('INSERT INTO accounts (address) VALUES ($1) ON CONFLICT (address) DO NOTHING', [address]);
  const account = await client.query<{ id: string }>('SELECT id FROM accounts WHERE address = $1 FOR KEY SHARE', [address]);
  const accountId = account.rows[0]?.id;
  if (accountId === undefined) throw new Error(`account ${address} vanished`);
  await client.query(
    `INSERT INTO mailboxes ("accountId", name, "uidValidity", "isCatchAll") VALUES ($1, $2, nextval('uid_validity_seq'), $3)
     ON CONFLICT ("accountId", name) DO NOTHING`,
    [accountId, INBOX, catchAll],
  );
}

/**
 * The one statement: entries for every live message above the watermark that names the address
 * (for the catch-all: every live message), consecutive UIDs from uidNext and increasing modseqs in
 * delivery order, and the INBOX row advanced with the watermark set to the delivery counter, all in
 * one snapshot. With `maxMessages` and that many due, the watermark stops at the last one taken.
 * The catch-all also creates the accounts of the recipients of what it receives (in address
 * order, so two fillers cannot deadlock). The planner picks the side to start from per call
 * (custom plans: node-postgres sends unnamed statements): the GIN index on recipients when the
 * watermark is far behind (a new INBOX in a big store), the deliverySeq range when it is close.
 */
async function deliverLocked(
  client: pg.ClientBase,
  address: string,
  inbox: LockedInbox,
  catchAllAddress: string | null,
  maxMessages: number | null,
): Promise<{ count: number; uidNext: number; highestModseq: string }> {
  const recipientFilter = catchAllAddress === null ? 'AND m.recipients @> ARRAY[$2]::text[]' : '';
  const createAccounts = catchAllAddress === null ? '' : `, accounts_created AS (
       INSERT INTO accounts (address)
       SELECT DISTINCT r.address FROM due d CROSS JOIN LATERAL unnest(d.recipients) AS r(address)
        WHERE r.address <> $2 ORDER BY r.address
       ON CONFLICT (address) DO NOTHING
     )`;
  const result = await client.query<{ count: number; uid_next: number; highest_modseq: string }>(
    `WITH through AS (
       SELECT ${COUNTER} AS seq
     ), due AS (
       SELECT t.*, row_number() OVER (ORDER BY t.seq) AS n
         FROM (SELECT m.id AS message_id, m."receivedAt" AS internal_date, m."deliverySeq" AS seq, m.recipients
                 FROM messages m
                WHERE m."deliverySeq" > $1 ${recipientFilter} AND m."deletedAt" IS NULL
                  -- A message an IMAP COPY/MOVE (or an earlier delivery) already put in this INBOX
                  -- is not delivered again (tombstones count).
                  AND NOT EXISTS (SELECT 1 FROM mailbox_messages x WHERE x."mailboxId" = $3 AND x."messageId" = m.id)
                ORDER BY m."deliverySeq" LIMIT $6::int) t
     ), inserted AS (
       INSERT INTO mailbox_messages ("mailboxId", uid, "messageId", modseq, flags, recent, "internalDate")
       SELECT $3::bigint, $4::int + d.n - 1, d.message_id, $5::bigint + d.n, '{}', true, d.internal_date FROM due d
       RETURNING 1
     ), counted AS (
       SELECT count(*)::int AS k, max(seq) AS last_seq FROM due
     ), advanced AS (
       UPDATE mailboxes mb
          SET "uidNext" = mb."uidNext" + c.k, "highestModseq" = mb."highestModseq" + c.k,
              "deliveredThrough" = greatest(mb."deliveredThrough", CASE WHEN c.k >= $6::int THEN c.last_seq ELSE t.seq END)
         FROM counted c, through t
        WHERE mb.id = $3 AND (c.k > 0 OR t.seq > mb."deliveredThrough")
       RETURNING mb."uidNext" AS uid_next, mb."highestModseq" AS highest_modseq
     )${createAccounts}
     SELECT (SELECT count(*) FROM inserted)::int AS count,
            coalesce((SELECT uid_next FROM advanced), $4::int) AS uid_next,
            coalesce((SELECT highest_modseq FROM advanced), $5::bigint)::text AS highest_modseq`,
    [inbox.delivered_through, catchAllAddress ?? address, inbox.id, inbox.uid_next, inbox.highest_modseq, maxMessages],
  );
  const row = result.rows[0]!;
  return { count: row.count, uidNext: row.uid_next, highestModseq: row.highest_modseq };
}
