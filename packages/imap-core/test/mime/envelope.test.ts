import { describe, expect, it } from 'vitest';
import { envelope, parseAddressList, parseMime } from '../../src/mime/index.ts';
import { encode, encodeString } from './encode.ts';

const msg = (headers: string[]): Buffer => Buffer.from([...headers, '', 'body'].join('\r\n'), 'latin1');
const env = (headers: string[]): string => {
  const raw = msg(headers);
  return encodeString(envelope(raw, parseMime(raw)));
};
/** The encoded address list at ENVELOPE position `i` (2 = from … 7 = bcc). */
const addrs = (header: string): string => {
  const raw = msg(['From: x@y.z', header]);
  const v = envelope(raw, parseMime(raw)) as unknown[];
  const name = header.split(':')[0]!.toLowerCase();
  const idx = { from: 2, sender: 3, 'reply-to': 4, to: 5, cc: 6, bcc: 7 }[name]!;
  return encodeString(v[idx] as never);
};

describe('ENVELOPE', () => {
  it('absent fields are NIL; Sender and Reply-To default to From', () => {
    expect(env(['From: a@b.c'])).toBe(
      '(NIL NIL ((NIL NIL "a" "b.c")) ((NIL NIL "a" "b.c")) ((NIL NIL "a" "b.c")) NIL NIL NIL NIL NIL)',
    );
  });

  it('empty Sender / Reply-To also default to From; explicit ones are kept', () => {
    expect(env(['From: a@b.c', 'Sender:', 'Reply-To: r@b.c'])).toBe(
      '(NIL NIL ((NIL NIL "a" "b.c")) ((NIL NIL "a" "b.c")) ((NIL NIL "r" "b.c")) NIL NIL NIL NIL NIL)',
    );
  });

  it('all ten fields in order, folded values unfolded, RFC 2047 words kept raw', () => {
    expect(
      env([
        'Date: Tue, 3 Jun 2025',
        '  08:00:00 -0700',
        'Subject: =?ISO-8859-1?Q?caf=E9?=',
        'From: a@b.c',
        'Sender: s@b.c',
        'Reply-To: r@b.c',
        'To: t@b.c',
        'Cc: c@b.c',
        'Bcc: bb@b.c',
        'In-Reply-To: <p@b.c>',
        'Message-ID: <m@b.c>',
      ]),
    ).toBe(
      '("Tue, 3 Jun 2025  08:00:00 -0700" "=?ISO-8859-1?Q?caf=E9?=" ((NIL NIL "a" "b.c")) ((NIL NIL "s" "b.c"))' +
        ' ((NIL NIL "r" "b.c")) ((NIL NIL "t" "b.c")) ((NIL NIL "c" "b.c")) ((NIL NIL "bb" "b.c")) "<p@b.c>" "<m@b.c>")',
    );
  });

  it('a Subject with " and \\ is escaped in the quoted string', () => {
    const raw = msg(['Subject: say "hi" \\o/']);
    const v = envelope(raw, parseMime(raw)) as unknown[];
    expect(v[1]).toBe('say "hi" \\o/');
    expect(encodeString(v[1] as string)).toBe('"say \\"hi\\" \\\\o/"');
  });

  it('a raw 8-bit Subject stays its original bytes (a Buffer, written as a literal)', () => {
    const raw = Buffer.concat([Buffer.from('Subject: R'), Buffer.from([0xc3, 0xa9]), Buffer.from('sum\r\n\r\nx')]);
    const v = envelope(raw, parseMime(raw)) as unknown[];
    expect(Buffer.isBuffer(v[1])).toBe(true);
    expect(encode(v[1] as Buffer).equals(Buffer.from([...Buffer.from('{6}\r\nR'), 0xc3, 0xa9, ...Buffer.from('sum')]))).toBe(
      true,
    );
  });

  it('trims only ASCII whitespace: a Subject ending in UTF-8 "à" (C3 A0) keeps its last octet', () => {
    const raw = Buffer.concat([Buffer.from('Subject: voil'), Buffer.from([0xc3, 0xa0]), Buffer.from(' \r\n\r\nx')]);
    const v = envelope(raw, parseMime(raw)) as unknown[];
    expect((v[1] as Buffer).equals(Buffer.from('voilà'))).toBe(true);
  });

  const addressCases: [string, string][] = [
    ['To: grp: a@b.c;', '((NIL NIL "grp" NIL)(NIL NIL "a" "b.c")(NIL NIL NIL NIL))'],
    ['To: undisclosed-recipients:;', '((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL))'],
    [
      'To: A Group: "x" <x@y.z>, w@v.u; , after@b.c',
      '((NIL NIL "A Group" NIL)("x" NIL "x" "y.z")(NIL NIL "w" "v.u")(NIL NIL NIL NIL)(NIL NIL "after" "b.c"))',
    ],
    ['To: "Doe, John" <john@example.com>', '(("Doe, John" NIL "john" "example.com"))'],
    ['To: John Q. Public <jqp@example.com>', '(("John Q. Public" NIL "jqp" "example.com"))'],
    ['To: john@example.com (John Doe)', '(("John Doe" NIL "john" "example.com"))'],
    ['To: "Quoted \\"Name\\"" <q@b.c>', '(("Quoted \\"Name\\"" NIL "q" "b.c"))'],
    ['To: =?UTF-8?B?w6k=?= <e@b.c>', '(("=?UTF-8?B?w6k=?=" NIL "e" "b.c"))'],
    ['To: <@r1.x,@r2.y:route@b.c>', '((NIL "@r1.x,@r2.y" "route" "b.c"))'],
    ['To: a@b.c, , c@d.e', '((NIL NIL "a" "b.c")(NIL NIL "c" "d.e"))'],
    ['To: justlocal', '((NIL NIL "justlocal" "MISSING_DOMAIN"))'],
    ['To: Name <>', '(("Name" NIL "MISSING_MAILBOX" "MISSING_DOMAIN"))'],
    ['To: "john doe"@example.com', '((NIL NIL "john doe" "example.com"))'],
    ['To: a@[127.0.0.1]', '((NIL NIL "a" "[127.0.0.1]"))'],
    ['To: a @ b . c', '((NIL NIL "a" "b.c"))'],
    ['To: "unterminated <u@b.c>', '((NIL NIL "unterminated <u@b.c>" "MISSING_DOMAIN"))'],
  ];
  it.each(addressCases)('%s', (header, expected) => {
    expect(addrs(header)).toBe(expected);
  });

  it('an empty To: is NIL', () => {
    expect(addrs('To:  ')).toBe('NIL');
  });

  it('parseAddressList never throws on garbage', () => {
    for (const s of ['<<<', '>>>', ':::;;;', '(((', '"', '\\', '@', '<@', 'a:b:c;d;', '\x00\xff']) {
      expect(() => parseAddressList(s)).not.toThrow();
    }
  });
});
