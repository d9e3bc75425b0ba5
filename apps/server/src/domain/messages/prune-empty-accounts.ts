// Retention's last step: accounts that retention (or deletion) emptied completely are removed
// with their INBOX, so a load test spraying unlimited never-seen addresses leaves a bounded store
// once their mail is gone (otherwise ~290 bytes per address stay forever: bench/RESULTS.md).
//
// Only accounts nobody ever logged in to over IMAP (`imapFoldersCreatedAt IS NULL`): no client
// holds their UIDVALIDITY, folders or subscriptions, so removing them is invisible. A later
// delivery to the address creates the account again (a new INBOX with a new UIDVALIDITY). A
// delivery racing the removal finds its INBOX gone before it commits and is retried by the
// ingester (MAILBOX_VANISHED), so nothing acknowledged is ever affected.
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

const EMPTY = `NOT EXISTS (SELECT 1 FROM mailboxes m JOIN mailbox_messages e ON e."mailboxId" = m.id WHERE m."accountId" = a.id)`;

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
