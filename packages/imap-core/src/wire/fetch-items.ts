/**
 * FETCH attributes (RFC 3501 §6.4.5, §9 `fetch-att`), macros ALL/FAST/FULL, sections and partials.
 */
import type { Partial, SectionSpec } from '../mime/section-spec.ts';
import type { Decoder } from './decoder.ts';
import { encodeAstring } from './encoder.ts';

export type FetchItem =
  | { kind: 'UID' }
  | { kind: 'FLAGS' }
  | { kind: 'INTERNALDATE' }
  | { kind: 'RFC822.SIZE' }
  | { kind: 'ENVELOPE' }
  /** BODY without a section: the non-extensible BODYSTRUCTURE. */
  | { kind: 'BODY' }
  | { kind: 'BODYSTRUCTURE' }
  | { kind: 'RFC822' }
  | { kind: 'RFC822.HEADER' }
  | { kind: 'RFC822.TEXT' }
  /** BODY[…] / BODY.PEEK[…]; `label` is the response item name, e.g. `BODY[1.1]<0>`. */
  | { kind: 'SECTION'; peek: boolean; section: SectionSpec; partial: Partial | null; label: string };

const SIMPLE = new Set(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT']);

const MACROS: Record<string, FetchItem['kind'][]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

export function parseFetchItems(dec: Decoder): FetchItem[] {
  if (dec.peek() === 0x28) return dec.list(() => parseFetchItem(dec), false);
  const start = dec.pos;
  const name = dec.fetchAttName();
  const macro = MACROS[name];
  if (macro && dec.peek() !== 0x5b) return macro.map((kind) => ({ kind }) as FetchItem);
  dec.pos = start;
  return [parseFetchItem(dec)];
}

function parseFetchItem(dec: Decoder): FetchItem {
  const name = dec.fetchAttName();
  if (name === 'BODY' || name === 'BODY.PEEK') {
    if (dec.peek() !== 0x5b) {
      if (name === 'BODY.PEEK') dec.fail('BODY.PEEK needs a section');
      return { kind: 'BODY' };
    }
    const section = parseSection(dec);
    let partial: Partial | null = null;
    if (dec.peek() === 0x3c) {
      dec.pos++;
      const origin = dec.number();
      dec.expectChar('.');
      const count = dec.nzNumber();
      dec.expectChar('>');
      partial = { origin, count };
    }
    const label = `BODY[${sectionLabel(section)}]${partial ? `<${partial.origin}>` : ''}`;
    return { kind: 'SECTION', peek: name === 'BODY.PEEK', section, partial, label };
  }
  if (SIMPLE.has(name)) return { kind: name } as FetchItem;
  dec.fail(`Unknown fetch attribute ${name}`);
}

function parseSection(dec: Decoder): SectionSpec {
  dec.expectChar('[');
  const part: number[] = [];
  while (dec.peek() >= 0x30 && dec.peek() <= 0x39) {
    part.push(dec.nzNumber());
    if (dec.peek() !== 0x2e) break;
    dec.pos++;
  }
  const spec: SectionSpec = { part };
  if (dec.peek() !== 0x5d) {
    if (part.length > 0 && dec.buf[dec.pos - 1] !== 0x2e) dec.fail('Invalid section');
    const text = dec.fetchAttName();
    if (text === 'HEADER' || text === 'TEXT') spec.text = text;
    else if (text === 'MIME' && part.length > 0) spec.text = 'MIME';
    else if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') {
      spec.text = text;
      dec.sp();
      spec.fields = dec.list(() => dec.astring(), false);
    } else dec.fail('Invalid section');
  } else if (part.length > 0 && dec.buf[dec.pos - 1] === 0x2e) {
    dec.fail('Invalid section');
  }
  dec.expectChar(']');
  return spec;
}

export function sectionLabel(section: SectionSpec): string {
  let s = section.part.join('.');
  if (section.text) s += (s ? '.' : '') + section.text;
  if (section.fields) s += ` (${section.fields.map(encodeAstring).join(' ')})`;
  return s;
}
