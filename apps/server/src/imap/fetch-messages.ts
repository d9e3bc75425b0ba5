// FETCH: streams the requested UIDs from Postgres in keyset pages (uid > last ORDER BY uid LIMIT n,
// never OFFSET), the next page loading while the current one drains to the client. Only what
// the request needs is read: raw octets for body items, otherwise the cached ENVELOPE and
// BODYSTRUCTURE columns, which are computed from the raw octets (imap-core's MIME helpers) the
// first time a FETCH needs them and written back.
import type pg from 'pg';
import { atom, type FetchRequest, type FetchedMessage, type ImapValue, type Sink } from '@letterbox/imap-core';
import { bodyStructure, envelope, parseMime } from '@letterbox/imap-core/mime';
import { bigintLiteral, boolLiteral, decode, intLiteral, selectBinary, type BinaryRow } from '../db/binary-copy.ts';
import { imapValueFromJson, imapValueToJson, type ImapValueJson } from './imap-value-json.ts';
import { withRecent } from './mailbox-changes.ts';
import { uidRangeArrays } from './uid-ranges.ts';

/** Rows per page without raw octets: a few hundred KiB of metadata. */
const PAGE_ROWS = 2_000;
/** Rows per page with raw octets, further cut by RAW_PAGE_BYTES. */
const PAGE_ROWS_WITH_RAW = 200;
/**
 * Raw octets per page (a page always holds at least one message): memory stays bounded by a few
 * MiB plus the largest message, whatever the mailbox size.
 */
const RAW_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * The header block of `m.raw` (through the blank line): all ENVELOPE needs, a fraction of the
 * octets to send when only the envelope cache is missing.
 */
const HEADER_BLOCK = `substring(m.raw FROM 1 FOR coalesce(nullif(position('\\x0d0a0d0a'::bytea IN m.raw), 0) + 3, length(m.raw)))`;

interface FetchRow {
  uid: number;
  message_id: string;
  flags: string[] | null;
  /** INTERNALDATE in epoch milliseconds: a float parses far faster than a timestamp text. */
  internal_ms: number;
  size: number;
  raw: Buffer | null;
  /** The cached value in wire syntax (most messages): plain text, no JSON to parse. */
  envelope_wire: string | null;
  body_structure_wire: string | null;
  /** The cached value as a tree (non-UTF-8 octets), or null when not cached yet. */
  envelope: ImapValueJson | null;
  body_structure: ImapValueJson | null;
}

export interface FetchScope {
  mailboxId: string;
  recentUids: ReadonlySet<number>;
}

/**
 * Expunged entries not yet announced to this session are included (IMAP.md M29: frozen data);
 * the library drops UIDs the client does not know.
 */
export async function fetchMessages(pool: pg.Pool, scope: FetchScope, request: FetchRequest, sink: Sink<FetchedMessage>): Promise<void> {
  const pageRows = request.raw ? PAGE_ROWS_WITH_RAW : PAGE_ROWS;
  const { starts, ends } = uidRangeArrays(request.uids);
  // Binary COPY (db/binary-copy.ts): raw octets arrive as stored, not as hex text twice their
  // size. COPY takes no parameters, so the values below are inlined as checked literals.
  const [wantRaw, wantEnvelope, wantStructure] = [request.raw, request.envelope, request.bodyStructure].map(boolLiteral);
  // The message row (large: it holds the octets) is read only when something is not cached: the
  // scalar subqueries in CASE run for those rows alone.
  const message = (column: string) => `(SELECT ${column} FROM messages m WHERE m.id = mm."messageId")`;
  // The decoders in decodeFetchRow rely on these types and this order.
  const columns = `mm.uid::int4, mm."messageId"::int8, mm.flags::text[], (extract(epoch FROM mm."internalDate") * 1000)::float8,
              coalesce(s.size, ${message('m.size')})::int4,
              CASE WHEN ${wantRaw} OR (${wantStructure} AND s."bodyStructure" IS NULL) THEN ${message('m.raw')}
                   WHEN ${wantEnvelope} AND s.envelope IS NULL THEN ${message(HEADER_BLOCK)}
              END,
              CASE WHEN ${wantEnvelope} THEN s.envelope->>'w' END,
              CASE WHEN ${wantEnvelope} AND NOT s.envelope ? 'w' THEN s.envelope END,
              CASE WHEN ${wantStructure} THEN s."bodyStructure"->>'w' END,
              CASE WHEN ${wantStructure} AND NOT s."bodyStructure" ? 'w' THEN s."bodyStructure" END`;
  const cache = `LEFT JOIN message_imap_structures s ON s."messageId" = mm."messageId"`;
  const mailbox = bigintLiteral(scope.mailboxId);
  // With raw octets the page is chosen first (UIDs and running size), the octets read for those
  // rows only; without them a plain keyset page.
  const sql = (after: number, end: number) =>
    request.raw
      ? `WITH page AS (
           SELECT mm.uid, mm."messageId", mm.flags, mm."internalDate", sum(m.size) OVER (ORDER BY mm.uid) - m.size AS bytes_before
             FROM mailbox_messages mm JOIN messages m ON m.id = mm."messageId"
            WHERE mm."mailboxId" = ${mailbox} AND mm.uid > ${intLiteral(after)} AND mm.uid <= ${intLiteral(end)}
            ORDER BY mm.uid LIMIT ${intLiteral(pageRows)}
         )
         SELECT ${columns} FROM page mm ${cache} WHERE mm.bytes_before < ${intLiteral(RAW_PAGE_BYTES)} ORDER BY mm.uid`
      : `SELECT ${columns} FROM mailbox_messages mm ${cache}
          WHERE mm."mailboxId" = ${mailbox} AND mm.uid > ${intLiteral(after)} AND mm.uid <= ${intLiteral(end)}
          ORDER BY mm.uid LIMIT ${intLiteral(pageRows)}`;
  const loadPage = async (after: number, end: number): Promise<FetchRow[]> => (await selectBinary(pool, sql(after, end))).map(decodeFetchRow);
  for (let i = 0; i < starts.length; i++) {
    const end = ends[i]!;
    let next: Promise<FetchRow[]> | null = loadPage(starts[i]! - 1, end);
    while (next) {
      const page: FetchRow[] = await next;
      // A page cut short by the byte budget is not the end: stop at the first empty page.
      next = page.length > 0 ? loadPage(page[page.length - 1]!.uid, end) : null;
      // Don't leave the prefetch unobserved if the sink throws (client gone).
      next?.catch(() => {});
      const computed = completeStructures(page, request);
      // Best effort: a failed cache write only means computing again next time.
      const writeBack = computed.length > 0 ? cacheStructures(pool, computed).catch(() => {}) : null;
      for (const row of page) {
        const message: FetchedMessage = {
          uid: row.uid,
          flags: withRecent(row.flags ?? [], scope.recentUids.has(row.uid)),
          internalDate: new Date(row.internal_ms),
          size: row.size,
        };
        if (request.raw && row.raw) message.raw = row.raw;
        if (request.envelope) message.envelope = cached(row.envelope_wire, row.envelope);
        if (request.bodyStructure) message.bodyStructure = cached(row.body_structure_wire, row.body_structure);
        await sink(message);
      }
      await writeBack;
    }
  }
}

function decodeFetchRow([uid, messageId, flags, internalMs, size, raw, envelopeWire, envelope, structureWire, structure]: BinaryRow): FetchRow {
  return {
    uid: decode.int4(uid!),
    message_id: decode.int8(messageId!),
    flags: flags === null ? null : (decode.textArray(flags!) as string[]),
    internal_ms: decode.float8(internalMs!),
    size: decode.int4(size!),
    raw: raw ?? null,
    envelope_wire: envelopeWire === null ? null : decode.text(envelopeWire!),
    envelope: envelope === null ? null : (decode.jsonb(envelope!) as ImapValueJson),
    body_structure_wire: structureWire === null ? null : decode.text(structureWire!),
    body_structure: structure === null ? null : (decode.jsonb(structure!) as ImapValueJson),
  };
}

function cached(wire: string | null, tree: ImapValueJson | null): ImapValue | undefined {
  if (wire !== null) return atom(wire);
  return tree === null ? undefined : imapValueFromJson(tree);
}

interface ComputedStructures {
  messageId: string;
  size: number;
  envelope: ImapValueJson | null;
  bodyStructure: ImapValueJson | null;
}

/** Fills missing cached structures of the page's rows in place; returns what to write back. */
function completeStructures(page: FetchRow[], request: FetchRequest): ComputedStructures[] {
  const computed: ComputedStructures[] = [];
  for (const row of page) {
    const needEnvelope = request.envelope && row.envelope_wire === null && row.envelope === null;
    const needStructure = request.bodyStructure && row.body_structure_wire === null && row.body_structure === null;
    if ((!needEnvelope && !needStructure) || row.raw === null) continue;
    // Without BODYSTRUCTURE only the top header block is parsed (envelope() reads it alone).
    const root = needStructure ? parseMime(row.raw) : undefined;
    const item: ComputedStructures = { messageId: row.message_id, size: row.size, envelope: null, bodyStructure: null };
    if (needEnvelope) {
      item.envelope = imapValueToJson(envelope(row.raw, root));
      [row.envelope_wire, row.envelope] = split(item.envelope);
    }
    if (root) {
      item.bodyStructure = imapValueToJson(bodyStructure(row.raw, root, true));
      [row.body_structure_wire, row.body_structure] = split(item.bodyStructure);
    }
    computed.push(item);
  }
  return computed;
}

/** A cache value as the row carries it: [wire text, null] or [null, tree]. */
function split(json: ImapValueJson): [string | null, ImapValueJson | null] {
  return json !== null && typeof json === 'object' && 'w' in json ? [json.w, null] : [null, json];
}

/** Stored octets never change, so concurrent writers store the same values: last one wins. */
async function cacheStructures(pool: pg.Pool, computed: ComputedStructures[]): Promise<void> {
  await pool.query(
    `INSERT INTO message_imap_structures AS t ("messageId", size, envelope, "bodyStructure")
     SELECT * FROM unnest($1::bigint[], $4::int[], $2::jsonb[], $3::jsonb[])
     ON CONFLICT ("messageId") DO UPDATE
        SET envelope = coalesce(EXCLUDED.envelope, t.envelope),
            "bodyStructure" = coalesce(EXCLUDED."bodyStructure", t."bodyStructure")`,
    [
      computed.map((c) => c.messageId),
      computed.map((c) => (c.envelope === null ? null : JSON.stringify(c.envelope))),
      computed.map((c) => (c.bodyStructure === null ? null : JSON.stringify(c.bodyStructure))),
      computed.map((c) => c.size),
    ],
  );
}
