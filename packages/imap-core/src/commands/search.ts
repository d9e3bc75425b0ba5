// tag [UID] SEARCH [CHARSET cs] keys   (RFC 3501 §6.4.4; IMAP.md M38–M41)
// Sequence-number keys (also inside UID SEARCH) are turned into UID ranges against the view before
// the backend sees the program; out-of-range numbers match nothing (never BAD).
import { defineCommand } from '../command.ts';
import type { MailboxView } from '../mailbox-view.ts';
import type { SearchKey } from '../search/criteria.ts';
import { parseSearchProgram } from '../wire/search-parser.ts';
import { atom } from '../wire/value.ts';
import { requireView } from './sets.ts';

function toUidKeys(key: SearchKey, view: MailboxView): SearchKey {
  switch (key.kind) {
    case 'seq':
      return { kind: 'uid', set: view.resolveSeqSet(key.set, false) };
    case 'uid':
      return { kind: 'uid', set: view.resolveUidSet(key.set) };
    case 'and':
      return { kind: 'and', keys: key.keys.map((k) => toUidKeys(k, view)) };
    case 'or':
      return { kind: 'or', left: toUidKeys(key.left, view), right: toUidKeys(key.right, view) };
    case 'not':
      return { kind: 'not', key: toUidKeys(key.key, view) };
    default:
      return key;
  }
}

export const search = defineCommand({
  names: ['SEARCH', 'UID SEARCH'],
  states: ['selected'],
  parse(dec) {
    dec.sp();
    return parseSearchProgram(dec);
  },
  async run({ conn, numKind }, program) {
    const view = requireView(conn);
    const key = toUidKeys(program.key, view);
    const found = view.exists === 0 ? [] : await conn.backendSession.search({ key, uids: view.allUids() });
    const numbers: number[] = [];
    for (const uid of found) {
      const seq = view.seqOf(uid);
      if (seq > 0) numbers.push(numKind === 'uid' ? uid : seq);
    }
    numbers.sort((a, b) => a - b);
    conn.send([atom('SEARCH'), ...numbers]);
  },
});
