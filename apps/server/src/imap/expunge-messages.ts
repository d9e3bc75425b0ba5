// EXPUNGE / UID EXPUNGE: \Deleted entries (within the given UIDs) become tombstones carrying the
// expunge's modseq, kept for QRESYNC and for sessions not yet told (IMAP.md M22, M29, M45).
import type pg from 'pg';
import type { UidSet } from '@letterbox/imap-core';
import { bumpModseq, lockMailboxes, notifyMailboxesChanged } from './mailbox-lock.ts';
import { DELETED } from './system-flags.ts';
import { inTransaction } from './transaction.ts';
import { uidRangeArrays } from './uid-ranges.ts';

/** Every UID IMAP can name, for "no UID restriction". */
const ALL_UIDS: UidSet = [{ start: 1, end: 4_294_967_295 }];

export async function expungeMessages(pool: pg.Pool, mailboxId: string, uids: UidSet | null): Promise<number[]> {
  const { starts, ends } = uidRangeArrays(uids ?? ALL_UIDS);
  return inTransaction(pool, async (tx) => {
    const mailbox = (await lockMailboxes(tx, [mailboxId])).get(mailboxId);
    if (!mailbox) return [];
    const modseq = mailbox.highestModseq + 1n;
    const expunged = await tx.client.query<{ uid: number }>(
      `UPDATE mailbox_messages mm SET "expungedModseq" = $5, modseq = $5
         FROM unnest($2::int[], $3::int[]) AS r(s, e)
        WHERE mm."mailboxId" = $1 AND mm.uid BETWEEN r.s AND r.e
          AND mm."expungedModseq" IS NULL AND coalesce(mm.flags, '{}') @> ARRAY[$4]
        RETURNING mm.uid`,
      [mailboxId, starts, ends, DELETED, modseq.toString()],
    );
    if (expunged.rows.length === 0) return [];
    await bumpModseq(tx, mailbox);
    notifyMailboxesChanged(tx, [mailbox]);
    return expunged.rows.map((r) => r.uid).sort((a, b) => a - b);
  });
}
