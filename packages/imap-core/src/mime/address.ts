/**
 * A small RFC 5322 §3.4 address-list parser that keeps display names raw (RFC 2047 encoded words
 * are not decoded), as ENVELOPE needs (IMAP.md M37). Handles quoted strings, comments (nested,
 * with quoted-pairs), groups, angle addresses with obsolete routes (`<@a,@b:x@y>`), domain
 * literals and the obsolete forms seen in real mail (missing `@`, `.` in phrases, stray commas).
 *
 * Input and output strings are binary strings (one char per octet).
 */

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

const SPECIALS = '<>@,;:.[]';

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      while (i < n && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < n) i++;
        if (s[i] !== '\r' && s[i] !== '\n') v += s[i];
        i++;
      }
      i++;
      out.push({ t: 'word', v, quoted: true });
    } else if (c === '(') {
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
      out.push({ t: 'comment', v: v.replace(/\s+/g, ' ').trim() });
    } else if (c === '[') {
      let v = '[';
      i++;
      while (i < n && s[i] !== ']') {
        if (s[i] === '\\' && i + 1 < n) i++;
        v += s[i];
        i++;
      }
      i++;
      out.push({ t: 'dlit', v: v + ']' });
    } else if (SPECIALS.includes(c)) {
      out.push({ t: 'special', v: c });
      i++;
    } else {
      let v = '';
      while (i < n && !SPECIALS.includes(s[i]!) && !' \t\r\n"('.includes(s[i]!)) v += s[i++];
      out.push({ t: 'word', v, quoted: false });
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
      const name = phrase(toks.slice(i, j)) ?? '';
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

/** Parses one mailbox starting at `i`; stops before ',' (or ';' inside a group). */
function parseMailbox(
  toks: Token[],
  i: number,
  inGroup: boolean,
): { mailbox: ParsedMailbox | null; next: number } {
  let end = i;
  let angle = -1;
  let depth = 0;
  while (end < toks.length) {
    const x = toks[end]!;
    if (x.t === 'special') {
      if (x.v === '<') {
        if (angle === -1) angle = end;
        depth++;
      } else if (x.v === '>') depth = Math.max(0, depth - 1);
      else if (depth === 0 && (x.v === ',' || (inGroup && x.v === ';'))) break;
    }
    end++;
  }
  const slice = toks.slice(i, end);
  if (slice.length === 0) return { mailbox: null, next: end === i ? i + 1 : end };
  if (angle !== -1) {
    const a = angle - i;
    const before = slice.slice(0, a);
    let close = slice.findIndex((x, k) => k > a && x.t === 'special' && x.v === '>');
    if (close === -1) close = slice.length;
    let inner = slice.slice(a + 1, close);
    const after = slice.slice(close + 1);
    let route: string | null = null;
    const colon = inner.findIndex((x) => x.t === 'special' && x.v === ':');
    if (colon !== -1 && inner[0]?.t === 'special' && inner[0].v === '@') {
      route = inner
        .slice(0, colon)
        .filter((x) => x.t !== 'comment')
        .map((x) => x.v)
        .join('');
      inner = inner.slice(colon + 1);
    }
    const spec = addrSpec(inner);
    const name = phrase(before) ?? lastComment(after) ?? lastComment(inner);
    if (!name && !spec.mailbox && !spec.host && !route) return { mailbox: null, next: end };
    return { mailbox: { kind: 'mailbox', name, route, ...spec }, next: end };
  }
  const spec = addrSpec(slice);
  if (!spec.mailbox && !spec.host) return { mailbox: null, next: end };
  return { mailbox: { kind: 'mailbox', name: lastComment(slice), route: null, ...spec }, next: end };
}

function addrSpec(toks: Token[]): { mailbox: string; host: string } {
  const parts = toks.filter((x) => x.t !== 'comment');
  const at = findLastIndex(parts, (x) => x.t === 'special' && x.v === '@');
  const local = at === -1 ? parts : parts.slice(0, at);
  const domain = at === -1 ? [] : parts.slice(at + 1);
  return { mailbox: joinDotted(local), host: joinDotted(domain) };
}

function joinDotted(toks: Token[]): string {
  let s = '';
  for (const x of toks) {
    if (x.t === 'special' && x.v !== '.') continue;
    s += x.v;
  }
  return s;
}

/** Display name from phrase tokens: words joined by one space, '.' glued to the word before it. */
function phrase(toks: Token[]): string | null {
  let s = '';
  for (const x of toks) {
    if (x.t === 'comment') continue;
    if (x.t === 'special') {
      if (x.v === '.') s += '.';
      continue;
    }
    if (s && !s.endsWith('.')) s += ' ';
    else if (s.endsWith('.') && s.length > 1) s += ' ';
    s += x.v;
  }
  s = s.trim();
  return s === '' ? null : s;
}

function lastComment(toks: Token[]): string | null {
  for (let k = toks.length - 1; k >= 0; k--) {
    const x = toks[k]!;
    if (x.t === 'comment' && x.v) return x.v;
  }
  return null;
}

function findLastIndex<T>(a: T[], f: (x: T) => boolean): number {
  for (let k = a.length - 1; k >= 0; k--) if (f(a[k]!)) return k;
  return -1;
}
