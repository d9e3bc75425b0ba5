import { describe, expect, it } from 'vitest';
import { decodeCharset, decodeEncodedWords, decodeQuotedPrintable, decodeTransfer } from '../../src/mime/index.ts';

describe('RFC 2047 encoded words', () => {
  const cases: [string, string, string][] = [
    ['Q, UTF-8', '=?UTF-8?Q?R=C3=A9sum=C3=A9?=', 'Résumé'],
    ['Q underscore is space', '=?utf-8?q?a_b?=', 'a b'],
    ['B, UTF-8', '=?UTF-8?B?0J/RgNC40LLQtdGC?= world', 'Привет world'],
    ['ISO-8859-1', '=?ISO-8859-1?Q?Andr=E9?= <a@b>', 'André <a@b>'],
    ['whitespace between adjacent words dropped', '=?utf-8?q?a?=  \r\n =?utf-8?q?b?=', 'ab'],
    ['text between words kept', '=?utf-8?q?a?= x =?utf-8?q?b?=', 'a x b'],
    ['multi-byte char split across two B words', '=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=', 'éé'],
    ['split UTF-8 bytes across Q words', '=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=', 'é'],
    ['different charsets side by side', '=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=', 'éé'],
    ['RFC 2231 language suffix', '=?UTF-8*fr?Q?=C3=A9t=C3=A9?=', 'été'],
    ['unknown charset falls back', '=?x-nope?Q?abc?=', 'abc'],
    ['malformed word left alone', '=?utf-8?X?abc?= =?utf-8?q?unterminated', '=?utf-8?X?abc?= =?utf-8?q?unterminated'],
    ['no words', 'plain text', 'plain text'],
  ];
  it.each(cases)('%s', (_n, input, expected) => {
    expect(decodeEncodedWords(input)).toBe(expected);
  });
});

describe('transfer and charset decoding', () => {
  it('quoted-printable: =XX, soft breaks (CRLF, LF, trailing blanks), bad escapes kept', () => {
    expect(decodeQuotedPrintable(Buffer.from('a=3Db=\r\nc= \t\r\nd=\ne=ZZ=4')).toString('latin1')).toBe('a=bcde=ZZ=4');
  });
  it('base64 ignores line breaks', () => {
    expect(decodeTransfer(Buffer.from('aGVs\r\nbG8='), 'BASE64').toString()).toBe('hello');
  });
  it('7bit / 8bit / unknown pass through unchanged', () => {
    const b = Buffer.from('=41');
    expect(decodeTransfer(b, '7bit')).toBe(b);
    expect(decodeTransfer(b, null)).toBe(b);
    expect(decodeTransfer(b, 'x-uuencode')).toBe(b);
  });
  it('charsets: windows-1252, koi8-r, unknown label', () => {
    expect(decodeCharset(Buffer.from([0x80]), 'windows-1252')).toBe('€');
    expect(decodeCharset(Buffer.from([0xf0]), 'KOI8-R')).toBe('П');
    expect(decodeCharset(Buffer.from('héllo'), 'x-unknown')).toBe('héllo');
    expect(decodeCharset(Buffer.from([0xe9]), 'x-unknown')).toBe('é');
  });
});
