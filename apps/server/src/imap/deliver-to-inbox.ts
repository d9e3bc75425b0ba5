// Lazy delivery to a recipient's INBOX. Ingest stores each message with its recipients and puts
// it only in the catch-all INBOX (store-message-batch.ts); a recipient's INBOX receives its
// messages here, when it is read (IMAP login, SELECT, STATUS, APPEND/COPY into it, NOOP/IDLE).
//
// The catch-all INBOX is the delivery order: its UIDs are allocated under its row lock, held to
// COMMIT, so every snapshot sees a prefix of them. `deliveredThrough` is the catch-all UID up to
// which this INBOX has its messages; one statement (one snapshot) takes every live message above
// it that names the address, in catch-all order, and moves the watermark to the catch-all's
// highest UID in that same snapshot. Any later commit has a higher catch-all UID, so nothing is
// skipped or delivered twice; the INBOX row lock serialises two deliveries to one INBOX.
//
// A message counts as long as the message itself is not deleted (messages.deletedAt): an IMAP
// user expunging it from the catch-all INBOX only tombstones the catch-all entry, which stays
// (with the message row) until the message is purged, so the recipient still gets it.
//
// Deletion (expungeMessages in prune-retention.ts) sets deletedAt first and then locks the
// recipients' accounts (FOR KEY SHARE) and their INBOXes: a delivery holding the INBOX lock
// commits before deletion tombstones its entries; one that waited for deletion sees deletedAt.
// An INBOX created here is created under the account's FOR UPDATE lock, which waits for (or
// holds off) a deletion that has not yet looked for that account's INBOX.
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
  delivered_through: number;
  uid_next: number;
  highest_modseq: string;
  catch_all_id: string | null;
}

/**
 * Brings the INBOX of `address` up to date with the catch-all INBOX, creating the account and the
 * INBOX if missing. Returns null for the catch-all address itself (its INBOX is delivered to at
 * ingest).
 */
export async function deliverToInbox(pool: pg.Pool, address: string, catchAllAddress: string): Promise<InboxDelivery | null> {
  if (address === catchAllAddress) return null;
  const idle = await nothingDue(pool, address, catchAllAddress);
  if (idle) return { mailboxId: idle, delivered: 0 };
  return inTransaction(pool, async (tx) => {
    const { client } = tx;
    let inbox = await lockInbox(client, address, catchAllAddress);
    if (!inbox) {
      await createInbox(client, address);
      inbox = await lockInbox(client, address, catchAllAddress);
      if (!inbox) throw new Error(`INBOX of ${address} could not be created`);
    }
    const delivered = inbox.catch_all_id === null ? null : await deliverLocked(client, address, inbox, inbox.catch_all_id);
    if (delivered && delivered.count > 0) {
      tx.beforeCommit.push(
        notifyStatements(
          { type: 'mailboxes.changed', messageIds: [], mailboxes: [{ id: inbox.id, uidNext: delivered.uidNext, highestModseq: delivered.highestModseq }] },
          (v) => client.escapeLiteral(v),
        ),
      );
    }
    return { mailboxId: inbox.id, delivered: delivered?.count ?? 0 };
  });
}

/**
 * How far the watermark may lag behind the catch-all before it is moved although nothing is due:
 * the range of catch-all entries the next look scans stays short.
 */
const MAX_WATERMARK_LAG = 1_000;

/**
 * IMAP asks after every command in a selected INBOX; without anything due (and a watermark not far
 * behind) one read answers, instead of a write transaction. Returns the INBOX id then, else null.
 */
async function nothingDue(pool: pg.Pool, address: string, catchAllAddress: string): Promise<string | null> {
  const result = await pool.query<{ id: string; due: boolean; lag: number }>(
    `SELECT mb.id, c."uidNext" - 1 - mb."deliveredThrough" AS lag,
            EXISTS (SELECT 1
                      FROM (SELECT e."messageId" FROM mailbox_messages e
                             WHERE e."mailboxId" = c.id AND e.uid > mb."deliveredThrough" ORDER BY e.uid LIMIT $4) r
                      JOIN messages m ON m.id = r."messageId"
                     WHERE m.recipients @> ARRAY[$1]::text[] AND m."deletedAt" IS NULL) AS due
       FROM accounts a JOIN mailboxes mb ON mb."accountId" = a.id AND mb.name = $2,
            accounts ca JOIN mailboxes c ON c."accountId" = ca.id AND c.name = $2
      WHERE a.address = $1 AND ca.address = $3`,
    // Only the first MAX_WATERMARK_LAG + 1 entries above the watermark: a longer lag goes to the
    // transaction anyway, and a plain EXISTS was planned through the GIN index, reading every
    // message the address ever got (30 ms for 1,000 of them).
    [address, INBOX, catchAllAddress, MAX_WATERMARK_LAG + 1],
  );
  const row = result.rows[0];
  return row && !row.due && row.lag <= MAX_WATERMARK_LAG ? row.id : null;
}

/** The INBOX row, locked like every writer of its entries (FOR NO KEY UPDATE), and the catch-all INBOX's id. */
async function lockInbox(client: pg.ClientBase, address: string, catchAllAddress: string): Promise<LockedInbox | undefined> {
  const result = await client.query<LockedInbox>(
    `SELECT mb.id, mb."deliveredThrough" AS delivered_through, mb."uidNext" AS uid_next, mb."highestModseq" AS highest_modseq,
            (SELECT c.id FROM accounts ca JOIN mailboxes c ON c."accountId" = ca.id AND c.name = $2 WHERE ca.address = $3) AS catch_all_id
       FROM accounts a JOIN mailboxes mb ON mb."accountId" = a.id AND mb.name = $2
      WHERE a.address = $1
      FOR NO KEY UPDATE OF mb`,
    [address, INBOX, catchAllAddress],
  );
  return result.rows[0];
}

/**
 * Creates the account if needed and its INBOX, holding the account row FOR UPDATE (see the file
 * comment: a deletion in flight must either see this INBOX or be waited for).
 */
async function createInbox(client: pg.ClientBase, address: string): Promise<void> {
  await client.query('INSERT INTO accounts (address) VALUES ($1) ON CONFLICT (address) DO NOTHING', [address]);
  const account = await client.query<{ id: string }>('SELECT id FROM accounts WHERE address = $1 FOR UPDATE', [address]);
  const accountId = account.rows[0]?.id;
  if (accountId === undefined) throw new Error(`account ${address} vanished`);
  await client.query(
    `INSERT INTO mailboxes ("accountId", name, "uidValidity") VALUES ($1, $2, nextval('uid_validity_seq'))
     ON CONFLICT ("accountId", name) DO NOTHING`,
    [accountId, INBOX],
  );
}

/**
 * The one statement: entries for every live catch-all message above the watermark that names the
 * address, consecutive UIDs from uidNext and increasing modseqs in catch-all UID order, and the
 * INBOX row advanced with the watermark set to the catch-all's last UID, all in one snapshot.
 * The planner picks the side to start from per call (custom plans: node-postgres sends unnamed
 * statements): the GIN index on recipients when the watermark is far behind (a new INBOX in a big
 * store), the catch-all's primary key range when it is close.
 */
async function deliverLocked(
  client: pg.ClientBase,
  address: string,
  inbox: LockedInbox,
  catchAllId: string,
): Promise<{ count: number; uidNext: number; highestModseq: string }> {
  const result = await client.query<{ count: number; uid_next: number; highest_modseq: string }>(
    `WITH through AS (
       SELECT "uidNext" - 1 AS uid FROM mailboxes WHERE id = $1
     ), due AS (
       SELECT c."messageId" AS message_id, c."internalDate" AS internal_date, row_number() OVER (ORDER BY c.uid) AS n
         FROM mailbox_messages c JOIN messages m ON m.id = c."messageId"
        WHERE c."mailboxId" = $1 AND c.uid > $2 AND m.recipients @> ARRAY[$3]::text[] AND m."deletedAt" IS NULL
          -- A catch-all entry made by an IMAP COPY/MOVE back into the catch-all INBOX is not a
          -- new delivery: a message this INBOX already holds (or held: tombstones count) is skipped.
          AND NOT EXISTS (SELECT 1 FROM mailbox_messages x WHERE x."mailboxId" = $4 AND x."messageId" = c."messageId")
     ), inserted AS (
       INSERT INTO mailbox_messages ("mailboxId", uid, "messageId", modseq, flags, recent, "internalDate")
       SELECT $4::bigint, $5::int + d.n - 1, d.message_id, $6::bigint + d.n, '{}', true, d.internal_date FROM due d
       RETURNING 1
     ), counted AS (
       SELECT count(*)::int AS k FROM due
     ), advanced AS (
       UPDATE mailboxes mb
          SET "uidNext" = mb."uidNext" + c.k, "highestModseq" = mb."highestModseq" + c.k,
              "deliveredThrough" = greatest(mb."deliveredThrough", t.uid)
         FROM counted c, through t
        WHERE mb.id = $4 AND (c.k > 0 OR t.uid > mb."deliveredThrough")
       RETURNING mb."uidNext" AS uid_next, mb."highestModseq" AS highest_modseq
     )
     SELECT (SELECT count(*) FROM inserted)::int AS count,
            coalesce((SELECT uid_next FROM advanced), $5::int) AS uid_next,
            coalesce((SELECT highest_modseq FROM advanced), $6::bigint)::text AS highest_modseq`,
    [catchAllId, inbox.delivered_through, address, inbox.id, inbox.uid_next, inbox.highest_modseq],
  );
  const row = result.rows[0]!;
  return { count: row.count, uidNext: row.uid_next, highestModseq: row.highest_modseq };
}
