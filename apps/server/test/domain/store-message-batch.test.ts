// The ingest write on a real database: batches of every size go in through binary COPY, every row
// in submission order with every column as given, and a refused row stores nothing of its batch.
import { expect, it } from 'vitest';
import { storeMessageBatch, type ReceivedMessage, type StoredMessage } from '../../src/domain/messages/store-message-batch.ts';
import { useTestDatabasePool } from '../helpers/database.ts';

const db = useTestDatabasePool(1);

let sent = 0;
function received(raw: Buffer, extra: Partial<ReceivedMessage> = {}): ReceivedMessage {
  sent += 1;
  return {
    raw, receivedAt: new Date(Date.UTC(2026, 11, 6, 9, 0, 0, sent)),
    mailFrom: `sender${sent}@example.test`, rcptTo: [`rcpt${sent}@Example.TEST`, `bcc${sent}@example.test`],
    authUser: null, clientAddress: '127.0.0.1', heloName: 'client.test', tls: false, run: null, ...extra,
  };
}
const message = (n: number) => received(Buffer.from(`Subject: batch ${n}\r\n\r\nbody ${n}\r\n`));

it('stores exactly the messages of batches of 1 to 9 and 200 rows, numbered in order, every column as given', async () => {
  const client = await db.pool.connect();
  try {
    const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 200, 3];
    const batches = sizes.map((size) => Array.from({ length: size }, (_, i) => message(i)));
    // Every byte value in the raw, a UTF-8 envelope (SMTPUTF8), NUL characters (text refuses them),
    // and each optional column both set and empty.
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    batches[2]![1] = received(everyByte, {
      mailFrom: 'jos\u00e9@exempl\u00e9.test', rcptTo: ['\u7528\u6237@\u4F8B\u5B50.TEST', 'a\u0000b@example.test'], authUser: 'us\u0000er',
      clientAddress: null, heloName: null, tls: true, run: 'run-\u00e9',
    });
    const all = batches.flat();
    const stored: StoredMessage[] = [];
    for (const batch of batches) stored.push(...(await storeMessageBatch(client, batch, 'catchall')));
    expect(stored).toHaveLength(all.length);
    // Consecutive delivery numbers in submission order, each answer naming its own message.
    expect(stored.map((s) => Number(s.deliverySeq))).toEqual(all.map((_, i) => i + 1));
    expect(new Set(stored.map((s) => s.id)).size).toBe(all.length);
    const rows = await client.query<{
      id: string; raw: Buffer; size: number; sha256: string | null; mailFrom: string; rcptTo: string[]; recipients: string[]; receivedAt: Date;
      authUser: string | null; clientAddress: string | null; heloName: string | null; tls: boolean; run: string | null;
      references: string[]; parseState: string;
    }>('SELECT id, raw, size, sha256, "mailFrom", "rcptTo", recipients, "receivedAt", "authUser", "clientAddress", "heloName", tls, run, "references", "parseState"::text FROM messages ORDER BY "deliverySeq"');
    expect(rows.rows).toHaveLength(all.length);
    rows.rows.forEach((row, i) => {
      const sent = all[i]!;
      const clean = (v: string) => v.replaceAll('\u0000', '');
      expect(row.id).toBe(stored[i]!.id);
      expect(row.raw.equals(sent.raw)).toBe(true);
      expect(row.size).toBe(sent.raw.length);
      expect(row.sha256).toBeNull(); // the parser's to write
      expect(row.mailFrom).toBe(clean(sent.mailFrom));
      expect(row.rcptTo).toEqual(sent.rcptTo.map(clean));
      expect(row.recipients).toEqual(sent.rcptTo.map((a) => { const at = a.lastIndexOf('@'); return clean(a.slice(0, at + 1) + a.slice(at + 1).toLowerCase()); }));
      expect(row.receivedAt.getTime()).toBe(sent.receivedAt.getTime());
      expect(row.authUser).toBe(sent.authUser === null ? null : clean(sent.authUser));
      expect(row.clientAddress).toBe(sent.clientAddress);
      expect(row.heloName).toBe(sent.heloName);
      expect(row.tls).toBe(sent.tls);
      expect(row.run).toBe(sent.run);
      expect(row.references).toEqual([]);
      expect(row.parseState).toBe('pending');
    });
    const special = 1 + 2 + 1; // batches[2][1]
    expect(rows.rows[special]!.rcptTo).toEqual(['\u7528\u6237@\u4F8B\u5B50.TEST', 'ab@example.test']);
    expect(rows.rows[special]!.recipients).toEqual(['\u7528\u6237@\u4F8B\u5B50.test', 'ab@example.test']);
  } finally {
    client.release();
  }
});

it('fails a whole batch when one message is refused, storing none of it', async () => {
  const client = await db.pool.connect();
  try {
    const before = await client.query<{ n: number; last: number }>('SELECT count(*)::int AS n, coalesce(max("deliverySeq"), 0)::int AS last FROM messages');
    // A row PostgreSQL refuses (a constraint of this test's database) in the middle of a batch of 5.
    await client.query(`ALTER TABLE messages ADD CONSTRAINT refuse_test CHECK ("mailFrom" <> 'refused@example.test')`);
    const batch = [message(1), message(2), received(Buffer.from('x\r\n'), { mailFrom: 'refused@example.test' }), message(4), message(5)];
    await expect(storeMessageBatch(client, batch, 'catchall')).rejects.toMatchObject({ code: '23514' });
    const after = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    // The connection is usable again, and the delivery numbers of the failed batch were rolled back.
    const stored = await storeMessageBatch(client, [message(6), message(7), message(8), message(9), message(10)], 'catchall');
    expect(stored).toHaveLength(5);
    expect(stored.map((s) => Number(s.deliverySeq))).toEqual([1, 2, 3, 4, 5].map((k) => before.rows[0]!.last + k));
  } finally {
    client.release();
  }
});
