import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatInternalDate,
  normalizeLineEndings,
  parseInternalDate,
  partialRange,
} from '../../src/mime/index.ts';

describe('normalizeLineEndings', () => {
  const cases: [string, string, string][] = [
    ['bare LF', 'a\nb\n', 'a\r\nb\r\n'],
    ['bare CR', 'a\rb\r', 'a\r\nb\r\n'],
    ['mixed', 'a\r\nb\nc\rd', 'a\r\nb\r\nc\r\nd'],
    ['CR CR LF', 'a\r\r\nb', 'a\r\n\r\nb'],
    ['LF first', '\nx', '\r\nx'],
    ['LF CR', 'a\n\rb', 'a\r\n\r\nb'],
    ['8-bit kept', 'caf\xe9\n', 'caf\xe9\r\n'],
  ];
  it.each(cases)('%s', (_n, input, expected) => {
    expect(normalizeLineEndings(Buffer.from(input, 'latin1')).toString('latin1')).toBe(expected);
  });

  it('returns the same Buffer when already canonical', () => {
    const b = Buffer.from('a\r\nb\r\n\r\nc');
    expect(normalizeLineEndings(b)).toBe(b);
    const empty = Buffer.alloc(0);
    expect(normalizeLineEndings(empty)).toBe(empty);
  });

  it('property: output has only CRLF pairs, is idempotent, and keeps every non-CR/LF byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        const out = normalizeLineEndings(Buffer.from(bytes));
        for (let i = 0; i < out.length; i++) {
          if (out[i] === 0x0d) expect(out[i + 1]).toBe(0x0a);
          if (out[i] === 0x0a) expect(out[i - 1]).toBe(0x0d);
        }
        expect(normalizeLineEndings(out)).toBe(out);
        const strip = (b: Uint8Array): number[] => [...b].filter((c) => c !== 0x0d && c !== 0x0a);
        expect(strip(out)).toEqual(strip(bytes));
      }),
    );
  });
});

describe('INTERNALDATE', () => {
  it('formats with a two-digit day and the zone', () => {
    const d = new Date(Date.UTC(2025, 5, 2, 10, 0, 5));
    expect(formatInternalDate(d)).toBe('02-Jun-2025 10:00:05 +0000');
    expect(formatInternalDate(d, 120)).toBe('02-Jun-2025 12:00:05 +0200');
    expect(formatInternalDate(d, -630)).toBe('01-Jun-2025 23:30:05 -1030');
  });

  const good: [string, string, number][] = [
    ['02-Jun-2025 10:00:00 +0000', '2025-06-02T10:00:00.000Z', 0],
    [' 2-Jun-2025 10:00:00 +0000', '2025-06-02T10:00:00.000Z', 0],
    ['2-jun-2025 10:00:00 +0000', '2025-06-02T10:00:00.000Z', 0],
    ['02-JUN-2025 12:00:00 +0200', '2025-06-02T10:00:00.000Z', 120],
    ['31-Dec-1999 23:59:59 -0130', '2000-01-01T01:29:59.000Z', -90],
    ['29-Feb-2024 00:00:00 +0000', '2024-02-29T00:00:00.000Z', 0],
  ];
  it.each(good)('parses %j', (s, iso, tz) => {
    const p = parseInternalDate(s);
    expect(p?.date.toISOString()).toBe(iso);
    expect(p?.tzOffsetMinutes).toBe(tz);
  });

  const bad = [
    '',
    '02-Jun-2025',
    '02-Jnu-2025 10:00:00 +0000',
    '29-Feb-2025 10:00:00 +0000',
    '32-Jan-2025 10:00:00 +0000',
    '02-Jun-2025 24:00:00 +0000',
    '02-Jun-2025 10:60:00 +0000',
    '02-Jun-2025 10:00:00 +0060',
    '02-Jun-2025 10:00:00 0000',
    '"02-Jun-2025 10:00:00 +0000"',
    '002-Jun-2025 10:00:00 +0000',
  ];
  it.each(bad)('rejects %j', (s) => {
    expect(parseInternalDate(s)).toBeNull();
  });

  it('property: parse(format(d, tz)) round-trips to the second', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
        fc.integer({ min: -720, max: 840 }),
        (d, tz) => {
          const p = parseInternalDate(formatInternalDate(d, tz));
          expect(p?.tzOffsetMinutes).toBe(tz);
          expect(p?.date.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
        },
      ),
    );
  });
});

describe('partialRange (M34)', () => {
  const cases: [number, number, number, number, number][] = [
    [688, 0, 100, 0, 100],
    [688, 680, 100, 680, 688],
    [688, 688, 100, 688, 688],
    [688, 1000, 5, 688, 688],
    [688, 0, 65536, 0, 688],
    [10, 3, 0, 3, 3],
  ];
  it.each(cases)('size %d <%d.%d> is [%d, %d)', (size, origin, count, start, end) => {
    expect(partialRange(size, { origin, count })).toEqual({ start, end });
  });
});
