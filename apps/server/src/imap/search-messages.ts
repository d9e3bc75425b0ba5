// SEARCH: the candidate entries stream in keyset pages and imap-core's matcher evaluates the
// program on each, reading raw octets only when a key looks at the content. Correct for every
// RFC 3501 key; O(mailbox) per search (translating keys to SQL is a later optimisation).
import type pg from 'pg';
import type { SearchKey, SearchRequest } from '@letterbox/imap-core';
import { matchesSearch } from '@letterbox/imap-core/search';
import { bigintLiteral, decode, intLiteral, selectBinary } from '../db/binary-copy.ts';
import { uidRangeArrays } from './uid-ranges.ts';

const PAGE_ROWS = 2_000;
const PAGE_ROWS_WITH_RAW = 100;

export interface SearchScope {
  mailboxId: string;
  recentUids: ReadonlySet<number>;
}

function needsContent(key: SearchKey): boolean {
  switch (key.kind) {
    case 'header':
    case 'body':
    case 'text':
    case 'sentdate':
      return true;
    case 'and':
      return key.keys.some(needsContent);
    case 'or':
      return needsContent(key.left) || needsContent(key.right);
    case 'not':
      return needsContent(key.key);
    default:
      return false;
  }
}

export async function searchMessages(pool: pg.Pool, scope: SearchScope, request: SearchRequest): Promise<number[]> {
  const withRaw = needsContent(request.key);
  const pageRows = withRaw ? PAGE_ROWS_WITH_RAW : PAGE_ROWS;
  const max = await pool.query<{ max_uid: number | null }>(
    'SELECT max(uid) AS max_uid FROM mailbox_messages WHERE "mailboxId" = $1 AND "expungedModseq" IS NULL',
    [scope.mailboxId],
  );
  const maxUid = max.rows[0]?.max_uid ?? undefined;
  const { starts, ends } = uidRangeArrays(request.uids);
  const empty = Buffer.alloc(0);
  const matches: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    let after = starts[i]! - 1;
    for (;;) {
      const page = withRaw
        ? await contentPage(pool, scope.mailboxId, after, ends[i]!, pageRows)
        : (
            await pool.query<SearchRow>(
              `SELECT mm.uid, mm.flags, mm."internalDate" AS internal_date, m.size, NULL::bytea AS raw
                 FROM mailbox_messages mm JOIN messages m ON m.id = mm."messageId"
                WHERE mm."mailboxId" = $1 AND mm.uid > $2 AND mm.uid <= $3 AND mm."expungedModseq" IS NULL
                ORDER BY mm.uid LIMIT $4`,
              [scope.mailboxId, after, ends[i]!, pageRows],
            )
          ).rows;
      for (const r of page) {
        const message = {
          raw: r.raw ?? empty,
          uid: r.uid,
          seq: 0,
          flags: r.flags ?? [],
          internalDate: r.internal_date,
          size: r.size,
          recent: scope.recentUids.has(r.uid),
        };
        if (matchesSearch(request.key, message, maxUid === undefined ? {} : { maxUid })) matches.push(r.uid);
      }
      if (page.length < pageRows) break;
      after = page[page.length - 1]!.uid;
    }
  }
  return matches;
}

interface SearchRow {
  uid: number;
  flags: string[] | null;
  internal_date: Date;
  size: number;
  raw: Buffer | null;
}

/** A page with raw octets, read through binary COPY (no hex text round trip: db/binary-copy.ts). */
async function contentPage(pool: pg.Pool, mailboxId: string, after: number, end: number, pageRows: number): Promise<SearchRow[]> {
  const rows = await selectBinary(
    pool,
    `SELECT mm.uid::int4, mm.flags::text[], (extract(epoch FROM mm."internalDate") * 1000)::float8, m.size::int4, m.raw
       FROM mailbox_messages mm JOIN messages m ON m.id = mm."messageId"
      WHERE mm."mailboxId" = ${bigintLiteral(mailboxId)} AND mm.uid > ${intLiteral(after)} AND mm.uid <= ${intLiteral(end)}
        AND mm."expungedModseq" IS NULL
      ORDER BY mm.uid LIMIT ${intLiteral(pageRows)}`,
  );
  return rows.map(([uid, flags, internalDate, size, raw]) => ({
    uid: decode.int4(uid!),
    flags: flags ? (decode.textArray(flags).filter((f) => f !== null) as string[]) : null,
    internal_date: new Date(decode.float8(internalDate!)),
    size: decode.int4(size!),
    raw: raw ?? null,
  }));
}
