import { describe, expect, it } from 'vitest';
import { encodeResponse } from '../../src/wire/encoder.ts';
import { decodeMutf7, encodeMutf7 } from '../../src/wire/mutf7.ts';
import { atom, type ImapValue } from '../../src/wire/value.ts';
import { tightList } from '../../src/mime/index.ts';

describe('encoder (M3)', () => {
  it.each<[ImapValue[], string]>([
    [[null, 1, 5n, atom('FLAGS')], 'NIL 1 5 FLAGS\r\n'],
    [['plain'], '"plain"\r\n'],
    [['say "hi" \\'], '"say \\"hi\\" \\\\"\r\n'],
    [['Grüße'], '{7}\r\nGrüße\r\n'],
    [['a\r\nb'], '{4}\r\na\r\nb\r\n'],
    [[Buffer.from('xyz')], '{3}\r\nxyz\r\n'],
    [[[atom('A'), [1, 2], []]], '(A (1 2) ())\r\n'],
    [['x'.repeat(1025)], `{1025}\r\n${'x'.repeat(1025)}\r\n`],
  ])('case %#', (items, wire) => {
    expect(encodeResponse(items).toString('utf8')).toBe(wire);
  });
  it('writes the leading lists of a tight list without separators', () => {
    expect(encodeResponse([tightList([[1], [2], 'MIXED', [3]])]).toString()).toBe('((1)(2) "MIXED" (3))\r\n');
  });
});

describe('modified UTF-7 (M13)', () => {
  it.each([
    ['INBOX', 'INBOX'],
    ['Entwürfe', 'Entw&APw-rfe'],
    ['A&B', 'A&-B'],
    ['日本語', '&ZeVnLIqe-'],
    ['a😀b', 'a&2D3eAA-b'],
    ['~peter/mail/台北/日本語', '~peter/mail/&U,BTFw-/&ZeVnLIqe-'],
  ])('%s <-> %s', (name, wire) => {
    expect(encodeMutf7(name)).toBe(wire);
    expect(decodeMutf7(wire)).toBe(name);
  });
  it.each([
    ['Caf&AOk', 'unterminated'],
    ['&AGE-', 'encodes printable ASCII'],
    ['&AOk-&AOk-', 'two adjacent runs'],
    ['&AO-', 'odd octet count'],
    ['&AOl-', 'non-zero padding bits'],
    ['&2D0-', 'lone surrogate'],
    ['a/b', null],
  ])('%s is %s', (wire, why) => {
    if (why === null) expect(decodeMutf7(wire)).toBe('a/b');
    else expect(decodeMutf7(wire)).toBeNull();
  });
  it('rejects raw 8-bit characters', () => {
    expect(decodeMutf7('Entwürfe')).toBeNull();
  });
});
