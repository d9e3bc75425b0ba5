// tag [UID] FETCH set items   (RFC 3501 §6.4.5, §6.4.8; IMAP.md M32–M35)
// UID FETCH always returns UID; non-PEEK body items set \Seen first (not under EXAMINE) and then
// report FLAGS. Messages stream one by one from the backend, with output backpressure.
import type { FetchedMessage } from '../backend.ts';
import { defineCommand } from '../command.ts';
import { bodyStructure, envelope, formatInternalDate, parseMime, sectionBytes, type MimeNode } from '../mime/index.ts';
import type { SectionSpec } from '../mime/section-spec.ts';
import { parseFetchItems, type FetchItem } from '../wire/fetch-items.ts';
import { atom, type ImapValue } from '../wire/value.ts';
import { requireView, resolveSet } from './sets.ts';

const SETS_SEEN = (item: FetchItem): boolean =>
  (item.kind === 'SECTION' && !item.peek) || item.kind === 'RFC822' || item.kind === 'RFC822.TEXT';
const NEEDS_RAW = (item: FetchItem): boolean =>
  item.kind === 'SECTION' || item.kind === 'RFC822' || item.kind === 'RFC822.HEADER' || item.kind === 'RFC822.TEXT' || item.kind === 'BODY';

const HEADER: SectionSpec = { part: [], text: 'HEADER' };
const TEXT: SectionSpec = { part: [], text: 'TEXT' };

/** Section bytes as a value: NIL for a part that does not exist, `""` for empty data (T14, T15). */
function sectionValue(bytes: Buffer | null): ImapValue {
  if (bytes === null) return null;
  return bytes.length === 0 ? '' : bytes;
}

class MessageItems {
  private root: MimeNode | null = null;
  constructor(private readonly msg: FetchedMessage) {}

  private get raw(): Buffer {
    if (!this.msg.raw) throw new Error(`backend returned message ${this.msg.uid} without raw octets`);
    return this.msg.raw;
  }
  private get mime(): MimeNode {
    return (this.root ??= parseMime(this.raw));
  }

  value(item: FetchItem): ImapValue[] {
    const m = this.msg;
    switch (item.kind) {
      case 'UID':
        return [atom('UID'), m.uid];
      case 'FLAGS':
        return [atom('FLAGS'), m.flags.map(atom)];
      case 'INTERNALDATE':
        return [atom('INTERNALDATE'), formatInternalDate(m.internalDate, m.internalDateTzOffset ?? 0)];
      case 'RFC822.SIZE':
        return [atom('RFC822.SIZE'), m.size];
      case 'ENVELOPE':
        // Without a parsed tree yet, envelope() reads only the top header block: much cheaper for
        // the common `UID FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)` sync.
        return [atom('ENVELOPE'), m.envelope ?? envelope(this.raw, this.root ?? undefined)];
      case 'BODYSTRUCTURE':
        return [atom('BODYSTRUCTURE'), m.bodyStructure ?? bodyStructure(this.raw, this.mime, true)];
      case 'BODY':
        return [atom('BODY'), bodyStructure(this.raw, this.mime, false)];
      case 'RFC822':
        return [atom('RFC822'), sectionValue(this.raw)];
      case 'RFC822.HEADER':
        return [atom('RFC822.HEADER'), sectionValue(sectionBytes(this.raw, this.mime, HEADER))];
      case 'RFC822.TEXT':
        return [atom('RFC822.TEXT'), sectionValue(sectionBytes(this.raw, this.mime, TEXT))];
      case 'SECTION': {
        let bytes = sectionBytes(this.raw, this.mime, item.section);
        if (bytes && item.partial) {
          const { origin, count } = item.partial;
          bytes = origin >= bytes.length ? Buffer.alloc(0) : bytes.subarray(origin, origin + count);
        }
        return [atom(item.label), sectionValue(bytes)];
      }
    }
  }
}

export const fetch = defineCommand({
  names: ['FETCH', 'UID FETCH'],
  states: ['selected'],
  parse(dec) {
    const set = dec.sp().numSet();
    const items = parseFetchItems(dec.sp());
    dec.end();
    return { set, items };
  },
  async run({ conn, numKind }, { set, items: requested }) {
    const view = requireView(conn);
    const session = conn.backendSession;
    const uids = resolveSet(view, set, numKind);
    const items = [...requested];
    if (numKind === 'uid' && !items.some((i) => i.kind === 'UID')) items.unshift({ kind: 'UID' });
    const markSeen = !view.readOnly && items.some(SETS_SEEN);
    if (markSeen && !items.some((i) => i.kind === 'FLAGS')) items.push({ kind: 'FLAGS' });
    if (uids.length === 0) return;
    if (markSeen) await session.store({ uids, mode: 'add', flags: ['\\Seen'] }, async () => {});
    const request = {
      uids,
      raw: items.some(NEEDS_RAW),
      envelope: items.some((i) => i.kind === 'ENVELOPE'),
      bodyStructure: items.some((i) => i.kind === 'BODYSTRUCTURE'),
    };
    await session.fetch(request, async (msg) => {
      const seq = view.seqOf(msg.uid);
      if (seq === 0) return;
      const values = new MessageItems(msg);
      conn.send([seq, atom('FETCH'), items.flatMap((item) => values.value(item))]);
      await conn.drain();
    });
  },
});
