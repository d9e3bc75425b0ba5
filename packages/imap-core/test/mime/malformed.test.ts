import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_HEADER_BYTES,
  MAX_MIME_DEPTH,
  MAX_MIME_PARTS,
  type MimeNode,
  bodyStructure,
  envelope,
  parseMime,
  sectionBytes,
} from '../../src/mime/index.ts';
import type { SectionSpec } from '../../src/mime/section-spec.ts';
import { encodeString } from './encode.ts';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'latin1');

function depthOf(n: MimeNode): number {
  let d = 0;
  for (const c of n.children) d = Math.max(d, 1 + depthOf(c));
  if (n.message) d = Math.max(d, 1 + depthOf(n.message));
  return d;
}

/** Everything a FETCH could ask for, none of which may throw. */
function exercise(raw: Buffer): void {
  const root = parseMime(raw);
  bodyStructure(raw, root, true);
  bodyStructure(raw, root, false);
  envelope(raw, root);
  envelope(raw);
  const specs: SectionSpec[] = [
    { part: [] },
    { part: [], text: 'HEADER' },
    { part: [], text: 'TEXT' },
    { part: [], text: 'HEADER.FIELDS', fields: ['subject', 'content-type'] },
    { part: [], text: 'HEADER.FIELDS.NOT', fields: ['subject'] },
    { part: [1] },
    { part: [1], text: 'MIME' },
    { part: [1], text: 'HEADER' },
    { part: [1, 1] },
    { part: [2, 1], text: 'TEXT' },
  ];
  for (const s of specs) sectionBytes(raw, root, s);
}

describe('malformed MIME degrades, never throws', () => {
  it('multipart without a boundary parameter is an opaque leaf', () => {
    const raw = crlf(['Content-Type: multipart/mixed', '', '--x', '', 'a', '--x--']);
    const root = parseMime(raw);
    expect(root.children).toHaveLength(0);
    expect(root.opaque).toBe(true);
    expect(encodeString(bodyStructure(raw, root, false))).toBe('("APPLICATION" "OCTET-STREAM" NIL NIL NIL "7BIT" 15)');
    expect(sectionBytes(raw, root, { part: [1] })?.length).toBe(15);
  });

  it('multipart whose boundary never occurs is an opaque leaf', () => {
    const raw = crlf(['Content-Type: multipart/mixed; boundary=zz', '', 'no delimiters here']);
    const root = parseMime(raw);
    expect(root.opaque).toBe(true);
    expect(encodeString(bodyStructure(raw, root, false))).toBe(
      '("APPLICATION" "OCTET-STREAM" ("BOUNDARY" "zz") NIL NIL "7BIT" 18)',
    );
  });

  it('an unterminated multipart ends its last part at the end of the message', () => {
    const raw = crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'one', '--b', '', 'two', 'still two']);
    const root = parseMime(raw);
    expect(root.children).toHaveLength(2);
    expect(sectionBytes(raw, root, { part: [2] })?.toString()).toBe('two\r\nstill two');
  });

  it('an inner multipart that never closes stops at the outer delimiter', () => {
    const raw = crlf([
      'Content-Type: multipart/mixed; boundary=o',
      '',
      '--o',
      'Content-Type: multipart/alternative; boundary=i',
      '',
      '--i',
      '',
      'inner',
      '--o',
      '',
      'second outer',
      '--o--',
    ]);
    const root = parseMime(raw);
    expect(root.children).toHaveLength(2);
    expect(sectionBytes(raw, root, { part: [1, 1] })?.toString()).toBe('inner');
    expect(sectionBytes(raw, root, { part: [2] })?.toString()).toBe('second outer');
  });

  it('a depth bomb of 1000 nested multiparts stops at MAX_MIME_DEPTH', () => {
    const lines: string[] = ['Subject: bomb'];
    for (let i = 0; i < 1000; i++) lines.push(`Content-Type: multipart/mixed; boundary=b${i}`, '', `--b${i}`);
    lines.push('', 'leaf');
    for (let i = 999; i >= 0; i--) lines.push(`--b${i}--`);
    const raw = crlf(lines);
    const root = parseMime(raw);
    expect(depthOf(root)).toBe(MAX_MIME_DEPTH);
    expect(() => exercise(raw)).not.toThrow();
    expect(encodeString(bodyStructure(raw, root, true))).toContain('"OCTET-STREAM"');
  });

  it('a depth bomb of nested message/rfc822 stops too', () => {
    const raw = Buffer.from('Content-Type: message/rfc822\r\n\r\n'.repeat(1000) + 'x');
    const root = parseMime(raw);
    expect(depthOf(root)).toBe(MAX_MIME_DEPTH);
    expect(() => exercise(raw)).not.toThrow();
  });

  it(`more than MAX_MIME_PARTS (${MAX_MIME_PARTS}) parts: the rest is one opaque leaf`, () => {
    const lines = ['Content-Type: multipart/mixed; boundary=p', ''];
    for (let i = 0; i < MAX_MIME_PARTS + 50; i++) lines.push('--p', '', `part ${i}`);
    lines.push('--p--');
    const raw = crlf(lines);
    const root = parseMime(raw);
    expect(root.children.length).toBeLessThanOrEqual(MAX_MIME_PARTS);
    expect(root.children.at(-1)?.opaque).toBe(true);
    expect(() => exercise(raw)).not.toThrow();
  });

  it('a header block over 1 MiB: fields stop at the limit, the node is opaque, HEADER/TEXT still split', () => {
    const filler = 'X-Filler: ' + 'a'.repeat(990);
    const lines = ['Subject: big', 'Content-Type: multipart/mixed; boundary=b'];
    const count = Math.ceil(MAX_HEADER_BYTES / 1002) + 10;
    for (let i = 0; i < count; i++) lines.push(filler);
    lines.push('', '--b', '', 'x', '--b--');
    const raw = crlf(lines);
    const root = parseMime(raw);
    expect(root.opaque).toBe(true);
    expect(root.children).toHaveLength(0);
    expect(root.headers.length).toBeLessThan(count + 2);
    const text = sectionBytes(raw, root, { part: [], text: 'TEXT' })!;
    expect(text.toString()).toBe('--b\r\n\r\nx\r\n--b--');
    expect(() => exercise(raw)).not.toThrow();
    expect((envelope(raw, root) as unknown[])[1]).toBe('big');
  });

  it('headers only (no blank line, no body)', () => {
    const raw = Buffer.from('Subject: s\r\nFrom: a@b.c');
    const root = parseMime(raw);
    expect(root.bodyStart).toBe(raw.length);
    expect(sectionBytes(raw, root, { part: [], text: 'TEXT' })?.length).toBe(0);
    expect(sectionBytes(raw, root, { part: [], text: 'HEADER.FIELDS', fields: ['from'] })?.toString()).toBe(
      'From: a@b.c\r\n\r\n',
    );
  });

  it('a body with no header at all', () => {
    const raw = Buffer.from('\r\njust a body');
    const root = parseMime(raw);
    expect(root.headers).toHaveLength(0);
    expect(sectionBytes(raw, root, { part: [], text: 'TEXT' })?.toString()).toBe('just a body');
  });

  const garbage: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['NULs', Buffer.alloc(1000)],
    ['0xff', Buffer.alloc(1000, 0xff)],
    ['lone CRs', Buffer.from('\r\r\r\r')],
    ['colon soup', Buffer.from(':::\r\n::\r\n\r\n')],
    ['boundary only', Buffer.from('Content-Type: multipart/mixed; boundary=""\r\n\r\n--\r\n')],
    ['broken quotes', Buffer.from('Content-Type: text/plain; charset="utf-8\r\nContent-Disposition: ;;;=\r\n\r\n')],
    ['comment bomb', Buffer.from('Content-Type: ' + '('.repeat(10000) + '\r\nFrom: ' + '<'.repeat(10000) + '\r\n\r\n')],
  ];
  it.each(garbage)('binary garbage: %s', (_n, raw) => {
    expect(() => exercise(raw)).not.toThrow();
  });

  it('property: arbitrary bytes never make parseMime, bodyStructure, envelope or sectionBytes throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        exercise(Buffer.from(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('property: MIME-shaped random messages never throw and sections stay inside the message', () => {
    const line = fc.oneof(
      fc.constantFrom(
        '--b',
        '--b--',
        '--c',
        '',
        'Content-Type: multipart/mixed; boundary=b',
        'Content-Type: multipart/alternative; boundary="c"',
        'Content-Type: message/rfc822',
        'Content-Transfer-Encoding: base64',
        'Subject: =?UTF-8?Q?x?=',
        'To: g: a@b;',
        ' folded',
      ),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const raw = crlf(lines);
        exercise(raw);
        const root = parseMime(raw);
        const walk = (n: MimeNode): void => {
          expect(n.headerStart).toBeLessThanOrEqual(n.bodyStart);
          expect(n.bodyStart).toBeLessThanOrEqual(n.bodyEnd);
          expect(n.bodyEnd).toBeLessThanOrEqual(raw.length);
          n.children.forEach(walk);
          if (n.message) walk(n.message);
        };
        walk(root);
      }),
      { numRuns: 300 },
    );
  });
});
