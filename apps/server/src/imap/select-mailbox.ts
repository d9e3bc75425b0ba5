// SELECT / EXAMINE: the mailbox's counters, every live UID (the session's sequence map), the first
// unseen UID and the keywords in use, all from one statement (one snapshot); then a read-write
// SELECT claims \Recent for the messages in that snapshot (IMAP.md M25).
import type pg from 'pg';
import { ImapError, type SelectData } from '@letterbox/imap-core';
import { SEEN } from './system-flags.ts';

export interface SelectedMailbox {
  id: string;
  data: SelectData;
  /** UIDs that are \Recent for this session. */
  recentUids: Set<number>;
}

export async function selectMailbox(pool: pg.Pool, accountId: string, name: string, readOnly: boolean): Promise<SelectedMailbox> {
  const result = await pool.query<{
    id: string;
    uid_validity: number;
    uid_next: number;
    highest_modseq: string;
    uids: string | null;
    first_unseen: number | null;
    keywords: string[] | null;
  }>(
    `SELECT mb.id, mb."uidValidity" AS uid_validity, mb."uidNext" AS uid_next, mb."highestModseq" AS highest_modseq,
            live.uids, live.first_unseen,
            (SELECT array_agg(DISTINCT f)
               FROM mailbox_messages mm CROSS JOIN LATERAL unnest(mm.flags) AS f
              WHERE mm."mailboxId" = mb.id AND mm."expungedModseq" IS NULL AND left(f, 1) <> '\\') AS keywords
       FROM mailboxes mb
       CROSS JOIN LATERAL (
         SELECT string_agg(mm.uid::text, ',' ORDER BY mm.uid) AS uids,
                min(mm.uid) FILTER (WHERE NOT coalesce(mm.flags, '{}') @> ARRAY[$3]) AS first_unseen
           FROM mailbox_messages mm
          WHERE mm."mailboxId" = mb.id AND mm."expungedModseq" IS NULL
       ) live
      WHERE mb."accountId" = $1 AND mb.name = $2`,
    [accountId, name, SEEN],
  );
  const row = result.rows[0];
  if (!row) throw ImapError.nonexistent();
  const uids = row.uids === null ? [] : row.uids.split(',').map(Number);
  const recentUids = readOnly ? new Set<number>() : await claimRecent(pool, row.id, row.uid_next);
  return {
    id: row.id,
    recentUids,
    data: {
      uidValidity: row.uid_validity,
      uidNext: row.uid_next,
      highestModseq: BigInt(row.highest_modseq),
      uids,
      recent: recentUids.size,
      firstUnseenUid: row.first_unseen,
      keywords: row.keywords ?? [],
    },
  };
}

/**
 * \Recent goes to the first read-write session that sees a message: whoever's UPDATE flips the
 * column owns it. Only UIDs below `belowUid` (those the session already knows).
 */
export async function claimRecent(pool: pg.Pool, mailboxId: string, belowUid: number, uids?: readonly number[]): Promise<Set<number>> {
  const result = await pool.query<{ uid: number }>(
    `UPDATE mailbox_messages SET recent = false
      WHERE "mailboxId" = $1 AND recent AND "expungedModseq" IS NULL AND uid < $2 AND ($3::int[] IS NULL OR uid = ANY($3::int[]))
      RETURNING uid`,
    [mailboxId, belowUid, uids ?? null],
  );
  return new Set(result.rows.map((r) => r.uid));
}
