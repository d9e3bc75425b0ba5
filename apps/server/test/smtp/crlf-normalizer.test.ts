import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrlfNormalizer, normalizeCrlf } from '../../src/smtp/crlf-normalizer.ts';

function streamed(chunks: string[]): string {
  const normalizer = new CrlfNormalizer();
  const out = chunks.map((c) => normalizer.push(Buffer.from(c, 'latin1')));
  out.push(normalizer.end());
  return Buffer.concat(out).toString('latin1');
}

describe('CrlfNormalizer', () => {
  it('turns bare LF and bare CR into CRLF and leaves CRLF alone', () => {
    expect(normalizeCrlf(Buffer.from('a\nb\rc\r\nd\n\re')).toString()).toBe('a\r\nb\r\nc\r\nd\r\n\r\ne');
  });

  it('resolves a CR at the end of one chunk with the first byte of the next', () => {
    expect(streamed(['a\r', '\nb'])).toBe('a\r\nb');
    expect(streamed(['a\r', 'b'])).toBe('a\r\nb');
    expect(streamed(['a\r', '\r', '\n'])).toBe('a\r\n\r\n');
    expect(streamed(['a\r'])).toBe('a\r\n');
    expect(streamed(['a', '\nb'])).toBe('a\r\nb');
  });

  it('returns the very same buffer when nothing needs changing', () => {
    const chunk = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    expect(new CrlfNormalizer().push(chunk)).toBe(chunk);
  });

  it('gives the same bytes however the input is split, with no bare CR or LF left', () => {
    const text = fc.stringMatching(/^[ab\r\n]{0,40}$/);
    fc.assert(
      fc.property(text, fc.array(fc.nat(40), { maxLength: 6 }), (input, cuts) => {
        const points = [...new Set(cuts.map((c) => Math.min(c, input.length)))].sort((x, y) => x - y);
        const chunks: string[] = [];
        let from = 0;
        for (const p of points) {
          chunks.push(input.slice(from, p));
          from = p;
        }
        chunks.push(input.slice(from));
        const whole = normalizeCrlf(Buffer.from(input, 'latin1')).toString('latin1');
        expect(streamed(chunks)).toBe(whole);
        expect(whole.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
        expect(whole.replace(/\r\n/g, '\n')).toBe(input.replace(/\r\n/g, '\n').replace(/\r/g, '\n'));
      }),
    );
  });
});
