// STATUS: counts of one mailbox's live entries.
import type pg from 'pg';
import { ImapError, type MailboxStatus } from '@letterbox/imap-core';
import { SEEN } from './system-flags.ts';

export async function mailboxStatus(pool: pg.Pool, accountId: string, name: string): Promise<MailboxStatus> {
  const result = await pool.query<{ uid_validity: number; uid_next: number; highest_modseq: string; messages: number; recent: number; unseen: number }>(
    `SELECT mb."uidValidity" AS uid_validity, mb."uidNext" AS uid_next, mb."highestModseq" AS highest_modseq,
            c.messages, c.recent, c.unseen
       FROM mailboxes mb
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS messages,
                count(*) FILTER (WHERE mm.recent)::int AS recent,
                count(*) FILTER (WHERE NOT coalesce(mm.flags, '{}') @> ARRAY[$3])::int AS unseen
           FROM mailbox_messages mm
          WHERE mm."mailboxId" = mb.id AND mm."expungedModseq" IS NULL
       ) c
      WHERE mb."accountId" = $1 AND mb.name = $2`,
    [accountId, name, SEEN],
  );
  const row = result.rows[0];
  if (!row) throw ImapError.nonexistent();
  return {
    messages: row.messages,
    recent: row.recent,
    uidNext: row.uid_next,
    uidValidity: row.uid_validity,
    unseen: row.unseen,
    highestModseq: BigInt(row.highest_modseq),
  };
}
