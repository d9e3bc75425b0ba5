// Deleting messages through the API: they vanish from the API at once and are expunged from
// every IMAP mailbox in the same transaction (the retention code path: tombstones, HIGHESTMODSEQ
// bump, `messages.expunged` NOTIFY), then purged for good later (purge-deleted-messages.ts).
import type { MessageFilter } from '@letterbox/contracts';
import { asRegexError } from '../app-error.ts';
import { ensureParsedForFilter, type ParseDeps } from './ensure-parsed.ts';
import { filterConditions, SqlParams } from './message-filter-sql.ts';
import { expungeMessages } from './prune-retention.ts';

/** Messages per transaction: bounds how long mailbox row locks are held next to ingest. */
export const DELETE_BATCH = 500;

export async function deleteMessagesByIds(deps: ParseDeps, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const client = await deps.pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    const notify = await expungeMessages(client, ids);
    await client.query(`${notify} COMMIT`);
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release(failed);
  }
}

/** Deletes every message matching the filter (all messages for an empty filter); returns how many. */
export async function deleteMessagesByFilter(deps: ParseDeps, filter: MessageFilter): Promise<number> {
  await ensureParsedForFilter(deps, filter);
  let deleted = 0;
  // Keyset over ids: each batch starts after the last one instead of skipping what it deleted.
  let after = '0';
  for (;;) {
    const params = new SqlParams();
    const where = filterConditions(filter, params);
    where.push(`m.id > ${params.add(after)}::bigint`);
    let ids: string[];
    try {
      const batch = await deps.pool.query<{ id: string }>(
        `SELECT m.id FROM messages m WHERE ${where.join(' AND ')} ORDER BY m.id LIMIT ${params.add(DELETE_BATCH)}`,
        params.values,
      );
      ids = batch.rows.map((r) => r.id);
    } catch (error) {
      throw asRegexError(error, filter.subjectRegex);
    }
    await deleteMessagesByIds(deps, ids);
    deleted += ids.length;
    after = ids[ids.length - 1] ?? after;
    if (ids.length < DELETE_BATCH) return deleted;
  }
}
