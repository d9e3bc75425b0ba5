// Read state for the API and web UI (messages.readAt). IMAP \Seen is per mailbox and separate.
import type pg from 'pg';
import { AppError } from '../app-error.ts';
import { notifyStatements } from '../events/letterbox-events.ts';

export async function markRead(pool: pg.Pool, id: string, read: boolean): Promise<void> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    const updated = await client.query(
      `UPDATE messages SET "readAt" = CASE WHEN $2::boolean THEN coalesce("readAt", now()) ELSE NULL END
        WHERE id = $1::bigint AND "deletedAt" IS NULL`,
      [id, read],
    );
    if (updated.rowCount === 0) {
      await client.query('ROLLBACK');
      throw new AppError('message_not_found', `no message with id ${id}`);
    }
    const notify = notifyStatements({ type: 'messages.updated', messageIds: [id] }, (v) => client.escapeLiteral(v));
    await client.query(`${notify} COMMIT`);
  } catch (error) {
    if (!(error instanceof AppError)) {
      failed = true;
      await client.query('ROLLBACK').catch(() => {});
    }
    throw error;
  } finally {
    client.release(failed);
  }
}
