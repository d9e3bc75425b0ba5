// APPEND: a new message row plus one entry whose UID is allocated under the mailbox row lock,
// exactly as ingest allocates them (IMAP.md M20, M46).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ImapError, type AppendData, type AppendRequest } from '@letterbox/imap-core';
import { normalizeLineEndings } from '@letterbox/imap-core/mime';
import { findFolder } from './account-folders.ts';
import { allocateUids, lockMailboxes, notifyMailboxesChanged } from './mailbox-lock.ts';
import { RECENT } from './system-flags.ts';
import { inTransaction } from './transaction.ts';

export async function appendMessage(pool: pg.Pool, accountId: string, name: string, request: AppendRequest): Promise<AppendData> {
  const raw = normalizeLineEndings(request.raw);
  const internalDate = request.internalDate ?? new Date();
  const flags = [...new Set(request.flags.filter((f) => f !== RECENT))];
  return inTransaction(pool, async (tx) => {
    const folder = await findFolder(tx.client, accountId, name);
    if (!folder) throw ImapError.tryCreate();
    // The message row first: the mailbox lock is held only for the UID allocation and entry.
    const inserted = await tx.client.query<{ id: string }>(
      `INSERT INTO messages (raw, size, sha256, "receivedAt", "mailFrom", "rcptTo", "references")
       VALUES ($1::bytea, $2, $3, $4, '', '{}', '{}') RETURNING id`,
      [raw, raw.length, createHash('sha256').update(raw).digest('hex'), internalDate],
    );
    const mailbox = (await lockMailboxes(tx, [folder.id])).get(folder.id);
    if (!mailbox) throw ImapError.tryCreate();
    const { firstUid, firstModseq } = await allocateUids(tx, mailbox, 1);
    await tx.client.query(
      `INSERT INTO mailbox_messages ("mailboxId", uid, "messageId", modseq, flags, recent, "internalDate")
       VALUES ($1, $2, $3, $4, $5::text[], true, $6)`,
      [mailbox.id, firstUid, inserted.rows[0]!.id, firstModseq.toString(), flags, internalDate],
    );
    notifyMailboxesChanged(tx, [mailbox]);
    return { uidValidity: mailbox.uidValidity, uid: firstUid };
  });
}
