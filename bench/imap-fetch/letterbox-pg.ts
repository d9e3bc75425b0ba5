/**
 * The Letterbox side of the benchmark: a full Letterbox node (IMAP served from Postgres, SMTP,
 * embedded PostgreSQL under <work>/letterbox-pg-maildir-<count>) run as its own process, so its RSS is its own.
 * On first start the generated Maildir is bulk-loaded into the INBOX of `bench@bench.test` (one
 * multi-row INSERT per batch, UIDs 1..N, as ingest would number them); later starts reuse it.
 * Prints READY when listening.
 *
 *   node --import tsx bench/imap-fetch/letterbox-pg.ts <maildir> <work> <imap-port> <smtp-port>
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defaultConfig } from '../../apps/server/src/config.ts';
import { startLetterbox } from '../../apps/server/src/letterbox.ts';
import { openAccount } from '../../apps/server/src/imap/account-folders.ts';

export const BENCH_USER = 'bench@bench.test';
/** Rows per INSERT while loading: large enough to amortise round trips, small enough for memory. */
const LOAD_BATCH = 1_000;
/** Same INTERNALDATE as the memory server gives every message. */
const RECEIVED = new Date(Date.UTC(2025, 5, 2, 10, 0, 5));

const [maildir, work, imapPort, smtpPort] = process.argv.slice(2);
if (!maildir || !work || !imapPort || !smtpPort) throw new Error('usage: letterbox-pg.ts <maildir> <work> <imap-port> <smtp-port>');

const node = await startLetterbox({
  ...defaultConfig(),
  host: '127.0.0.1',
  // One database per generated mailbox (maildir-<count>).
  dataDir: join(work, `letterbox-pg-${basename(maildir)}`),
  imapPort: Number(imapPort),
  imapsPort: 0,
  httpPort: 0,
  smtpPort: Number(smtpPort),
  logLevel: 'warn',
});
const pool = node.database.pool;

const { files } = JSON.parse(readFileSync(join(maildir, 'generated.json'), 'utf8')) as { files: string[] };
const accountId = await openAccount(pool, BENCH_USER);
const inbox = await pool.query<{ id: string; uid_next: number }>(
  `SELECT id, "uidNext" AS uid_next FROM mailboxes WHERE "accountId" = $1 AND name = 'INBOX'`,
  [accountId],
);
const { id: inboxId, uid_next: uidNext } = inbox.rows[0]!;
if (uidNext === 1) {
  const t0 = Date.now();
  // One transaction: an interrupted load leaves an empty INBOX, loaded again next time.
  const client = await pool.connect();
  await client.query('BEGIN');
  for (let start = 0; start < files.length; start += LOAD_BATCH) {
    const raws = files.slice(start, start + LOAD_BATCH).map((f) => readFileSync(join(maildir, 'cur', f)));
    // Marked parsed-failed so the background parser leaves them alone during the benchmark.
    await client.query(
      `WITH loaded AS (
         INSERT INTO messages (raw, size, sha256, "receivedAt", "mailFrom", "rcptTo", "references", "parseState", "parseError")
         SELECT t.raw, length(t.raw), t.sha256, $2, 'bench@bench.test', ARRAY[$5], '{}', 'failed', 'bulk-loaded by bench/imap-fetch, not parsed'
           FROM unnest($1::bytea[], $6::text[]) WITH ORDINALITY AS t(raw, sha256, position)
          ORDER BY t.position
         RETURNING id
       )
       INSERT INTO mailbox_messages ("mailboxId", uid, "messageId", modseq, flags, recent, "internalDate")
       SELECT $3, $4::int + row_number() OVER (ORDER BY id)::int - 1, id, $4::bigint + row_number() OVER (ORDER BY id), '{}', false, $2 FROM loaded`,
      [raws, RECEIVED, inboxId, start + 1, BENCH_USER, raws.map((r) => createHash('sha256').update(r).digest('hex'))],
    );
  }
  await client.query(`UPDATE mailboxes SET "uidNext" = $2::int, "highestModseq" = $2::bigint WHERE id = $1`, [inboxId, files.length + 1]);
  await client.query('COMMIT');
  client.release();
  await pool.query('ANALYZE messages; ANALYZE mailbox_messages');
  process.stderr.write(`letterbox-pg: loaded ${files.length} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
globalThis.gc?.();
process.stdout.write(`READY ${node.imapPort} ${node.smtpPort}\n`);
const stop = (): void => void node.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
