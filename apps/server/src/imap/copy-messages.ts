// COPY and MOVE: new entries in the destination sharing the source's message rows (no content
// copied), UIDs allocated under the destination's row lock; MOVE also tombstones the source
// entries in the same transaction (atomic, RFC 6851). Flags and INTERNALDATE carry over; the
// copies are \Recent for whoever selects the destination first (IMAP.md M43, M44).
import type pg from 'pg';
import { ImapError, type CopyData, type UidSet } from '@letterbox/imap-core';
import { findFolder } from './account-folders.ts';
import { allocateUids, bumpModseq, lockMailboxes, notifyMailboxesChanged, type LockedMailbox } from './mailbox-lock.ts';
import { inTransaction } from './transaction.ts';
import { JOIN_UID_RANGES, uidRangeArrays } from './uid-ranges.ts';

export interface CopyRequest {
  accountId: string;
  sourceMailboxId: string;
  uids: UidSet;
  destination: string;
  /** MOVE: expunge the source entries in the same transaction. */
  move: boolean;
}

export async function copyMessages(pool: pg.Pool, request: CopyRequest): Promise<CopyData> {
  const { starts, ends } = uidRangeArrays(request.uids);
  return inTransaction(pool, async (tx) => {
    const folder = await findFolder(tx.client, request.accountId, request.destination);
    if (!folder) throw ImapError.tryCreate();
    if (request.move && folder.id === request.sourceMailboxId) throw ImapError.cannot('Source and destination are the same');
    // Both mailboxes locked in id order (MOVE writes both; COPY only needs the destination).
    const locked = await lockMailboxes(tx, request.move ? [request.sourceMailboxId, folder.id] : [folder.id]);
    const target = locked.get(folder.id);
    if (!target) throw ImapError.tryCreate();
    const sources = await tx.client.query<{ uid: number }>(
      `SELECT mm.uid FROM mailbox_messages mm ${JOIN_UID_RANGES('mm', '$2', '$3')}
        WHERE mm."mailboxId" = $1 AND mm."expungedModseq" IS NULL ORDER BY mm.uid`,
      [request.sourceMailboxId, starts, ends],
    );
    const sourceUids = sources.rows.map((r) => r.uid);
    const data: CopyData = { uidValidity: target.uidValidity, sourceUids, destUids: [] };
    if (sourceUids.length === 0) return data;
    const { firstUid, firstModseq } = await allocateUids(tx, target, sourceUids.length);
    data.destUids = sourceUids.map((_, i) => firstUid + i);
    await tx.client.query(
      `INSERT INTO mailbox_messages ("mailboxId", uid, "messageId", modseq, flags, recent, "internalDate")
       SELECT $1, $3 + s.position - 1, mm."messageId", $4::bigint + s.position - 1, coalesce(mm.flags, '{}'), true, mm."internalDate"
         FROM unnest($5::int[]) WITH ORDINALITY AS s(uid, position)
         JOIN mailbox_messages mm ON mm."mailboxId" = $2 AND mm.uid = s.uid`,
      [target.id, request.sourceMailboxId, firstUid, firstModseq.toString(), sourceUids],
    );
    const changed: LockedMailbox[] = [target];
    if (request.move) {
      const source = locked.get(request.sourceMailboxId)!;
      const modseq = await bumpModseq(tx, source);
      await tx.client.query(
        `UPDATE mailbox_messages SET "expungedModseq" = $3, modseq = $3
          WHERE "mailboxId" = $1 AND uid = ANY($2::int[]) AND "expungedModseq" IS NULL`,
        [source.id, sourceUids, modseq.toString()],
      );
      changed.push(source);
    }
    notifyMailboxesChanged(tx, changed);
    return data;
  });
}
