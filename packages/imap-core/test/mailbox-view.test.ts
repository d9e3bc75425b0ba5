import { describe, expect, it } from 'vitest';
import { MailboxView } from '../src/mailbox-view.ts';
import type { ImapValue } from '../src/wire/value.ts';
import { Atom } from '../src/wire/value.ts';

const lines = (items: ImapValue[][]) =>
  items.map((i) => i.map((v) => (v instanceof Atom ? v.value : String(v))).join(' '));

function collect() {
  const sent: ImapValue[][] = [];
  return { sent, send: (items: ImapValue[]) => void sent.push(items) };
}

describe('MailboxView', () => {
  it('counts RECENT over what is still in the mailbox after expunges', () => {
    // UIDs 1..4 selected, the last two \Recent for this session.
    const view = new MailboxView('INBOX', false, 1, [1, 2, 3, 4], 4n, 2);
    const out = collect();
    view.removeExpunged([3, 4], out.send);
    expect(view.recent).toBe(0);

    view.apply({ highestModseq: 6n, changes: [{ kind: 'added', uid: 5, modseq: 6n, recent: true }] });
    view.flush(out.send, true);
    expect(lines(out.sent).slice(-2)).toEqual(['3 EXISTS', '1 RECENT']);
  });

  it('never reports more RECENT than EXISTS when recent messages come and go', () => {
    const view = new MailboxView('INBOX', false, 1, [], 1n, 0);
    const out = collect();
    for (let uid = 1; uid <= 6; uid++) {
      view.apply({ highestModseq: BigInt(uid + 1), changes: [{ kind: 'added', uid, modseq: BigInt(uid + 1), recent: true }] });
      view.flush(out.send, true);
      if (uid % 2 === 0) view.removeExpunged([uid - 1, uid], out.send);
    }
    expect(view.exists).toBe(0);
    expect(view.recent).toBe(0);
    // Each arrival is announced as EXISTS then RECENT; RECENT never exceeds the EXISTS before it.
    const sent = lines(out.sent);
    const pairs = sent.flatMap((l, i) => (l.endsWith('RECENT') ? [[Number(sent[i - 1]!.split(' ')[0]), Number(l.split(' ')[0])]] : []));
    expect(pairs).toEqual([[1, 1], [2, 2], [1, 1], [2, 2], [1, 1], [2, 2]]);
  });

  it('keeps messages recent that arrived before SELECT as the highest UIDs', () => {
    const view = new MailboxView('INBOX', false, 1, [10, 11, 12], 3n, 1);
    const out = collect();
    view.removeExpunged([10, 11], out.send); // not recent: the count stays
    expect(view.recent).toBe(1);
    view.removeExpunged([12], out.send);
    expect(view.recent).toBe(0);
  });
});
