import { describe, expect, it } from 'vitest';
import { DecodeError, ImapError } from '../../src/errors.ts';
import { DEFAULT_LIMITS } from '../../src/limits.ts';
import { Decoder } from '../../src/wire/decoder.ts';
import { parseFetchItems } from '../../src/wire/fetch-items.ts';
import { parseSearchProgram } from '../../src/wire/search-parser.ts';

const dec = (s: string | Buffer): Decoder => new Decoder(Buffer.isBuffer(s) ? s : Buffer.from(s, 'latin1'), DEFAULT_LIMITS);

describe('Decoder tags (M1)', () => {
  it.each([
    ['A0001 NOOP', 'A0001'],
    ['23.34 NOOP', '23.34'],
    ['a]b NOOP', 'a]b'],
  ])('accepts %s', (line, tag) => {
    expect(dec(line).tag()).toBe(tag);
  });
  it.each(['A+1 NOOP', '(a NOOP', ' NOOP', 'a{1 NOOP', 'a*b NOOP'])('rejects %s', (line) => {
    expect(() => dec(line).tag()).toThrow(DecodeError);
  });
});

describe('Decoder astrings (M2)', () => {
  it.each([
    ['atom', 'atom'],
    ['"quoted string"', 'quoted string'],
    ['"p\\"w\\\\x"', 'p"w\\x'],
    ['{5}\r\nhello', 'hello'],
    ['{5+}\r\nhe\r\no', 'he\r\no'],
    ['"Grüße"', 'Grüße'],
  ])('%s', (wire, value) => {
    expect(dec(Buffer.from(wire, 'utf8')).astring()).toBe(value);
  });
  it.each(['"unterminated', '"bad \\x escape"', '{3}\r\nab', '{2}\r\na\0', '(x'])('rejects %s', (wire) => {
    expect(() => dec(wire).astring()).toThrow(DecodeError);
  });
});

describe('Decoder lists and nesting', () => {
  it('parses nested lists', () => {
    const d = dec('(a (b c) ())');
    const item = (): unknown => (d.peek() === 0x28 ? d.list(item) : d.atom());
    expect(item()).toEqual(['a', ['b', 'c'], []]);
  });
  it('rejects unbalanced parentheses', () => {
    const d = dec('(a (b c)');
    const item = (): unknown => (d.peek() === 0x28 ? d.list(item) : d.atom());
    expect(() => item()).toThrow(DecodeError);
  });
  it('bounds nesting depth', () => {
    const d = dec('('.repeat(65) + ')'.repeat(65));
    const item = (): unknown => d.list(item);
    expect(() => item()).toThrow(/nested/);
  });
});

describe('Decoder sequence sets (M6)', () => {
  it.each([
    ['1', [{ start: 1, end: 1 }]],
    ['1:*', [{ start: 1, end: '*' }]],
    ['3:1,5,*:9', [{ start: 3, end: 1 }, { start: 5, end: 5 }, { start: '*', end: 9 }]],
    ['1:4294967295', [{ start: 1, end: 4294967295 }]],
  ])('%s', (wire, set) => {
    expect(dec(wire).numSet()).toEqual(set);
  });
  it.each(['0', '4294967296', '1:', ',1', 'a'])('rejects %s', (wire) => {
    const d = dec(wire);
    expect(() => {
      d.numSet();
      d.end();
    }).toThrow(DecodeError);
  });
  it('bounds the number of elements', () => {
    expect(() => dec(Array.from({ length: 10_001 }, (_, i) => i + 1).join(',')).numSet()).toThrow(/Too many/);
  });
});

describe('Decoder mailbox names (M13)', () => {
  it.each([
    ['inbox', 'INBOX'],
    ['"InBoX"', 'INBOX'],
    ['"Entw&APw-rfe"', 'Entwürfe'],
    ['"A&-B"', 'A&B'],
    ['inbox/sub', 'INBOX/sub'],
  ])('%s', (wire, name) => {
    expect(dec(Buffer.from(wire, 'utf8')).mailbox()).toBe(name);
  });
  it('rejects non-canonical modified UTF-7 with NO', () => {
    expect(() => dec('"Caf&AOk"').mailbox()).toThrow(ImapError);
  });
});

describe('Decoder dates (M23)', () => {
  it.each([
    ['"02-Jun-2025 10:00:00 +0000"', '2025-06-02T10:00:00.000Z'],
    ['" 2-Jun-2025 12:00:00 +0200"', '2025-06-02T10:00:00.000Z'],
    ['"2-jun-2025 05:30:00 -0430"', '2025-06-02T10:00:00.000Z'],
  ])('date-time %s', (wire, iso) => {
    expect(dec(wire).dateTime().toISOString()).toBe(iso);
  });
  it.each([
    ['1-Feb-2025', '2025-02-01'],
    ['"15-Dec-2024"', '2024-12-15'],
  ])('date %s', (wire, day) => {
    expect(dec(wire).date()).toBe(day);
  });
  it('rejects a bad month', () => {
    expect(() => dec('"02-Foo-2025 10:00:00 +0000"').dateTime()).toThrow(DecodeError);
  });
});

describe('SEARCH programs (M38–M41)', () => {
  const parse = (s: string) => parseSearchProgram(dec(Buffer.from(s + '\r\n', 'utf8')));
  it.each([
    ['ALL', { kind: 'all' }],
    ['2:3 NOT DELETED', { kind: 'and', keys: [{ kind: 'seq', set: [{ start: 2, end: 3 }] }, { kind: 'not', key: { kind: 'flag', flag: '\\Deleted', set: true } }] }],
    ['UID 1:*', { kind: 'uid', set: [{ start: 1, end: '*' }] }],
    ['OR FROM a (TO b CC c)', { kind: 'or', left: { kind: 'header', field: 'From', value: 'a' }, right: { kind: 'and', keys: [{ kind: 'header', field: 'To', value: 'b' }, { kind: 'header', field: 'Cc', value: 'c' }] } }],
    ['HEADER Message-ID <x@y>', { kind: 'header', field: 'Message-ID', value: '<x@y>' }],
    ['SINCE 1-Feb-2025', { kind: 'internaldate', op: 'since', date: '2025-02-01' }],
    ['SENTBEFORE "3-Mar-2024"', { kind: 'sentdate', op: 'before', date: '2024-03-03' }],
    ['LARGER 100', { kind: 'size', op: 'larger', size: 100 }],
    ['KEYWORD $label1', { kind: 'flag', flag: '$label1', set: true }],
    ['UNSEEN', { kind: 'flag', flag: '\\Seen', set: false }],
    ['NEW', { kind: 'new' }],
    ['body "x y"', { kind: 'body', value: 'x y' }],
  ])('%s', (wire, key) => {
    expect(parse(wire).key).toEqual(key);
  });
  it('takes CHARSET UTF-8 and refuses other charsets with BADCHARSET', () => {
    expect(parse('CHARSET utf-8 TEXT x').charset).toBe('UTF-8');
    expect(() => parse('CHARSET KOI8-U TEXT x')).toThrow(expect.objectContaining({ code: 'BADCHARSET (US-ASCII UTF-8)' }));
  });
  it('rejects unknown keys and too many keys', () => {
    expect(() => parse('FROB')).toThrow(DecodeError);
    expect(() => parse(Array.from({ length: 1001 }, () => 'ALL').join(' '))).toThrow(/Too many/);
  });
  it('bounds nesting of NOT chains', () => {
    expect(() => parse('NOT '.repeat(70) + 'ALL')).toThrow(/nested/);
  });
});

describe('FETCH items (M32–M34)', () => {
  const parse = (s: string) => parseFetchItems(dec(s));
  it('expands macros', () => {
    expect(parse('ALL').map((i) => i.kind)).toEqual(['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']);
    expect(parse('FAST').map((i) => i.kind)).toEqual(['FLAGS', 'INTERNALDATE', 'RFC822.SIZE']);
    expect(parse('FULL').map((i) => i.kind)).toEqual(['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY']);
  });
  it.each([
    ['BODY[]', { part: [] }, null, 'BODY[]'],
    ['BODY.PEEK[1.2.MIME]', { part: [1, 2], text: 'MIME' }, null, 'BODY[1.2.MIME]'],
    ['body[header.fields (From "To")]<0.10>', { part: [], text: 'HEADER.FIELDS', fields: ['From', 'To'] }, { origin: 0, count: 10 }, 'BODY[HEADER.FIELDS (From To)]<0>'],
    ['BODY[2.TEXT]<5.7>', { part: [2], text: 'TEXT' }, { origin: 5, count: 7 }, 'BODY[2.TEXT]<5>'],
  ])('%s', (wire, section, partial, label) => {
    const [item] = parse(wire);
    expect(item).toMatchObject({ kind: 'SECTION', section, partial, label });
  });
  it.each(['BODY[1.]', 'BODY[MIME]', 'BODY.PEEK', 'BODY[1]<0.0>', 'FROB', '()', 'BINARY[1]'])('rejects %s', (wire) => {
    expect(() => parse(wire)).toThrow(DecodeError);
  });
});
