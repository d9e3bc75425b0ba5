import { describe, expect, it } from 'vitest';
import { bodyStructure, parseMime, sectionBytes } from '../../src/mime/index.ts';
import { encodeString } from './encode.ts';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'latin1');
const bs = (raw: Buffer, extended = true): string => encodeString(bodyStructure(raw, parseMime(raw), extended));

describe('BODYSTRUCTURE leaves', () => {
  const cases: [string, Buffer, string][] = [
    [
      'no Content-Type: TEXT PLAIN US-ASCII, 7BIT, lines counted',
      crlf(['Subject: x', '', 'one', 'two', '']),
      '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 2 NIL NIL NIL NIL)',
    ],
    [
      'text without params gets CHARSET US-ASCII',
      crlf(['Content-Type: text/html', '', '<b>x</b>']),
      '("TEXT" "HTML" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 0 NIL NIL NIL NIL)',
    ],
    [
      'non-text leaf has no lines; id, description, md5, language, location kept',
      crlf([
        'Content-Type: image/PNG; name=a.png',
        'Content-ID: <img1@x>',
        'Content-Description: a picture',
        'Content-Transfer-Encoding: Base64',
        'Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==',
        'Content-Disposition: inline',
        'Content-Language: en, de',
        'Content-Location: http://x/a.png',
        '',
        'AAAA',
      ]),
      '("IMAGE" "PNG" ("NAME" "a.png") "<img1@x>" "a picture" "BASE64" 4 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("INLINE" NIL) ("en" "de") "http://x/a.png")',
    ],
    [
      'single language is a string',
      crlf(['Content-Type: text/plain; charset=us-ascii', 'Content-Language: fr', '', 'x']),
      '("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 1 0 NIL NIL "fr" NIL)',
    ],
    [
      'RFC 2231 parameters pass through raw, names upper-cased',
      crlf([
        "Content-Type: application/octet-stream; NAME*0*=UTF-8''r%C3%A9; name*1=sum.pdf",
        "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
        '',
        'x',
      ]),
      '("APPLICATION" "OCTET-STREAM" ("NAME*0*" "UTF-8\'\'r%C3%A9" "NAME*1" "sum.pdf") NIL NIL "7BIT" 1 NIL ("ATTACHMENT" ("FILENAME*" "UTF-8\'\'r%C3%A9sum%C3%A9.pdf")) NIL NIL)',
    ],
    [
      'quoted parameter values are unescaped, comments skipped, folded header unfolded',
      crlf(['Content-Type: text/plain (comment);', '\tcharset="utf\\-8"; format=flowed', '', 'x']),
      '("TEXT" "PLAIN" ("CHARSET" "utf-8" "FORMAT" "flowed") NIL NIL "7BIT" 1 0 NIL NIL NIL NIL)',
    ],
    [
      'invalid Content-Type falls back to the default',
      crlf(['Content-Type: garbage', '', 'x']),
      '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1 0 NIL NIL NIL NIL)',
    ],
  ];
  it.each(cases)('%s', (_n, raw, expected) => {
    expect(bs(raw)).toBe(expected);
  });

  it('an 8-bit parameter value becomes a literal with the original bytes', () => {
    const raw = Buffer.concat([
      Buffer.from('Content-Type: application/pdf; name="r'),
      Buffer.from([0xe9]),
      Buffer.from('.pdf"\r\n\r\nx'),
    ]);
    const v = bodyStructure(raw, parseMime(raw), true) as unknown[];
    const params = v[2] as unknown[];
    expect(Buffer.isBuffer(params[1])).toBe(true);
    expect((params[1] as Buffer).equals(Buffer.from([0x72, 0xe9, 0x2e, 0x70, 0x64, 0x66]))).toBe(true);
    expect(bs(raw)).toContain('("NAME" {6}\r\nr\xe9.pdf)');
  });
});

describe('BODYSTRUCTURE containers', () => {
  const nested = crlf([
    'From: a@b.c',
    'Subject: outer',
    'Content-Type: multipart/mixed; boundary=XX',
    '',
    'preamble',
    '--XX',
    'Content-Type: text/plain',
    '',
    'body one',
    '--XX',
    'Content-Type: message/rfc822',
    '',
    'From: "Inner" <in@x.org>',
    'Subject: inner',
    'Content-Type: multipart/alternative; boundary=YY',
    '',
    '--YY',
    '',
    'plain',
    '--YY',
    'Content-Type: text/html',
    '',
    '<i>h</i>',
    '--YY--',
    '--XX--',
    'epilogue',
  ]);
  const root = parseMime(nested);

  it('message/rfc822 nests envelope, body and line count', () => {
    expect(bs(nested, false)).toBe(
      '(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 0)' +
        '("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 158' +
        ' (NIL "inner" (("Inner" NIL "in" "x.org")) (("Inner" NIL "in" "x.org")) (("Inner" NIL "in" "x.org")) NIL NIL NIL NIL NIL)' +
        ' (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 5 0)("TEXT" "HTML" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 0) "ALTERNATIVE") 11)' +
        ' "MIXED")',
    );
  });

  it('the size of the message/rfc822 part is the octets of the encapsulated message', () => {
    const part = sectionBytes(nested, root, { part: [2] })!;
    expect(part.length).toBe(158);
    expect(part.toString().startsWith('From: "Inner"')).toBe(true);
    expect(part.toString().endsWith('--YY--')).toBe(true);
  });

  const sections: [string, Parameters<typeof sectionBytes>[2], string | null][] = [
    ['2.HEADER', { part: [2], text: 'HEADER' }, 'From: "Inner" <in@x.org>\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary=YY\r\n\r\n'],
    ['2.HEADER.FIELDS (SUBJECT)', { part: [2], text: 'HEADER.FIELDS', fields: ['subject'] }, 'Subject: inner\r\n\r\n'],
    ['2.TEXT', { part: [2], text: 'TEXT' }, '--YY\r\n\r\nplain\r\n--YY\r\nContent-Type: text/html\r\n\r\n<i>h</i>\r\n--YY--'],
    ['2.1 (first part of the inner multipart)', { part: [2, 1] }, 'plain'],
    ['2.2', { part: [2, 2] }, '<i>h</i>'],
    ['2.2.MIME', { part: [2, 2], text: 'MIME' }, 'Content-Type: text/html\r\n\r\n'],
    ['2.1.MIME of a part without header lines is its blank line', { part: [2, 1], text: 'MIME' }, '\r\n'],
    ['2.MIME', { part: [2], text: 'MIME' }, 'Content-Type: message/rfc822\r\n\r\n'],
    ['1', { part: [1] }, 'body one'],
    ['1.HEADER of a non-message part', { part: [1], text: 'HEADER' }, null],
    ['1.TEXT of a non-message part', { part: [1], text: 'TEXT' }, null],
    ['MIME of the whole message', { part: [], text: 'MIME' }, null],
    ['2.3', { part: [2, 3] }, null],
  ];
  it.each(sections)('BODY[%s]', (_n, spec, expected) => {
    const b = sectionBytes(nested, root, spec);
    if (expected === null) expect(b).toBeNull();
    else expect(b?.toString('latin1')).toBe(expected);
  });

  it('BODY[1] of a single-part message is its body; BODY[2] does not exist', () => {
    const raw = crlf(['Subject: s', '', 'just text', '']);
    const r = parseMime(raw);
    expect(sectionBytes(raw, r, { part: [1] })?.toString()).toBe('just text\r\n');
    expect(sectionBytes(raw, r, { part: [1], text: 'MIME' })?.toString()).toBe('Subject: s\r\n\r\n');
    expect(sectionBytes(raw, r, { part: [2] })).toBeNull();
  });

  it('a top-level message/rfc822 message: 1 is the inner message, 1.1 its body', () => {
    const raw = crlf(['Content-Type: message/rfc822', '', 'Subject: in', '', 'inner body']);
    const r = parseMime(raw);
    expect(sectionBytes(raw, r, { part: [1] })?.toString()).toBe('Subject: in\r\n\r\ninner body');
    expect(sectionBytes(raw, r, { part: [1], text: 'HEADER' })?.toString()).toBe('Subject: in\r\n\r\n');
    expect(sectionBytes(raw, r, { part: [1, 1] })?.toString()).toBe('inner body');
  });

  it('message/global nests like message/rfc822', () => {
    const raw = crlf(['Content-Type: message/global', '', 'Subject: g', '', 'x']);
    expect(bs(raw, false)).toBe(
      '("MESSAGE" "GLOBAL" NIL NIL NIL "7BIT" 15 (NIL "g" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1 0) 2)',
    );
  });

  it('multipart/digest parts default to message/rfc822', () => {
    const raw = crlf(['Content-Type: multipart/digest; boundary=d', '', '--d', '', 'Subject: a', '', 'x', '--d--']);
    expect(bs(raw, false)).toBe(
      '(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 15 (NIL "a" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1 0) 2) "DIGEST")',
    );
  });

  it('a delimiter must start a line and be followed only by whitespace', () => {
    const raw = crlf([
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      '',
      'x --b not a delimiter',
      '--bb not a delimiter either',
      '--b  ',
      '',
      'second',
      '--b--',
    ]);
    const r = parseMime(raw);
    expect(r.children).toHaveLength(2);
    expect(sectionBytes(raw, r, { part: [1] })?.toString()).toBe('x --b not a delimiter\r\n--bb not a delimiter either');
    expect(sectionBytes(raw, r, { part: [2] })?.toString()).toBe('second');
  });

  it('bare-LF input still splits (lenient), though ingest normalises first', () => {
    const raw = Buffer.from('Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n--b--\n');
    const r = parseMime(raw);
    expect(r.children.map((c) => raw.toString('latin1', c.bodyStart, c.bodyEnd))).toEqual(['one', 'two']);
  });
});
