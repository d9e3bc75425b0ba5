// One transaction storing a batch of received messages: the message rows (raw bytes, envelope,
// recipients as account addresses) numbered in delivery order. `deliverySeq` comes from the one
// delivery_counter row, whose lock is held to COMMIT, so numbers become visible in commit order
// and every snapshot sees a prefix of them (IMAP.md M20: commit order = UID order). No mailbox,
// account or mailbox entry is written here: every INBOX, the catch-all's too, is filled in that
// order when it is read or in the background (imap/deliver-to-inbox.ts), and recipients' accounts
// are created by the catch-all's filling. A NOTIFY inside the transaction is delivered at COMMIT;
// it names the recipients (and the catch-all), so IMAP sessions on any node look.
//
// Raw SQL through pg on purpose: Prisma has no multi-row INSERT ... RETURNING and no way to put
// NOTIFY and COMMIT in one round trip. This is the hot path: three round trips per batch, whatever
// the batch size.
import type pg from 'pg';
import { notifyStatements } from '../events/letterbox-events.ts';
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

export interface StoredMessage {
  /** messages.id, int8 as a decimal string */
  id: string;
  /** messages.deliverySeq, int8 as a decimal string: the message's place in delivery order. */
  deliverySeq: string;
}

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
  const stored = await insertMessages(client, messages, recipients);
  const batchRecipients = [...new Set(recipients.flat())].filter((a) => a !== catchAllAddress).sort();
  const notify = notifyStatements(
    { type: 'messages.created', messageIds: stored.map((m) => m.id), mailboxes: [], recipients: [catchAllAddress, ...batchRecipients] },
    (v) => client.escapeLiteral(v),
  );
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
 * Batches are padded to the next power of two and each padded size has one named prepared
 * statement per connection: PostgreSQL parses and plans it once and then reuses a generic plan.
 * Parsing and planning a fresh multi-row INSERT per batch cost about a third of PostgreSQL's CPU
 * per stored message (perf, 2 KB messages). Padding rows are all NULL and filtered out; at most
 * half of a statement's rows are padding. A 256-row statement's plan takes about 2 MB of the
 * backend's memory, so ingest keeps to a pool of its own (letterbox.ts).
 */
function paddedBatchSize(count: number): number {
  let size = 1;
  while (size < count) size *= 2;
  return size;
}

const insertStatements = new Map<number, string>();

/**
 * Multi-row INSERT with the raw bytes as binary parameters (no hex text in between), numbered from
 * the delivery counter in the same statement. The counter row is created on first use (a test
 * database emptied with TRUNCATE has none); an upsert that finds it locks it like an UPDATE.
 * $1 is the number of real rows; VALUES rows past it are padding.
 */
function insertStatement(rows: number): string {
  let text = insertStatements.get(rows);
  if (text !== undefined) return text;
  const values: string[] = [];
  for (let i = 0; i < rows; i += 1) {
    const p = 1 + i * MESSAGE_COLUMNS;
    values.push(`($${p + 1}::bytea, $${p + 2}::int, $${p + 3}::text, $${p + 4}::timestamptz, $${p + 5}::text, $${p + 6}::text[], $${p + 7}::text, $${p + 8}::text, $${p + 9}::text, $${p + 10}::boolean, $${p + 11}::text, $${p + 12}::text[], ${i + 1})`);
  }
  text = `WITH counter AS (
       INSERT INTO delivery_counter (id, last) VALUES (1, $1::int)
       ON CONFLICT (id) DO UPDATE SET last = delivery_counter.last + $1::int
       RETURNING last - $1::int AS first
     )
     INSERT INTO messages (raw, size, sha256, "receivedAt", "mailFrom", "rcptTo", "authUser", "clientAddress", "heloName", tls, run, recipients, "deliverySeq", "references")
     SELECT v.raw, v.size, v.sha256, v.received_at, v.mail_from, v.rcpt_to, v.auth_user, v.client_address, v.helo_name, v.tls, v.run, v.recipients, c.first + v.n, '{}'::text[]
       FROM counter c CROSS JOIN (VALUES ${values.join(', ')})
            AS v(raw, size, sha256, received_at, mail_from, rcpt_to, auth_user, client_address, helo_name, tls, run, recipients, n)
      WHERE v.n <= $1::int
     RETURNING id, "deliverySeq"`;
  insertStatements.set(rows, text);
  return text;
}

async function insertMessages(client: pg.ClientBase, messages: readonly ReceivedMessage[], recipients: readonly string[][]): Promise<StoredMessage[]> {
  const rows = paddedBatchSize(messages.length);
  const values: unknown[] = [messages.length];
  messages.forEach((m, i) => values.push(
    m.raw, m.raw.length, m.sha256, m.receivedAt, text(m.mailFrom), m.rcptTo.map(text),
    m.authUser === null ? null : text(m.authUser), m.clientAddress, m.heloName === null ? null : text(m.heloName), m.tls,
    m.run === null ? null : text(m.run), recipients[i],
  ));
  const filled = values.length;
  values.length = 1 + rows * MESSAGE_COLUMNS;
  values.fill(null, filled);
  const result = await client.query<{ id: string; deliverySeq: string }>({ name: `store-messages-${rows}`, text: insertStatement(rows), values });
  if (result.rows.length !== messages.length) throw new Error(`stored ${result.rows.length} of ${messages.length} messages`);
  // RETURNING's order is not promised; the batch's numbers are consecutive, in VALUES order.
  const stored: StoredMessage[] = new Array(messages.length);
  const first = result.rows.reduce((min, r) => Math.min(min, Number(r.deliverySeq)), Infinity);
  for (const row of result.rows) stored[Number(row.deliverySeq) - first] = { id: row.id, deliverySeq: row.deliverySeq };
  return stored;
}
