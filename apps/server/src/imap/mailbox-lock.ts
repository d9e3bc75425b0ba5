// Writers that change a mailbox's messages take its row lock first (ingest, retention and IMAP
// alike, in mailbox id order), so UIDs and modseqs become visible in commit order (IMAP.md M20).
import { notifyStatements, type MailboxChange } from '../domain/events/letterbox-events.ts';
import type { Transaction } from './transaction.ts';

export interface LockedMailbox {
  id: string;
  uidValidity: number;
  uidNext: number;
  highestModseq: bigint;
}

/** Locks the mailboxes in id order (the order ingest uses: no deadlocks); missing ids are absent. */
export async function lockMailboxes(tx: Transaction, ids: readonly string[]): Promise<Map<string, LockedMailbox>> {
  const result = await tx.client.query<{ id: string; uid_validity: number; uid_next: number; highest_modseq: string }>(
    `SELECT id, "uidValidity" AS uid_validity, "uidNext" AS uid_next, "highestModseq" AS highest_modseq
       FROM mailboxes WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE`,
    [ids],
  );
  return new Map(
    result.rows.map((r) => [r.id, { id: r.id, uidValidity: r.uid_validity, uidNext: r.uid_next, highestModseq: BigInt(r.highest_modseq) }]),
  );
}

/** Queues a `mailboxes.changed` NOTIFY, delivered to every node at COMMIT. */
export function notifyMailboxesChanged(tx: Transaction, mailboxes: readonly LockedMailbox[]): void {
  if (mailboxes.length === 0) return;
  const changes: MailboxChange[] = mailboxes.map((m) => ({ id: m.id, uidNext: m.uidNext, highestModseq: m.highestModseq.toString() }));
  tx.beforeCommit.push(
    notifyStatements({ type: 'mailboxes.changed', messageIds: [], mailboxes: changes }, (v) => tx.client.escapeLiteral(v)),
  );
}

/**
 * Allocates `count` UIDs and modseqs in a locked mailbox: returns the first of each; the mailbox
 * row is advanced (and `mailbox` updated) before the caller inserts the entries.
 */
export async function allocateUids(tx: Transaction, mailbox: LockedMailbox, count: number): Promise<{ firstUid: number; firstModseq: bigint }> {
  const firstUid = mailbox.uidNext;
  const firstModseq = mailbox.highestModseq + 1n;
  await tx.client.query('UPDATE mailboxes SET "uidNext" = "uidNext" + $2, "highestModseq" = "highestModseq" + $2 WHERE id = $1', [
    mailbox.id,
    count,
  ]);
  mailbox.uidNext += count;
  mailbox.highestModseq += BigInt(count);
  return { firstUid, firstModseq };
}

/** Gives the locked mailbox one new modseq (flag changes, expunges) and returns it. */
export async function bumpModseq(tx: Transaction, mailbox: LockedMailbox): Promise<bigint> {
  await tx.client.query('UPDATE mailboxes SET "highestModseq" = "highestModseq" + 1 WHERE id = $1', [mailbox.id]);
  mailbox.highestModseq += 1n;
  return mailbox.highestModseq;
}
