// Retention's last step: recipient accounts whose mail is all gone (purged) are removed, so a load
// test spraying unlimited never-seen addresses leaves a bounded store once their mail is gone.
// Ingest creates only the account row per recipient (for the API's inbox listing); an INBOX
// exists only where something materialised it (imap/deliver-to-inbox.ts).
//
// Only accounts nobody ever logged in to over IMAP (`imapFoldersCreatedAt IS NULL`): no client
// holds their UIDVALIDITY, folders or subscriptions, so removing them is invisible. Never the
// catch-all account: its INBOX is the one with deliveredThrough 0 and mail delivered at ingest
// (recipient INBOXes count their watermarks in its UIDs, so it must never start over). A later
// delivery to the address creates the account again. Ingest holds the accounts it delivers to
// FOR KEY SHARE until COMMIT, which this job's FOR UPDATE SKIP LOCKED steps around, and the final
// DELETE re-checks emptiness with a fresh snapshot: an acknowledged message never loses its
// account.
import type pg from 'pg';

/** Accounts per statement: a short transaction next to concurrent ingest. */
const ACCOUNT_BATCH = 500;
/** Batches per sweep, so one sweep ends while mail keeps arriving. */
const MAX_ACCOUNT_BATCHES = 200;

export async function pruneEmptyAccounts(pool: pg.Pool, stopping: () => boolean = () => false): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_ACCOUNT_BATCHES; i++) {
    const deleted = await pruneBatch(pool);
    total += deleted.removed;
    if (deleted.candidates < ACCOUNT_BATCH || stopping()) break;
  }
  return total;
}

const EMPTY = `NOT EXISTS (SELECT 1 FROM mailboxes m JOIN mailbox_messages e ON e."mailboxId" = m.id WHERE m."accountId" = a.id)
  AND NOT EXISTS (SELECT 1 FROM messages msg WHERE msg.recipients @> ARRAY[a.address])
  AND NOT EXISTS (SELECT 1 FROM mailboxes m WHERE m."accountId" = a.id AND (m.name <> 'INBOX' OR m."deliveredThrough" = 0 AND m."uidNext" > 1))`;

/**
 * One transaction: pick empty accounts (locked), lock their mailboxes in id order like ingest
 * does (so a delivery that already holds one finishes first), then delete those still empty: a
 * delivery committed meanwhile is seen by this last statement and keeps its account.
 */
async function pruneBatch(pool: pg.Pool): Promise<{ candidates: number; removed: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const picked = await client.query<{ id: string }>(
      `SELECT a.id FROM accounts a WHERE a."imapFoldersCreatedAt" IS NULL AND ${EMPTY}
        ORDER BY a.id LIMIT $1 FOR UPDATE OF a SKIP LOCKED`,
      [ACCOUNT_BATCH],
    );
    const ids = picked.rows.map((r) => r.id);
    let removed = 0;
    if (ids.length > 0) {
      await client.query('SELECT id FROM mailboxes WHERE "accountId" = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
      const deleted = await client.query(`DELETE FROM accounts a WHERE a.id = ANY($1::bigint[]) AND ${EMPTY}`, [ids]);
      removed = deleted.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return { candidates: ids.length, removed };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
