/**
 * Evaluates a SEARCH key against one message (RFC 3501 §6.4.4; IMAP.md M38–M41). Used by the
 * in-memory backend; a database backend translates SearchKey to its query language instead.
 *
 * Text keys are case-insensitive substring matches. Header values are matched after RFC 2047
 * decoding; BODY looks at the decoded text of the text/* parts (transfer encoding undone,
 * charset converted); TEXT looks at the decoded header and that body. SENTBEFORE/ON/SINCE use the
 * calendar date written in the Date: header (falling back to INTERNALDATE when there is none or it
 * does not parse); BEFORE/ON/SINCE use INTERNALDATE's calendar date.
 */
import { type SearchKey } from './criteria.ts';
import { type NumSet } from '../wire/num-set.ts';
import { type MimeNode, parseMime } from '../mime/parse.ts';
import { fieldValue } from '../mime/header.ts';
import { decodeCharset, decodeHeaderValue, decodeTransfer } from '../mime/decode.ts';

export interface SearchableMessage {
  /** Canonical CRLF message bytes. */
  raw: Buffer;
  /** parseMime(raw), when the caller has it already. */
  root?: MimeNode;
  uid: number;
  seq: number;
  /** System flags (`\Seen`) and keywords; matched case-insensitively. */
  flags: string[];
  internalDate: Date;
  /** Zone of INTERNALDATE in minutes east of UTC, for its calendar date (default 0 = UTC). */
  internalDateTzOffset?: number;
  size: number;
  recent: boolean;
}

/** What `*` resolves to in sequence sets: the largest sequence number / UID in the mailbox view. */
export interface SearchContext {
  maxSeq?: number;
  maxUid?: number;
}

/** Decoded, lower-cased text of one message, built once per raw Buffer and cached. */
export interface SearchableText {
  root: MimeNode;
  /** Decoded header fields: lower-cased name → lower-cased decoded unfolded values. */
  headers: Map<string, string[]>;
  /** All decoded header lines, lower-cased, joined with CRLF. */
  headerText: string;
  /** Decoded text parts, lower-cased, joined with CRLF. */
  bodyText: string;
  /** Calendar date (`YYYY-MM-DD`) of the Date: header, or null. */
  sentDate: string | null;
}

const cache = new WeakMap<Buffer, SearchableText>();

/** Decoded text of a message for text keys; cached per raw Buffer (a WeakMap, so it goes with it). */
export function searchableText(raw: Buffer, root?: MimeNode): SearchableText {
  let t = cache.get(raw);
  if (t) return t;
  const r = root ?? parseMime(raw);
  const headers = new Map<string, string[]>();
  const lines: string[] = [];
  for (const f of r.headers) {
    const value = decodeHeaderValue(fieldValue(raw, f)).toLowerCase();
    const list = headers.get(f.lname);
    if (list) list.push(value);
    else headers.set(f.lname, [value]);
    lines.push(`${f.lname}: ${value}`);
  }
  const body: string[] = [];
  collectText(raw, r, body, 0);
  const date = headers.get('date')?.[0];
  t = {
    root: r,
    headers,
    headerText: lines.join('\r\n'),
    bodyText: body.join('\r\n').toLowerCase(),
    sentDate: date ? parseRfc5322Day(date) : null,
  };
  cache.set(raw, t);
  return t;
}

function collectText(raw: Buffer, node: MimeNode, out: string[], depth: number): void {
  if (depth > 128) return;
  if (node.children.length) {
    for (const c of node.children) collectText(raw, c, out, depth + 1);
    return;
  }
  if (node.message) {
    // An attached message: its header and text are part of the body text.
    const m = node.message;
    out.push(decodeHeaderValue(raw.toString('latin1', m.headerStart, m.headerEnd)));
    collectText(raw, m, out, depth + 1);
    return;
  }
  if (node.contentType.type !== 'text') return;
  const bytes = decodeTransfer(raw.subarray(node.bodyStart, node.bodyEnd), node.encoding);
  const charset = node.contentType.params.find(([k]) => k.toLowerCase() === 'charset')?.[1];
  out.push(decodeCharset(bytes, charset));
}

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06',
  jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};

/** `[Day,] d Mon yyyy …` ⇒ `yyyy-mm-dd` as written (its own zone), or null. */
export function parseRfc5322Day(value: string): string | null {
  const m = /(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{2,4})/i.exec(value);
  if (!m) return null;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (!month) return null;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3 obs-year
  else if (m[3]!.length === 3) year += 1900;
  return `${String(year).padStart(4, '0')}-${month}-${m[1]!.padStart(2, '0')}`;
}

function internalDay(msg: SearchableMessage): string {
  const d = new Date(msg.internalDate.getTime() + (msg.internalDateTzOffset ?? 0) * 60_000);
  return d.toISOString().slice(0, 10);
}

function compareDay(day: string, op: 'before' | 'on' | 'since', date: string): boolean {
  if (op === 'before') return day < date;
  if (op === 'on') return day === date;
  return day >= date;
}

/** True when `n` is in the set; `*` is `max` (no max known ⇒ `*` names nothing). */
export function inNumSet(set: NumSet, n: number, max: number | undefined): boolean {
  for (const r of set) {
    const a = r.start === '*' ? max : r.start;
    const b = r.end === '*' ? max : r.end;
    if (a === undefined || b === undefined) {
      // `n:*` without a known max: everything from n on.
      const fixed = a ?? b;
      if (fixed !== undefined && r.start !== r.end && n >= fixed) return true;
      continue;
    }
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

const hasFlag = (msg: SearchableMessage, flag: string): boolean => {
  const f = flag.toLowerCase();
  if (f === '\\recent') return msg.recent;
  return msg.flags.some((x) => x.toLowerCase() === f);
};

/** Evaluates `key` for `msg`. `ctx` resolves `*` in sequence sets. Never throws on malformed mail. */
export function matchesSearch(key: SearchKey, msg: SearchableMessage, ctx: SearchContext = {}): boolean {
  switch (key.kind) {
    case 'all':
      return true;
    case 'and':
      return key.keys.every((k) => matchesSearch(k, msg, ctx));
    case 'or':
      return matchesSearch(key.left, msg, ctx) || matchesSearch(key.right, msg, ctx);
    case 'not':
      return !matchesSearch(key.key, msg, ctx);
    case 'seq':
      return inNumSet(key.set, msg.seq, ctx.maxSeq);
    case 'uid':
      return inNumSet(key.set, msg.uid, ctx.maxUid);
    case 'flag':
      return hasFlag(msg, key.flag) === key.set;
    case 'new':
      return msg.recent && !hasFlag(msg, '\\Seen');
    case 'old':
      return !msg.recent;
    case 'recent':
      return msg.recent;
    case 'size':
      return key.op === 'larger' ? msg.size > key.size : msg.size < key.size;
    case 'internaldate':
      return compareDay(internalDay(msg), key.op, key.date);
    case 'sentdate': {
      const t = searchableText(msg.raw, msg.root);
      return compareDay(t.sentDate ?? internalDay(msg), key.op, key.date);
    }
    case 'header': {
      const t = searchableText(msg.raw, msg.root);
      const values = t.headers.get(key.field.toLowerCase());
      if (!values) return false;
      const needle = key.value.toLowerCase();
      return values.some((v) => v.includes(needle));
    }
    case 'body': {
      const t = searchableText(msg.raw, msg.root);
      return t.bodyText.includes(key.value.toLowerCase());
    }
    case 'text': {
      const t = searchableText(msg.raw, msg.root);
      const needle = key.value.toLowerCase();
      return t.headerText.includes(needle) || t.bodyText.includes(needle);
    }
    default: {
      const never: never = key;
      void never;
      return false;
    }
  }
}
