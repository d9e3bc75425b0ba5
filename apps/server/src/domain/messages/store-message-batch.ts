// One transaction storing a batch of received messages, their recipients' accounts and INBOXes,
// and one mailbox entry per (message, target mailbox) with UIDs and modseqs allocated under the
// mailbox row locks (IMAP.md M20: commit order = UID order, per mailbox). A NOTIFY inside the
// transaction is delivered at COMMIT.
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
const MESSAGE_COLUMNS = 11;

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
  const messageIds = await insertMessages(client, messages);

  // Targets per message: each recipient's INBOX and the catch-all INBOX, each once.
  const addressesPerMessage = messages.map((m) => [...new Set([...m.rcptTo.map((a) => accountAddress(text(a))), catchAllAddress])]);
  const allAddresses = [...new Set(addressesPerMessage.flat())].sort();
  const accountIds = await ensureAccounts(client, allAddresses);
  const inboxIds = await ensureInboxes(client, [...new Set(accountIds.values())]);
  const targetsPerMessage = addressesPerMessage.map((addresses) => [
    ...new Set(addresses.map((address) => inboxIds.get(accountIds.get(address)!)!)),
  ]);

  // Position of each entry among its mailbox's new entries, in message order.
  const counts = new Map<string, number>();
  const entryMailbox: string[] = [];
  const entryMessage: string[] = [];
  const entryMessageIndex: number[] = [];
  const entryPosition: number[] = [];
  const entryDate: Date[] = [];
  targetsPerMessage.forEach((targets, i) => {
    for (const mailboxId of targets) {
      const position = counts.get(mailboxId) ?? 0;
      counts.set(mailboxId, position + 1);
      entryMailbox.push(mailboxId);
      entryMessage.push(messageIds[i]!);
      entryMessageIndex.push(i);
      entryPosition.push(position);
      entryDate.push(messages[i]!.receivedAt);
    }
  });
  const mailboxIds = [...counts.keys()].sort(compareIds);

  // Lock every target mailbox in id order: any two transactions (on any node) that lock the same
  // mailboxes take the locks in the same order and cannot deadlock. Ordering inside one UPDATE
  // is not guaranteed (the plan decides), hence this separate statement.
  await client.query('SELECT id FROM mailboxes WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE', [mailboxIds]);
  const advanced = await client.query<{ id: string; first_uid: number; uid_next: number; highest_modseq: string }>(
    `WITH counts AS (
       SELECT * FROM unnest($1::bigint[], $2::int[]) AS c(mailbox_id, k)
     ), advanced AS (
       UPDATE mailboxes m
          SET "uidNext" = m."uidNext" + c.k, "highestModseq" = m."highestModseq" + c.k
         FROM counts c
        WHERE m.id = c.mailbox_id
       RETURNING m.id, m."uidNext" - c.k AS first_uid, m."highestModseq" - c.k AS first_modseq,
                 m."uidNext" AS uid_next, m."highestModseq" AS highest_modseq
     ), inserted AS (
       INSERT INTO mailbox_messages ("mailboxId", uid, "messageId", modseq, flags, recent, "internalDate")
       SELECT e.mailbox_id, a.first_uid + e.position, e.message_id, a.first_modseq + e.position + 1, '{}', true, e.internal_date
         FROM unnest($3::bigint[], $4::bigint[], $5::int[], $6::timestamptz[]) AS e(mailbox_id, message_id, position, internal_date)
         JOIN advanced a ON a.id = e.mailbox_id
       RETURNING 1
     )
     SELECT id, first_uid, uid_next, highest_modseq, (SELECT count(*) FROM inserted)::int AS inserted
       FROM advanced`,
    [mailboxIds, mailboxIds.map((id) => counts.get(id)!), entryMailbox, entryMessage, entryPosition, entryDate],
  );
  if (advanced.rows.length !== mailboxIds.length) {
    throw new Error(`mailbox vanished during delivery (${advanced.rows.length} of ${mailboxIds.length} locked)`);
  }
  const firstUid = new Map(advanced.rows.map((r) => [r.id, r.first_uid]));

  const stored: StoredMessage[] = messageIds.map((id) => ({ id, deliveries: [] }));
  entryMailbox.forEach((mailboxId, e) => {
    stored[entryMessageIndex[e]!]!.deliveries.push({ mailboxId, uid: firstUid.get(mailboxId)! + entryPosition[e]! });
  });

  const mailboxes: MailboxChange[] = advanced.rows.map((r) => ({ id: r.id, uidNext: r.uid_next, highestModseq: r.highest_modseq }));
  const notify = notifyStatements({ type: 'messages.created', messageIds, mailboxes }, (v) => client.escapeLiteral(v));
  await client.query(`${notify} COMMIT`);
  return stored;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Multi-row INSERT with the raw bytes as binary parameters (no hex text in between). */
async function insertMessages(client: pg.ClientBase, messages: readonly ReceivedMessage[]): Promise<string[]> {
  const values: unknown[] = [];
  const rows = messages.map((m, i) => {
    values.push(
      m.raw, m.raw.length, m.sha256, m.receivedAt, text(m.mailFrom), m.rcptTo.map(text),
      m.authUser === null ? null : text(m.authUser), m.clientAddress, m.heloName === null ? null : text(m.heloName), m.tls,
      m.run === null ? null : text(m.run),
    );
    const p = i * MESSAGE_COLUMNS;
    return `($${p + 1}::bytea, $${p + 2}::int, $${p + 3}, $${p + 4}::timestamptz, $${p + 5}, $${p + 6}::text[], $${p + 7}, $${p + 8}, $${p + 9}, $${p + 10}::boolean, $${p + 11}, '{}'::text[])`;
  });
  const result = await client.query<{ id: string }>(
    `INSERT INTO messages (raw, size, sha256, "receivedAt", "mailFrom", "rcptTo", "authUser", "clientAddress", "heloName", tls, run, "references")
     VALUES ${rows.join(', ')} RETURNING id`,
    values,
  );
  // Ids come from the sequence in the order the rows were inserted, which is VALUES order; sort
  // rather than trust RETURNING's order.
  return result.rows.map((r) => r.id).sort(compareIds);
}

/** address -> account id, creating missing accounts (in sorted order: no deadlock between batches). */
async function ensureAccounts(client: pg.ClientBase, addresses: readonly string[]): Promise<Map<string, string>> {
  const result = await client.query<{ id: string; address: string }>(
    `WITH wanted AS (SELECT unnest($1::text[]) AS address),
     inserted AS (
       INSERT INTO accounts (address) SELECT address FROM wanted ORDER BY address
       ON CONFLICT (address) DO NOTHING RETURNING id, address
     )
     SELECT id, address FROM inserted
     UNION ALL
     SELECT a.id, a.address FROM accounts a JOIN wanted w ON w.address = a.address`,
    [addresses],
  );
  const ids = new Map(result.rows.map((r) => [r.address, r.id]));
  // An account another transaction committed after this statement's snapshot was skipped by ON
  // CONFLICT but is invisible above; a new statement sees it.
  const missing = addresses.filter((a) => !ids.has(a));
  if (missing.length > 0) {
    const again = await client.query<{ id: string; address: string }>('SELECT id, address FROM accounts WHERE address = ANY($1::text[])', [missing]);
    for (const r of again.rows) ids.set(r.address, r.id);
  }
  for (const a of addresses) if (!ids.has(a)) throw new Error(`account ${a} could not be created`);
  return ids;
}

/**
 * account id -> INBOX mailbox id, creating missing INBOXes with a fresh UIDVALIDITY. Only INBOX
 * is created at delivery; IMAP creates the other default folders when the account logs in.
 */
async function ensureInboxes(client: pg.ClientBase, accountIds: readonly string[]): Promise<Map<string, string>> {
  const sorted = [...accountIds].sort(compareIds);
  const result = await client.query<{ id: string; account_id: string }>(
    `WITH wanted AS (SELECT unnest($1::bigint[]) AS account_id),
     inserted AS (
       INSERT INTO mailboxes ("accountId", name, "uidValidity")
       SELECT w.account_id, $2, nextval('uid_validity_seq') FROM wanted w
        WHERE NOT EXISTS (SELECT 1 FROM mailboxes m WHERE m."accountId" = w.account_id AND m.name = $2)
        ORDER BY w.account_id
       ON CONFLICT ("accountId", name) DO NOTHING RETURNING id, "accountId" AS account_id
     )
     SELECT id, account_id FROM inserted
     UNION ALL
     SELECT m.id, m."accountId" FROM mailboxes m JOIN wanted w ON m."accountId" = w.account_id AND m.name = $2`,
    [sorted, INBOX],
  );
  const ids = new Map(result.rows.map((r) => [r.account_id, r.id]));
  const missing = sorted.filter((a) => !ids.has(a));
  if (missing.length > 0) {
    const again = await client.query<{ id: string; account_id: string }>(
      'SELECT id, "accountId" AS account_id FROM mailboxes WHERE "accountId" = ANY($1::bigint[]) AND name = $2',
      [missing, INBOX],
    );
    for (const r of again.rows) ids.set(r.account_id, r.id);
  }
  for (const a of sorted) if (!ids.has(a)) throw new Error(`INBOX of account ${a} could not be created`);
  return ids;
}
