import { DecodeError, ImapError } from '../errors.ts';
import { parseInternalDate } from '../mime/internal-date.ts';
import { decodeMutf7 } from './mutf7.ts';
import type { NumSet, SeqNumber } from './num-set.ts';

/**
 * A cursor over one complete command as it came off the wire: the command line with every literal
 * inlined (`{n}` CRLF followed by its n octets), ending in CRLF. The framer (framer.ts) has already
 * checked literal sizes, so the decoder only parses. Every `expect`-style method throws DecodeError,
 * which the connection answers with a tagged BAD.
 */
export interface DecoderLimits {
  maxNestingDepth: number;
  maxSetElements: number;
  maxSearchKeys: number;
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** atom-specials of RFC 3501 §9 besides CTL and SP: `( ) { % * " \ ]`. */
const ATOM_SPECIALS = new Set([0x28, 0x29, 0x7b, 0x25, 0x2a, DQUOTE, BACKSLASH, 0x5d]);
const isAtomChar = (c: number): boolean => c > SP && c < 0x7f && !ATOM_SPECIALS.has(c);
const isAstringChar = (c: number): boolean => isAtomChar(c) || c === 0x5d;
/** list-mailbox also allows the wildcards `%` and `*`. */
const isListChar = (c: number): boolean => isAstringChar(c) || c === 0x25 || c === 0x2a;

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MAX_UINT32 = 4294967295;

export class Decoder {
  pos = 0;
  private depth = 0;

  constructor(
    readonly buf: Buffer,
    readonly limits: DecoderLimits,
  ) {}

  peek(offset = 0): number {
    const i = this.pos + offset;
    return i < this.buf.length ? this.buf[i]! : -1;
  }

  /** True at the terminating CRLF (or the end of input). */
  atEnd(): boolean {
    return this.peek() === CR || this.peek() === -1;
  }

  fail(what: string): never {
    throw new DecodeError(what);
  }

  sp(): this {
    if (this.peek() !== SP) this.fail('Expected a space');
    this.pos++;
    return this;
  }

  maybeSp(): boolean {
    if (this.peek() === SP) {
      this.pos++;
      return true;
    }
    return false;
  }

  end(): void {
    if (this.peek() === CR && this.peek(1) === LF && this.pos + 2 === this.buf.length) return;
    if (this.pos === this.buf.length) return;
    this.fail('Unexpected data at end of command');
  }

  /** Consumes `word` case-insensitively if it comes next and is followed by a delimiter. */
  tryWord(word: string): boolean {
    const len = word.length;
    if (this.buf.length - this.pos < len) return false;
    if (this.buf.toString('latin1', this.pos, this.pos + len).toUpperCase() !== word.toUpperCase()) return false;
    const next = this.peek(len);
    if (next !== -1 && isAstringChar(next) && next !== 0x5d && next !== 0x5b) return false;
    this.pos += len;
    return true;
  }

  expectChar(ch: string): void {
    if (this.peek() !== ch.charCodeAt(0)) this.fail(`Expected "${ch}"`);
    this.pos++;
  }

  private takeWhile(pred: (c: number) => boolean): string {
    const start = this.pos;
    while (this.pos < this.buf.length && pred(this.buf[this.pos]!)) this.pos++;
    return this.buf.toString('latin1', start, this.pos);
  }

  /** tag = 1*<any ASTRING-CHAR except "+"> (IMAP.md M1). */
  tag(): string {
    const t = this.takeWhile((c) => isAstringChar(c) && c !== 0x2b);
    if (t === '' || (this.peek() !== SP && !this.atEnd())) this.fail('Invalid tag');
    return t;
  }

  atom(): string {
    const a = this.takeWhile(isAtomChar);
    if (a === '') this.fail('Expected an atom');
    return a;
  }

  /** A FETCH attribute name such as `BODY.PEEK` or `RFC822.SIZE` (stops before `[`), upper-cased. */
  fetchAttName(): string {
    const name = this.takeWhile((c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2e);
    if (name === '') this.fail('Expected a fetch attribute');
    return name.toUpperCase();
  }

  /** An atom, upper-cased: command names and keywords are case-insensitive. */
  keyword(): string {
    return this.atom().toUpperCase();
  }

  number(): number {
    const digits = this.takeWhile((c) => c >= 0x30 && c <= 0x39);
    if (digits === '' || digits.length > 10) this.fail('Expected a number');
    const n = Number(digits);
    if (n > MAX_UINT32) this.fail('Number out of range');
    return n;
  }

  nzNumber(): number {
    const n = this.number();
    if (n === 0) this.fail('Expected a non-zero number');
    return n;
  }

  private literal(): Buffer {
    this.expectChar('{');
    const n = this.number();
    if (this.peek() === 0x2b) this.pos++;
    this.expectChar('}');
    if (this.peek() !== CR || this.peek(1) !== LF) this.fail('Expected CRLF after literal size');
    this.pos += 2;
    if (this.pos + n > this.buf.length) this.fail('Literal shorter than announced');
    const data = this.buf.subarray(this.pos, this.pos + n);
    if (data.includes(0)) this.fail('NUL in literal');
    this.pos += n;
    return data;
  }

  private quoted(): Buffer {
    this.expectChar('"');
    const bytes: number[] = [];
    for (;;) {
      const c = this.peek();
      if (c === -1 || c === CR || c === LF || c === 0) this.fail('Unterminated quoted string');
      this.pos++;
      if (c === DQUOTE) break;
      if (c === BACKSLASH) {
        const e = this.peek();
        if (e !== DQUOTE && e !== BACKSLASH) this.fail('Invalid escape in quoted string');
        this.pos++;
        bytes.push(e);
      } else bytes.push(c);
    }
    return Buffer.from(bytes);
  }

  /** string = quoted / literal, as octets. */
  stringBytes(): Buffer {
    const c = this.peek();
    if (c === DQUOTE) return this.quoted();
    if (c === 0x7b) return this.literal();
    this.fail('Expected a string');
  }

  astringBytes(): Buffer {
    const c = this.peek();
    if (c === DQUOTE || c === 0x7b) return this.stringBytes();
    const a = this.takeWhile(isAstringChar);
    if (a === '') this.fail('Expected an atom or string');
    return Buffer.from(a, 'latin1');
  }

  astring(): string {
    return this.astringBytes().toString('utf8');
  }

  nstring(): string | null {
    if (this.tryWord('NIL')) return null;
    return this.stringBytes().toString('utf8');
  }

  /** A mailbox name as sent (still modified UTF-7); see `mailbox()` for the decoded name. */
  mailboxWire(): string {
    return this.astring();
  }

  /** A mailbox name decoded from modified UTF-7; `INBOX` in any case becomes `INBOX` (M13). */
  mailbox(): string {
    return decodeMailboxName(this.mailboxWire());
  }

  /** list-mailbox: an atom that may hold `%`/`*`, or a string. */
  listMailbox(): string {
    const c = this.peek();
    if (c === DQUOTE || c === 0x7b) return this.stringBytes().toString('utf8');
    const a = this.takeWhile(isListChar);
    if (a === '') this.fail('Expected a mailbox pattern');
    return a;
  }

  /** `( item *(SP item) )`; `allowEmpty` for lists such as `()` flag lists. */
  list<T>(item: () => T, allowEmpty = true): T[] {
    this.expectChar('(');
    this.enter();
    const items: T[] = [];
    if (this.peek() === 0x29) {
      if (!allowEmpty) this.fail('Empty list');
    } else {
      items.push(item());
      while (this.maybeSp()) items.push(item());
    }
    this.expectChar(')');
    this.leave();
    return items;
  }

  enter(): void {
    if (++this.depth > this.limits.maxNestingDepth) this.fail('Too deeply nested');
  }
  leave(): void {
    this.depth--;
  }

  /** sequence-set (RFC 3501 §9), kept as ranges; numbers are uint32, `*` allowed. */
  numSet(): NumSet {
    const set: NumSet = [];
    do {
      if (set.length >= this.limits.maxSetElements) this.fail('Too many sequence set elements');
      const start = this.seqNumber();
      let end: SeqNumber = start;
      if (this.peek() === 0x3a) {
        this.pos++;
        end = this.seqNumber();
      }
      set.push({ start, end });
    } while (this.peek() === 0x2c && ++this.pos);
    return set;
  }

  private seqNumber(): SeqNumber {
    if (this.peek() === 0x2a) {
      this.pos++;
      return '*';
    }
    return this.nzNumber();
  }

  /** True if the next token looks like a sequence set (a digit or `*`). */
  atNumSet(): boolean {
    const c = this.peek();
    return (c >= 0x30 && c <= 0x39) || c === 0x2a;
  }

  /** A flag: `\System` or a keyword atom. Returned as written, system flags normalised in case. */
  flag(): string {
    if (this.peek() === BACKSLASH) {
      this.pos++;
      if (this.peek() === 0x2a) {
        this.pos++;
        return '\\*';
      }
      return canonicalSystemFlag('\\' + this.atom());
    }
    return this.atom();
  }

  flagList(): string[] {
    return this.list(() => this.flag());
  }

  /** date = date-text / DQUOTE date-text DQUOTE, as YYYY-MM-DD. */
  date(): string {
    const quoted = this.peek() === DQUOTE;
    if (quoted) this.pos++;
    const text = this.takeWhile((c) => isAtomChar(c));
    if (quoted) this.expectChar('"');
    const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
    const month = m ? MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase()) : -1;
    if (!m || month < 0) this.fail('Invalid date');
    return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  }

  /** date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE (M23). */
  dateTime(): Date {
    return this.dateTimeWithZone().date;
  }

  /** date-time with the zone it was written in, in minutes east of UTC. */
  dateTimeWithZone(): { date: Date; tzOffsetMinutes: number } {
    const parsed = parseInternalDate(this.quoted().toString('latin1'));
    if (!parsed) this.fail('Invalid date-time');
    return parsed;
  }
}

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'];

export function canonicalSystemFlag(flag: string): string {
  return SYSTEM_FLAGS.find((f) => f.toLowerCase() === flag.toLowerCase()) ?? flag;
}

/** Decodes a wire mailbox name; non-canonical modified UTF-7 is a NO (T08), `inbox` is `INBOX`. */
export function decodeMailboxName(wire: string): string {
  if (wire.toUpperCase() === 'INBOX') return 'INBOX';
  const name = decodeMutf7(wire);
  if (name === null) throw ImapError.no('Mailbox name is not valid modified UTF-7', 'CANNOT');
  if (name.toUpperCase().startsWith('INBOX/')) return 'INBOX' + name.slice(5);
  return name;
}
