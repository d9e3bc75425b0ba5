import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyStructure, envelope, parseMime, partialSlice, sectionBytes } from '../../src/mime/index.ts';
import type { SectionSpec } from '../../src/mime/section-spec.ts';
import { encodeString } from './encode.ts';

// The IMAP.md §6 fixture: every number below is from its "Derived" line and vectors T12–T15.
const raw = readFileSync(new URL('../fixtures/m1.eml', import.meta.url));
const root = parseMime(raw);

const T12_FIELDS =
  'From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To'.split(
    ' ',
  );

describe('m1.eml fixture', () => {
  it('is the 688-octet fixture IMAP.md describes', () => {
    expect(raw.length).toBe(688);
    expect(createHash('sha256').update(raw).digest('hex')).toMatch(/^aecb5a65bb00e86a.*b23eaa5e$/);
  });

  const sections: [string, SectionSpec, number, string?][] = [
    ['BODY[HEADER]', { part: [], text: 'HEADER' }, 238],
    ['BODY[TEXT]', { part: [], text: 'TEXT' }, 450],
    ['BODY[]', { part: [] }, 688],
    ['BODY[1.1]', { part: [1, 1] }, 15, 'Hello=20world\r\n'],
    ['BODY[1.2]', { part: [1, 2] }, 14, '<p>Hello</p>\r\n'],
    ['BODY[2]', { part: [2] }, 14, 'JVBERi0xLjQK\r\n'],
    ['BODY[1.1.MIME]', { part: [1, 1], text: 'MIME' }, 88],
    ['BODY[2.MIME]', { part: [2], text: 'MIME' }, 154],
    [
      'BODY[HEADER.FIELDS (SUBJECT MESSAGE-ID)]',
      { part: [], text: 'HEADER.FIELDS', fields: ['SUBJECT', 'MESSAGE-ID'] },
      71,
      'Subject: =?UTF-8?Q?R=C3=A9sum=C3=A9?=\r\nMessage-ID: <m1@example.com>\r\n\r\n',
    ],
    ['T12 BODY[HEADER.FIELDS (From … Reply-To)]', { part: [], text: 'HEADER.FIELDS', fields: T12_FIELDS }, 219],
  ];
  it.each(sections)('%s is %d octets', (_name, spec, size, text) => {
    const b = sectionBytes(raw, root, spec);
    expect(b).not.toBeNull();
    expect(b!.length).toBe(size);
    if (text !== undefined) expect(b!.toString('latin1')).toBe(text);
  });

  it('HEADER + TEXT is the whole message', () => {
    const h = sectionBytes(raw, root, { part: [], text: 'HEADER' })!;
    const t = sectionBytes(raw, root, { part: [], text: 'TEXT' })!;
    expect(Buffer.concat([h, t]).equals(raw)).toBe(true);
  });

  it('T12 field list keeps the original order and ends with the blank line', () => {
    const b = sectionBytes(raw, root, { part: [], text: 'HEADER.FIELDS', fields: T12_FIELDS })!.toString();
    const names = b.split('\r\n').map((l) => l.split(':')[0]);
    expect(names).toEqual(['From', 'To', 'Subject', 'Date', 'Message-ID', 'Content-Type', '', '']);
  });

  it('HEADER.FIELDS.NOT is the complement (plus one blank line)', () => {
    const b = sectionBytes(raw, root, { part: [], text: 'HEADER.FIELDS.NOT', fields: T12_FIELDS })!.toString();
    expect(b).toBe('MIME-Version: 1.0\r\n\r\n');
  });

  it('BODY[1] is the alternative body including its --inner lines, without the CRLF before --outer', () => {
    const b = sectionBytes(raw, root, { part: [1] })!.toString();
    expect(b.startsWith('--inner\r\n')).toBe(true);
    expect(b.endsWith('--inner--\r\n')).toBe(true);
  });

  it('BODY[3], BODY[1.3] and BODY[2.1] do not exist', () => {
    expect(sectionBytes(raw, root, { part: [3] })).toBeNull();
    expect(sectionBytes(raw, root, { part: [1, 3] })).toBeNull();
    expect(sectionBytes(raw, root, { part: [2, 1] })).toBeNull();
    expect(sectionBytes(raw, root, { part: [0] })).toBeNull();
  });

  it('the root parses its body lazily, and the tree is the same either way', () => {
    const lazy = parseMime(raw);
    // JSON goes through toJSON: public fields only (no parser state, no raw bytes), body parsed.
    const json = JSON.parse(JSON.stringify(lazy)) as { children: { children: unknown[] }[]; pending?: unknown };
    expect(json.pending).toBeUndefined();
    expect(json.children).toHaveLength(2);
    expect(json.children[0]!.children).toHaveLength(2);
    expect(JSON.stringify(parseMime(raw))).toBe(JSON.stringify(root));
  });

  it('section bytes are zero-copy views of the raw message', () => {
    const b = sectionBytes(raw, root, { part: [2] })!;
    expect(b.buffer).toBe(raw.buffer);
  });

  it('T15 partial windows', () => {
    const all = sectionBytes(raw, root, { part: [] })!;
    expect(partialSlice(all, { origin: 0, count: 100 }).length).toBe(100);
    expect(partialSlice(all, { origin: 680, count: 100 }).toString()).toBe('uter--\r\n');
    expect(partialSlice(all, { origin: 688, count: 100 }).length).toBe(0);
    expect(partialSlice(all, { origin: 0, count: 65536 }).length).toBe(688);
    expect(partialSlice(sectionBytes(raw, root, { part: [1, 1] })!, { origin: 0, count: 5 }).toString()).toBe('Hello');
  });

  it('T13 BODYSTRUCTURE', () => {
    expect(encodeString(bodyStructure(raw, root, true))).toBe(
      '((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 15 1 NIL NIL NIL NIL)' +
        '("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 14 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL)' +
        '("APPLICATION" "PDF" ("NAME" "r.pdf") NIL NIL "BASE64" 14 NIL ("ATTACHMENT" ("FILENAME*" "UTF-8\'\'r%C3%A9sum%C3%A9.pdf"))' +
        ' NIL NIL) "MIXED" ("BOUNDARY" "outer") NIL NIL NIL)',
    );
  });

  it('T13 BODY (no extension data)', () => {
    expect(encodeString(bodyStructure(raw, root, false))).toBe(
      '((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 15 1)' +
        '("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 14 1) "ALTERNATIVE")' +
        '("APPLICATION" "PDF" ("NAME" "r.pdf") NIL NIL "BASE64" 14) "MIXED")',
    );
  });

  it('T13 ENVELOPE', () => {
    const expected =
      '("Mon, 02 Jun 2025 10:00:00 +0000" "=?UTF-8?Q?R=C3=A9sum=C3=A9?=" (("Doe, John" NIL "john" "example.com"))' +
      ' (("Doe, John" NIL "john" "example.com")) (("Doe, John" NIL "john" "example.com"))' +
      ' ((NIL NIL "dev" "sandbox.test")) NIL NIL NIL "<m1@example.com>")';
    expect(encodeString(envelope(raw, root))).toBe(expected);
    // Without a parsed tree only the header block is read; same result.
    expect(encodeString(envelope(raw))).toBe(expected);
  });
});
