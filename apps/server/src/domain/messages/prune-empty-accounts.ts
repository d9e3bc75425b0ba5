// Retention's last step: recipient accounts whose mail is all gone (purged) are removed, so a load
// test spraying unlimited never-seen addresses leaves a bounded store once their mail is gone.
// Only the recipients of the messages a purge batch just deleted are looked at: scanning all
// accounts for empty ones probed every live account's messages again on every sweep.
// The catch-all INBOX's background filling creates an account per recipient (for the API's inbox
// listing); an INBOX exists only where something materialised it (imap/deliver-to-inbox.ts).
//
// Only accounts nobody ever logged in to over IMAP (`imapFoldersCreatedAt IS NULL`): no client
// holds their UIDVALIDITY, folders or subscriptions, so removing them is invisible. Never the
// catch-all account (its INBOX has isCatchAll). A later delivery to the address creates the
// account again. The final DELETE re-checks emptiness with a fresh snapshot: a message committed
// meanwhile keeps its account, and one committed after it gets its account back from the
// catch-all's filling, which creates accounts for every message it receives.
import type pg from 'pg';

/** Accounts per transaction: a short transaction next to concurrent ingest. */
const ACCOUNT_BATCH = 500;

/** Removes those of `addresses` whose accounts are empty (see above); returns how many went. */
export async function pruneEmptyAccounts(pool: pg.Pool, addresses: readonly string[], stopping: () => boolean = () => false): Promise<number> {
  const unique = [...new Set(addresses)].sort();
  if (unique.length === 0) return 0;
  await mergeRecipientsPendingList(pool);
  let total = 0;
  for (let i = 0; i < unique.length && !stopping(); i += ACCOUNT_BATCH) {
    total += await pruneBatch(pool, unique.slice(i, i + ACCOUNT_BATCH));
  }
  return total;
}

/**
 * The GIN index on messages.recipients takes ingest's new entries into an unsorted pending list,
 * which every search reads in full for each of its keys: with ingest at full speed (a list of
 * ~30,000 entries) looking up 500 addresses took ~0.9 s, after this merge ~10 ms. The merge
 * itself (~0.15 s for a full list) is work due anyway: otherwise an ingest transaction does it
 * when the list is full, or autovacuum. Needs MAINTAIN on the table (its owner has it); without
 * it the search is only slower.
 */
async function mergeRecipientsPendingList(pool: pg.Pool): Promise<void> {
  try {
    await pool.query(`SELECT gin_clean_pending_list('messages_recipients_idx'::regclass)`);
  } catch (error) {
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
  }
}
const INSUFFICIENT_PRIVILEGE = '42501';

/** Empty: no mailbox entry (live or tombstone), no message naming it, no mailbox but a recipient's lazily filled INBOX. */
const EMPTY = `NOT EXISTS (SELECT 1 FROM mailboxes m JOIN mailbox_messages e ON e."mailboxId" = m.id WHERE m."accountId" = a.id)
  AND NOT EXISTS (SELECT 1 FROM messages msg WHERE msg.recipients @> ARRAY[a.address])
  AND NOT EXISTS (SELECT 1 FROM mailboxes m WHERE m."accountId" = a.id AND (m.name <> 'INBOX' OR m."isCatchAll"))`;

/**
 * One transaction: pick empty accounts (locked), lock their mailboxes in id order like ingest
 * does (so a delivery that already holds one finishes first), then delete those still empty: a
 * delivery committed meanwhile is seen by this last statement and keeps its account.
 */
async function pruneBatch(pool: pg.Pool, addresses: readonly string[]): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const picked = await client.query<{ id: string }>(
      `SELECT a.id FROM accounts a
        WHERE a.address = ANY($2::text[]) AND a."imapFoldersCreatedAt" IS NULL AND ${EMPTY}
        ORDER BY a.id LIMIT $1 FOR UPDATE OF a SKIP LOCKED`,
      [ACCOUNT_BATCH, addresses],
    );
    const ids = picked.rows.map((r) => r.id);
    let removed = 0;
    if (ids.length > 0) {
      await client.query('SELECT id FROM mailboxes WHERE "accountId" = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
      const deleted = await client.query(`DELETE FROM accounts a WHERE a.id = ANY($1::bigint[]) AND ${EMPTY}`, [ids]);
      removed = deleted.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return removed;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
