// tag LIST reference pattern | tag LSUB reference pattern   (RFC 3501 §6.3.8–9; RFC 6154; IMAP.md M13–M15)
// `*` matches across `/`, `%` does not; reference and pattern concatenate; `LIST "" ""` returns
// the delimiter. Mailbox names go out in modified UTF-7.
import type { MailboxInfo } from '../backend.ts';
import { defineCommand } from '../command.ts';
import { decodeMutf7, encodeMutf7 } from '../wire/mutf7.ts';
import { compileListPattern } from './list-pattern.ts';
import { atom, type ImapValue } from '../wire/value.ts';

export const DELIMITER = '/';

interface Candidate {
  name: string;
  exists: boolean;
  specialUse: string | null;
}

/** Every existing name plus every ancestor that only exists as a path segment (\Noselect). */
function candidates(mailboxes: MailboxInfo[], extraNames: string[] = []): Candidate[] {
  const byName = new Map<string, Candidate>();
  for (const m of mailboxes) byName.set(m.name, { name: m.name, exists: true, specialUse: m.specialUse ?? null });
  for (const name of [...mailboxes.map((m) => m.name), ...extraNames]) {
    const segments = name.split(DELIMITER);
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join(DELIMITER);
      if (!byName.has(parent)) byName.set(parent, { name: parent, exists: false, specialUse: null });
    }
  }
  const list = [...byName.values()];
  // INBOX first, then the backend's order.
  list.sort((a, b) => Number(b.name === 'INBOX') - Number(a.name === 'INBOX'));
  return list;
}

function attributes(c: Candidate, all: Candidate[]): ImapValue[] {
  const attrs: string[] = [];
  if (!c.exists) attrs.push('\\Noselect');
  const hasChildren = all.some((o) => o.name.startsWith(c.name + DELIMITER));
  attrs.push(hasChildren ? '\\HasChildren' : '\\HasNoChildren');
  if (c.specialUse) attrs.push(c.specialUse);
  return attrs.map(atom);
}

export const list = defineCommand({
  names: ['LIST', 'LSUB'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    const reference = dec.sp().mailboxWire();
    const pattern = dec.sp().listMailbox();
    // Apple Mail pipelines `LIST "" "*" RETURN (SPECIAL-USE)` without checking for LIST-EXTENDED;
    // special-use attributes are always returned, so the option is accepted and needs nothing.
    if (dec.maybeSp()) {
      if (!dec.tryWord('RETURN')) dec.fail('Unexpected LIST arguments');
      dec.sp().list(() => {
        const option = dec.keyword();
        if (option !== 'SPECIAL-USE' && option !== 'CHILDREN') dec.fail(`Unsupported LIST return option ${option}`);
        return option;
      });
    }
    dec.end();
    return { reference, pattern };
  },
  async run({ conn, name }, { reference, pattern }) {
    const session = conn.backendSession;
    const response = atom(name);
    if (pattern === '' && name === 'LIST') {
      conn.send([response, [atom('\\Noselect')], DELIMITER, '']);
      return;
    }
    const full = decodeMutf7(reference + pattern);
    if (full === null) return;
    const matches = compileListPattern(full);
    const mailboxes = await session.listMailboxes();
    const all = candidates(mailboxes);
    if (name === 'LIST') {
      for (const c of all) if (matches(c.name)) conn.send([response, attributes(c, all), DELIMITER, encodeMutf7(c.name)]);
      return;
    }
    const subscribed = new Set(await session.listSubscriptions());
    const byName = new Map(all.map((c) => [c.name, c]));
    for (const s of subscribed) {
      if (!matches(s)) continue;
      const c = byName.get(s) ?? { name: s, exists: false, specialUse: null };
      conn.send([response, attributes(c, all), DELIMITER, encodeMutf7(s)]);
    }
  },
});
