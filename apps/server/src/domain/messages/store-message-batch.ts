// One transaction storing a batch of received messages: the message rows (raw bytes, envelope,
// recipients as account addresses) numbered in delivery order. `deliverySeq` comes from the one
// delivery_counter row, whose lock is held to COMMIT, so numbers become visible in commit order
// and every snapshot sees a prefix of them (IMAP.md M20: commit order = UID order). No mailbox,
// account or mailbox entry is written here: every INBOX, the catch-all's too, is filled in that
// order when it is read or in the background (imap/deliver-to-inbox.ts), and recipients' accounts
// are created by the catch-all's filling. A NOTIFY inside the transaction is delivered at COMMIT;
// it names the recipients (and the catch-all), so IMAP sessions on any node look.
//
// Raw SQL through pg on purpose: Prisma has no COPY and no way to put NOTIFY and COMMIT in one
// round trip. This is the hot path: three round trips per batch, whatever the batch size (BEGIN
// with the numbers, COPY, NOTIFY with COMMIT).
import type pg from 'pg';
import { notifyStatements } from '../events/letterbox-events.ts';
import { accountAddress } from './account-address.ts';
import { intLiteral } from '../../db/binary-copy.ts';
import { BinaryRowsWriter, copyIn, measure } from '../../db/binary-copy-in.ts';

export interface ReceivedMessage {
  /** The stored octets: dot-unstuffed, line endings normalised to CRLF. */
  raw: Buffer;
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

/** Text columns refuse NUL; an envelope address with one is stored without it. */
function text(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

export async function storeMessageBatch(
  client: pg.ClientBase,
  messages: readonly ReceivedMessage[],
  catchAllAddress: string,
): Promise<StoredMessage[]> {
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
  const stored = await copyMessages(client, messages, recipients);
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
 * The rows go in through binary COPY: no per-value text conversion on either side, and PostgreSQL
 * inserts them a heap page at a time. COPY returns nothing, so the ids and the delivery numbers
 * are taken first, in the statement that opens the transaction.
 */
const COPY_MESSAGES = `COPY messages (id, raw, size, "receivedAt", "mailFrom", "rcptTo", "authUser", "clientAddress", "heloName", tls, run, recipients, "deliverySeq", "references")
  FROM STDIN (FORMAT binary)`;
const COPY_FIELDS = 14;

/**
 * BEGIN, then `count` delivery numbers from the counter (its row lock is held to COMMIT) and
 * `count` ids from the messages' sequence. One simple-protocol round trip; `count` is an integer.
 * The counter row is created on first use (a test database emptied with TRUNCATE has none); an
 * upsert that finds it locks it like an UPDATE.
 */
function reserveStatement(count: number): string {
  const n = intLiteral(count);
  return `BEGIN;
    WITH counter AS (
      INSERT INTO delivery_counter (id, last) VALUES (1, ${n})
      ON CONFLICT (id) DO UPDATE SET last = delivery_counter.last + ${n}
      RETURNING last - ${n} AS first
    )
    SELECT first::text, (SELECT string_agg(nextval('messages_id_seq')::text, ',') FROM generate_series(1, ${n})) AS ids FROM counter`;
}

async function copyMessages(client: pg.ClientBase, messages: readonly ReceivedMessage[], recipients: readonly string[][]): Promise<StoredMessage[]> {
  const results = (await client.query(reserveStatement(messages.length))) as unknown as pg.QueryResult<{ first: string; ids: string }>[];
  const reserved = results[1]!.rows[0]!;
  const ids = reserved.ids.split(',');
  const first = BigInt(reserved.first);
  if (ids.length !== messages.length) throw new Error(`reserved ${ids.length} ids for ${messages.length} messages`);

  const rows = messages.map((m, i) => ({
    mailFrom: text(m.mailFrom), rcptTo: m.rcptTo.map(text), authUser: m.authUser === null ? null : text(m.authUser),
    heloName: m.heloName === null ? null : text(m.heloName), run: m.run === null ? null : text(m.run),
    message: m, recipients: recipients[i]!,
  }));
  let bytes = 0;
  for (const r of rows) {
    bytes += measure.int8 + measure.bytea(r.message.raw) + measure.int4 + measure.timestamptz +
      measure.text(r.mailFrom) + measure.textArray(r.rcptTo) + measure.text(r.authUser) + measure.text(r.message.clientAddress) +
      measure.text(r.heloName) + measure.bool + measure.text(r.run) + measure.textArray(r.recipients) + measure.int8 + measure.textArray([]);
  }
  const writer = new BinaryRowsWriter(rows.length, bytes);
  const stored: StoredMessage[] = new Array(rows.length);
  rows.forEach((r, i) => {
    const deliverySeq = first + BigInt(i + 1);
    writer.row(COPY_FIELDS).int8(BigInt(ids[i]!)).bytea(r.message.raw).int4(r.message.raw.length)
      .timestamptz(r.message.receivedAt).text(r.mailFrom).textArray(r.rcptTo).text(r.authUser).text(r.message.clientAddress)
      .text(r.heloName).bool(r.message.tls).text(r.run).textArray(r.recipients).int8(deliverySeq).textArray([]);
    stored[i] = { id: ids[i]!, deliverySeq: deliverySeq.toString() };
  });
  const copied = await copyIn(client, COPY_MESSAGES, writer.finish());
  if (copied !== messages.length) throw new Error(`stored ${copied} of ${messages.length} messages`);
  return stored;
}
