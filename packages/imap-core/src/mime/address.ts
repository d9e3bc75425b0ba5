/**
 * A small RFC 5322 §3.4 address-list parser that keeps display names raw (RFC 2047 encoded words
 * are not decoded), as ENVELOPE needs (IMAP.md M37). Handles quoted strings, comments (nested,
 * with quoted-pairs), groups, angle addresses with obsolete routes (`<@a,@b:x@y>`), domain
 * literals and the obsolete forms seen in real mail (missing `@`, `.` in phrases, stray commas).
 *
 * Input and output strings are binary strings (one char per octet).
 */
import { trimWsp } from './header.ts';

export interface ParsedMailbox {
  kind: 'mailbox';
  /** Display name (phrase, or the trailing comment when there is no phrase), or null. */
  name: string | null;
  /** Obsolete source route (`@a,@b`), or null. */
  route: string | null;
  /** Local part; '' when missing. */
  mailbox: string;
  /** Domain; '' when missing. */
  host: string;
}

export interface ParsedGroup {
  kind: 'group';
  name: string;
  members: ParsedMailbox[];
}

export type ParsedAddress = ParsedMailbox | ParsedGroup;

type Token =
  | { t: 'word'; v: string; quoted: boolean }
  | { t: 'comment'; v: string }
  | { t: 'special'; v: string }
  | { t: 'dlit'; v: string };

/** Char codes of RFC 5322 specials that the parser cares about: `<>@,;:.[]`. */
const SPECIAL = new Uint8Array(128);
for (const c of '<>@,;:.[]') SPECIAL[c.charCodeAt(0)] = 1;
/** Char codes that end an atom: specials, whitespace, `"` and `(`. */
const ATOM_END = new Uint8Array(128);
for (const c of '<>@,;:.[] \t\r\n"(') ATOM_END[c.charCodeAt(0)] = 1;

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const code = s.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a) {
      i++;
    } else if (code === 0x22 /* " */) {
      let v = '';
      let from = ++i;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c && i + 1 < n) {
          v += s.slice(from, i) + s[i + 1]; // quoted-pair: keep the escaped char
          i += 2;
          from = i;
        } else if (c === 0x0d || c === 0x0a) {
          v += s.slice(from, i); // folding inside a quoted string
          from = ++i;
        } else {
          i++;
        }
      }
      v += s.slice(from, i);
      i++;
      out.push({ t: 'word', v, quoted: true });
    } else if (code === 0x28 /* ( */) {
      let depth = 0;
      let v = '';
      while (i < n) {
        const d = s[i]!;
        if (d === '\\' && i + 1 < n) {
          v += s[i + 1];
          i += 2;
          continue;
        }
        i++;
        if (d === '(') {
          if (depth++ > 0) v += d;
        } else if (d === ')') {
          if (--depth === 0) break;
          v += d;
        } else v += d;
      }
      out.push({ t: 'comment', v: trimWsp(v.replace(/[ \t\r\n]+/g, ' ')) });
    } else if (code === 0x5b /* [ */) {
      let v = '[';
      i++;
      while (i < n && s[i] !== ']') {
        if (s[i] === '\\' && i + 1 < n) i++;
        v += s[i];
        i++;
      }
      i++;
      out.push({ t: 'dlit', v: v + ']' });
    } else if (code < 128 && SPECIAL[code]) {
      out.push({ t: 'special', v: s[i]! });
      i++;
    } else {
      const from = i;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c < 128 && ATOM_END[c]) break;
        i++;
      }
      out.push({ t: 'word', v: s.slice(from, i), quoted: false });
    }
  }
  return out;
}

/** Parses an address-list header value. Never throws; garbage yields what could be recognised. */
export function parseAddressList(s: string): ParsedAddress[] {
  const toks = tokenize(s);
  const out: ParsedAddress[] = [];
  let i = 0;
  while (i < toks.length) {
    const tk = toks[i]!;
    if (tk.t === 'special' && (tk.v === ',' || tk.v === ';')) {
      i++;
      continue;
    }
    // A group starts with a phrase and ':' before any '<', '@', ',' or ';'.
    let j = i;
    let isGroup = false;
    while (j < toks.length) {
      const x = toks[j]!;
      if (x.t === 'special') {
        if (x.v === ':') isGroup = true;
        if (x.v !== '.') break;
      }
      j++;
    }
    if (isGroup) {
      const name = phrase(toks, i, j) ?? '';
      i = j + 1;
      const members: ParsedMailbox[] = [];
      while (i < toks.length) {
        const x = toks[i]!;
        if (x.t === 'special' && x.v === ';') {
          i++;
          break;
        }
        if (x.t === 'special' && x.v === ',') {
          i++;
          continue;
        }
        const r = parseMailbox(toks, i, true);
        i = r.next;
        if (r.mailbox) members.push(r.mailbox);
      }
      out.push({ kind: 'group', name, members });
      continue;
    }
    const r = parseMailbox(toks, i, false);
    i = r.next;
    if (r.mailbox) out.push(r.mailbox);
  }
  return out;
}

const isSpecial = (x: Token | undefined, v: string): boolean => x !== undefined && x.t === 'special' && x.v === v;

/** Parses one mailbox starting at `i`; stops before ',' (or ';' inside a group). */
function parseMailbox(
  toks: Token[],
  i: number,
  inGroup: boolean,
): { mailbox: ParsedMailbox | null; next: number } {
  let end = i;
  let angle = -1;
  let close = -1;
  let depth = 0;
  while (end < toks.length) {
    const x = toks[end]!;
    if (x.t === 'special') {
      if (x.v === '<') {
        if (angle === -1) angle = end;
        depth++;
      } else if (x.v === '>') {
        if (angle !== -1 && close === -1) close = end;
        depth = Math.max(0, depth - 1);
      } else if (depth === 0 && (x.v === ',' || (inGroup && x.v === ';'))) break;
    }
    end++;
  }
  if (end === i) return { mailbox: null, next: i + 1 };
  if (angle !== -1) {
    if (close === -1) close = end;
    // Inside the angle brackets: optional obsolete route `@a,@b:` then the addr-spec.
    let specStart = angle + 1;
    let route: string | null = null;
    if (isSpecial(toks[specStart], '@')) {
      let colon = specStart;
      while (colon < close && !isSpecial(toks[colon], ':')) colon++;
      if (colon < close) {
        route = '';
        for (let k = specStart; k < colon; k++) if (toks[k]!.t !== 'comment') route += toks[k]!.v;
        specStart = colon + 1;
      }
    }
    const spec = addrSpec(toks, specStart, close);
    const name = phrase(toks, i, angle) ?? lastComment(toks, close + 1, end) ?? lastComment(toks, specStart, close);
    if (!name && !spec.mailbox && !spec.host && !route) return { mailbox: null, next: end };
    return { mailbox: { kind: 'mailbox', name, route, mailbox: spec.mailbox, host: spec.host }, next: end };
  }
  const spec = addrSpec(toks, i, end);
  if (!spec.mailbox && !spec.host) return { mailbox: null, next: end };
  return {
    mailbox: { kind: 'mailbox', name: lastComment(toks, i, end), route: null, mailbox: spec.mailbox, host: spec.host },
    next: end,
  };
}

/** `local@domain` from toks[from, to): the last '@' splits; comments are ignored. */
function addrSpec(toks: Token[], from: number, to: number): { mailbox: string; host: string } {
  let at = -1;
  for (let k = to - 1; k >= from; k--) {
    if (isSpecial(toks[k], '@')) {
      at = k;
      break;
    }
  }
  if (at === -1) return { mailbox: joinDotted(toks, from, to), host: '' };
  return { mailbox: joinDotted(toks, from, at), host: joinDotted(toks, at + 1, to) };
}

function joinDotted(toks: Token[], from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) {
    const x = toks[k]!;
    if (x.t === 'comment' || (x.t === 'special' && x.v !== '.')) continue;
    s += x.v;
  }
  return s;
}

/** Display name from phrase tokens: words joined by one space, '.' glued to the word before it. */
function phrase(toks: Token[], from = 0, to = toks.length): string | null {
  let s = '';
  for (let k = from; k < to; k++) {
    const x = toks[k]!;
    if (x.t === 'comment') continue;
    if (x.t === 'special') {
      if (x.v === '.') s += '.';
      continue;
    }
    if (s !== '' && s !== '.') s += ' ';
    s += x.v;
  }
  s = trimWsp(s);
  return s === '' ? null : s;
}

function lastComment(toks: Token[], from: number, to: number): string | null {
  for (let k = to - 1; k >= from; k--) {
    const x = toks[k]!;
    if (x.t === 'comment' && x.v) return x.v;
  }
  return null;
}
