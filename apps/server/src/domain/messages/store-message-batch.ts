// One transaction storing a batch of received messages (with their recipients as account
// addresses), their recipients' accounts, and one catch-all INBOX entry per message with UIDs and
// modseqs allocated under the catch-all INBOX's row lock (IMAP.md M20: commit order = UID order).
// Recipients' INBOXes are not touched: they are filled from the catch-all when read
// (imap/deliver-to-inbox.ts). A NOTIFY inside the transaction is delivered at COMMIT; it names the
// recipients, so IMAP sessions on any node with one of their INBOXes selected look.
//
// Raw SQL through pg on purpose: Prisma has no multi-row INSERT ... RETURNING, no ordered
// `FOR NO KEY UPDATE` row locks and no way to put NOTIFY and COMMIT in one round trip. This is
// the hot path: six round trips per batch, whatever the batch size.
import type pg from 'pg';
import { notifyStatements, type MailboxChange } from '../events/letterbox-events.ts';
import { accountAddress } from './account-address.ts';

export interface ReceivedMessage {
  /** The stored octets: dot-unstuffed, line endings normalised to CRLF. */
  raw: Buffer;
  sha256: string;
  receivedAt: Date;
  mailFrom: string;
  rcptTo: string[];
  authUser: string | null;
  clientAddress: string | null;
  heloName: string | null;
  tls: boolean;
  run: string | null;
}

export interface Delivery {
  mailboxId: string;
  uid: number;
}

export interface StoredMessage {
  /** messages.id, int8 as a decimal string */
  id: string;
  deliveries: Delivery[];
}

const INBOX = 'INBOX';
/**
 * Error code when a target INBOX was removed (retention's empty-account pruning) between lookup and
 * lock: nothing was committed, and a retry of the batch creates the account again.
 */
export const MAILBOX_VANISHED = 'LETTERBOX_MAILBOX_VANISHED';
const MESSAGE_COLUMNS = 12;

/** Text columns refuse NUL; an envelope address with one is stored without it. */
function text(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

export async function storeMessageBatch(
  client: pg.ClientBase,
  messages: readonly ReceivedMessage[],
  catchAllAddress: string,
): Promise<StoredMessage[]> {
  await client.query('BEGIN');
  try {
    return await storeInTransaction(client, messages, catchAllAddress);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

async function storeInTransaction(
  client: pg.ClientBase,
  messages: readonly ReceivedMessage[],
  catchAllAddress: string,
): Promise<StoredMessage[]> {
  const recipients = messages.map((m) => messageRecipients(m.rcptTo));
  const messageIds = await insertMessages(client, messages, recipients);
  const batchRecipients = [...new Set(recipients.flat())].filter((a) => a !== catchAllAddress).sort();
  await ensureAccounts(client, batchRecipients);

  // Only the catch-all INBOX is delivered to here: one entry per message, in message order.
  const inbox = (await ensureInboxes(client, new Map([[catchAllAddress, messages.length]]))).get(catchAllAddress)!;
  const existing = inbox.fresh ? [] : [inbox.mailboxId];
  const fresh = inbox.fresh ? [inbox.mailboxId] : [];
  const counts = [messages.length];

  // One statement: lock the catch-all INBOX (unless this transaction created it: invisible to
  // everyone else until COMMIT, and created with its final counters), advance its counters and
  // insert the entries. The lock is held to COMMIT, so catch-all UIDs become visible strictly in
  // commit order and every snapshot sees a prefix of them: deliver-to-inbox.ts relies on that.
  const allocated = await client.query<{ id: string; first_uid: number; uid_next: number; highest_modseq: string; inserted: number }>(
    `WITH locked AS (
       SELECT id FROM mailboxes WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE
     ), advanced AS (
       UPDATE mailboxes m
          SET "uidNext" = m."uidNext" + c.k, "highestModseq" = m."highestModseq" + c.k
         FROM unnest($1::bigint[], $2::int[]) AS c(mailbox_id, k) JOIN locked l ON l.id = c.mailbox_id
        WHERE m.id = c.mailbox_id
       RETURNING m.id, m."uidNext" - c.k AS first_uid, m."highestModseq" - c.k AS first_modseq,
                 m."uidNext" AS uid_next, m."highestModseq" AS highest_modseq
     ), allocated AS (
       SELECT * FROM advanced
       UNION ALL
       SELECT f.id, 1, 1::bigint, f.k + 1, (f.k + 1)::bigint FROM unnest($3::bigint[], $4::int[]) AS f(id, k)
     ), inserted AS (
       INSERT INTO mailbox_messages ("mailboxId", uid, "messageId", modseq, flags, recent, "internalDate")
       SELECT a.id, a.first_uid + e.position, e.message_id, a.first_modseq + e.position + 1, '{}', true, e.internal_date
         FROM unnest($5::bigint[], $6::timestamptz[], $7::int[]) AS e(message_id, internal_date, position)
         CROSS JOIN allocated a
       RETURNING 1
     )
     SELECT id, first_uid, uid_next, highest_modseq, (SELECT count(*) FROM inserted)::int AS inserted FROM allocated`,
    [existing, existing.length > 0 ? counts : [], fresh, fresh.length > 0 ? counts : [],
      messageIds, messages.map((m) => m.receivedAt), messageIds.map((_, i) => i)],
  );
  if (allocated.rows.length !== 1 || allocated.rows[0]!.inserted !== messages.length) {
    throw Object.assign(new Error('catch-all INBOX vanished during delivery'), { code: MAILBOX_VANISHED });
  }
  const row = allocated.rows[0]!;
  const stored: StoredMessage[] = messageIds.map((id, i) => ({ id, deliveries: [{ mailboxId: row.id, uid: row.first_uid + i }] }));

  const mailboxes: MailboxChange[] = [{ id: row.id, uidNext: row.uid_next, highestModseq: row.highest_modseq }];
  const notify = notifyStatements({ type: 'messages.created', messageIds, mailboxes, recipients: batchRecipients }, (v) => client.escapeLiteral(v));
  try {
    await client.query(`${notify} COMMIT`);
  } catch (error) {
    // The COMMIT may or may not have happened: the batch must not be stored a second time.
    throw Object.assign(error as Error, { commitOutcomeUnknown: true });
  }
  return stored;
}

/** The envelope recipients as account addresses, each once, in RCPT order. */
export function messageRecipients(rcptTo: readonly string[]): string[] {
  return [...new Set(rcptTo.map((a) => accountAddress(text(a))))];
}

/**
 * Recipient accounts exist for the API's inbox listing (paged by address, counted through the
 * GIN index on messages.recipients); nothing else is created per recipient at ingest. Accounts
 * that already existed are held with FOR KEY SHARE to COMMIT, so retention's empty-account
 * pruning (which takes FOR UPDATE, SKIP LOCKED) cannot remove one this batch delivers to before
 * the batch's messages are visible to its emptiness check. Inserted in address order, as every
 * batch does, so two batches creating the same addresses cannot deadlock.
 */
async function ensureAccounts(client: pg.ClientBase, addresses: readonly string[]): Promise<void> {
  let missing = addresses;
  for (let attempt = 0; attempt < MAX_INBOX_LOOKUPS && missing.length > 0; attempt++) {
    const result = await client.query<{ address: string }>(
      `WITH inserted AS (
         INSERT INTO accounts (address) SELECT a FROM unnest($1::text[]) AS a ORDER BY a
         ON CONFLICT (address) DO NOTHING RETURNING address
       ), held AS (
         SELECT address FROM accounts WHERE address = ANY($1::text[]) ORDER BY address FOR KEY SHARE
       )
       SELECT address FROM inserted UNION ALL SELECT address FROM held`,
      [missing],
    );
    // An account committed by another transaction after this statement's snapshot was skipped by
    // ON CONFLICT yet is invisible to `held`, and one pruned meanwhile is gone: look again.
    const present = new Set(result.rows.map((r) => r.address));
    missing = missing.filter((a) => !present.has(a));
  }
  if (missing.length > 0) throw new Error(`account ${missing[0]} could not be created`);
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Multi-row INSERT with the raw bytes as binary parameters (no hex text in between). */
async function insertMessages(client: pg.ClientBase, messages: readonly ReceivedMessage[], recipients: readonly string[][]): Promise<string[]> {
  const values: unknown[] = [];
  const rows = messages.map((m, i) => {
    values.push(
      m.raw, m.raw.length, m.sha256, m.receivedAt, text(m.mailFrom), m.rcptTo.map(text),
      m.authUser === null ? null : text(m.authUser), m.clientAddress, m.heloName === null ? null : text(m.heloName), m.tls,
      m.run === null ? null : text(m.run), recipients[i],
    );
    const p = i * MESSAGE_COLUMNS;
    return `($${p + 1}::bytea, $${p + 2}::int, $${p + 3}, $${p + 4}::timestamptz, $${p + 5}, $${p + 6}::text[], $${p + 7}, $${p + 8}, $${p + 9}, $${p + 10}::boolean, $${p + 11}, '{}'::text[], $${p + 12}::text[])`;
  });
  const result = await client.query<{ id: string }>(
    `INSERT INTO messages (raw, size, sha256, "receivedAt", "mailFrom", "rcptTo", "authUser", "clientAddress", "heloName", tls, run, "references", recipients)
     VALUES ${rows.join(', ')} RETURNING id`,
    values,
  );
  // Ids come from the sequence in the order the rows were inserted, which is VALUES order; sort
  // rather than trust RETURNING's order.
  return result.rows.map((r) => r.id).sort(compareIds);
}

interface Inbox {
  mailboxId: string;
  /** Created by this transaction, already holding its final counters for this batch. */
  fresh: boolean;
}

/** How often the account/INBOX lookup is repeated for rows another transaction committed meanwhile. */
const MAX_INBOX_LOOKUPS = 3;

/**
 * address -> its INBOX, creating missing accounts and INBOXes in one statement (sorted, so two
 * batches creating the same addresses cannot deadlock). A new INBOX gets a fresh UIDVALIDITY and
 * is created with uidNext/highestModseq already advanced by `count` (its entries in this batch),
 * saving the UPDATE. Only INBOX is created at delivery; IMAP creates the other default folders
 * when the account logs in.
 */
async function ensureInboxes(client: pg.ClientBase, countPerAddress: ReadonlyMap<string, number>): Promise<Map<string, Inbox>> {
  const inboxes = new Map<string, Inbox>();
  let missing = [...countPerAddress.keys()].sort();
  for (let attempt = 0; attempt < MAX_INBOX_LOOKUPS && missing.length > 0; attempt++) {
    const result = await client.query<{ address: string; mailbox_id: string | null; fresh: boolean }>(
      `WITH wanted AS (
         SELECT * FROM unnest($1::text[], $2::int[]) AS w(address, k)
       ), new_accounts AS (
         INSERT INTO accounts (address) SELECT address FROM wanted ORDER BY address
         ON CONFLICT (address) DO NOTHING RETURNING id, address
       ), account AS (
         SELECT id, address FROM new_accounts
         UNION ALL
         SELECT a.id, a.address FROM accounts a JOIN wanted w ON w.address = a.address
       ), new_inboxes AS (
         INSERT INTO mailboxes ("accountId", name, "uidValidity", "uidNext", "highestModseq")
         SELECT a.id, $3, nextval('uid_validity_seq'), w.k + 1, w.k + 1
           FROM account a JOIN wanted w ON w.address = a.address
          WHERE NOT EXISTS (SELECT 1 FROM mailboxes m WHERE m."accountId" = a.id AND m.name = $3)
          ORDER BY a.id
         ON CONFLICT ("accountId", name) DO NOTHING RETURNING id, "accountId"
       )
       SELECT a.address, coalesce(n.id, m.id) AS mailbox_id, n.id IS NOT NULL AS fresh
         FROM account a
         LEFT JOIN new_inboxes n ON n."accountId" = a.id
         LEFT JOIN mailboxes m ON m."accountId" = a.id AND m.name = $3`,
      [missing, missing.map((a) => countPerAddress.get(a)!), INBOX],
    );
    for (const row of result.rows) {
      if (row.mailbox_id !== null) inboxes.set(row.address, { mailboxId: row.mailbox_id, fresh: row.fresh });
    }
    // Rows another transaction committed after this statement's snapshot were skipped by ON
    // CONFLICT yet are invisible above: the next statement (a new snapshot) sees them.
    missing = missing.filter((a) => !inboxes.has(a));
  }
  if (missing.length > 0) throw new Error(`INBOX for ${missing[0]} could not be created`);
  return inboxes;
}
