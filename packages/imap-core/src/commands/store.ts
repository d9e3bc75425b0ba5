// tag [UID] STORE set [+|-]FLAGS[.SILENT] (flags)   (RFC 3501 §6.4.6; IMAP.md M42)
// `\Recent` cannot be stored (BAD); UIDs that do not exist are ignored; UID STORE reports UID.
import type { StoreMode } from '../backend.ts';
import { defineCommand } from '../command.ts';
import { ImapError } from '../errors.ts';
import { atom, type ImapValue } from '../wire/value.ts';
import { requireView, resolveSet } from './sets.ts';

const MODES: Record<string, StoreMode> = { '+': 'add', '-': 'remove', '': 'replace' };

export const store = defineCommand({
  names: ['STORE', 'UID STORE'],
  states: ['selected'],
  parse(dec) {
    const set = dec.sp().numSet();
    dec.sp();
    const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(dec.keyword());
    if (!m) return dec.fail('Expected FLAGS, +FLAGS or -FLAGS');
    dec.sp();
    const flags = dec.peek() === 0x28 ? dec.flagList() : [dec.flag()];
    while (dec.maybeSp()) flags.push(dec.flag());
    dec.end();
    if (flags.some((f) => f === '\\Recent' || f === '\\*')) dec.fail('\\Recent and \\* cannot be stored');
    if (flags.some((f) => f.startsWith('\\') && !['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'].includes(f))) {
      dec.fail('Unknown system flag');
    }
    return { set, mode: MODES[m[1]!]!, silent: m[2] !== undefined, flags };
  },
  async run({ conn, numKind }, { set, mode, silent, flags }) {
    const view = requireView(conn);
    if (flags.some((f) => Buffer.byteLength(f) > conn.limits.maxKeywordBytes)) throw ImapError.no('Keyword too long', 'LIMIT');
    if (view.readOnly) throw ImapError.no('Mailbox is read-only', 'READ-ONLY');
    const uids = resolveSet(view, set, numKind);
    if (uids.length === 0) return;
    await conn.backendSession.store({ uids, mode, flags }, async (changed) => {
      if (silent) return;
      const seq = view.seqOf(changed.uid);
      if (seq === 0) return;
      const items: ImapValue[] = numKind === 'uid' ? [atom('UID'), changed.uid] : [];
      items.push(atom('FLAGS'), changed.flags.map(atom));
      conn.send([seq, atom('FETCH'), items]);
      await conn.drain();
    });
  },
});
