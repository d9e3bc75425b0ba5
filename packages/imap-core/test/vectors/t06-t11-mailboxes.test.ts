import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer, Transcript } from '../../src/testing/transcript.ts';
import { loggedIn, secondClient } from '../helpers/fixture.ts';

let server: TestServer;
let t: Transcript;
afterEach(async () => server?.close());

async function start(): Promise<void> {
  ({ server, t } = await loggedIn());
}

describe('T06 LIST / LSUB / NAMESPACE', () => {
  it('lists the delimiter, the special-use folders, subscriptions and the namespace', async () => {
    await start();
    expect((await t.send('d1 LIST "" ""')).untagged).toEqual(['* LIST (\\Noselect) "/" ""']);
    const six = [
      '* LIST (\\HasNoChildren) "/" "INBOX"',
      '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
      '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
      '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
      '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
      '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
    ];
    expect((await t.send('d2 LIST "" "*"')).untagged).toEqual(six);
    expect((await t.send('d3 LSUB "" "*"')).untagged).toEqual(six.map((l) => l.replace('* LIST', '* LSUB')));
    expect((await t.send('d4 LIST "" "inbox"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "INBOX"']);
    expect((await t.send('d5 NAMESPACE')).untagged).toEqual(['* NAMESPACE (("" "/")) NIL NIL']);
  });

  it('accepts Apple Mail\'s LIST "" "*" RETURN (SPECIAL-USE)', async () => {
    await start();
    const r = await t.send('d6 LIST "" "*" RETURN (SPECIAL-USE)');
    expect(r.untagged).toContain('* LIST (\\HasNoChildren \\Sent) "/" "Sent"');
    expect((await t.send('d7 LIST "" "*" RETURN (STATUS (MESSAGES))')).tagged).toMatch(/^d7 BAD/);
  });

  it('keeps subscriptions, also for names that do not exist', async () => {
    await start();
    await t.send('d1 UNSUBSCRIBE Junk');
    await t.send('d2 SUBSCRIBE Ghost');
    const names = (await t.send('d3 LSUB "" "*"')).untagged.map((l) => l.split(' "/" ')[1]);
    expect(names).not.toContain('"Junk"');
    expect((await t.send('d4 LSUB "" "Ghost"')).untagged).toEqual(['* LSUB (\\Noselect \\HasNoChildren) "/" "Ghost"']);
  });
});

describe('T07 wildcards', () => {
  it('matches % within one level and * across levels, with reference concatenation', async () => {
    await start();
    expect((await t.send('w1 CREATE "P/2025/Q1"')).tagged).toMatch(/^w1 OK/);
    const top = (await t.send('w2 LIST "" "%"')).untagged;
    expect(top).toContain('* LIST (\\HasChildren) "/" "P"');
    expect(top.some((l) => l.includes('"P/2025"'))).toBe(false);
    expect((await t.send('w3 LIST "" "P/%"')).untagged).toEqual(['* LIST (\\HasChildren) "/" "P/2025"']);
    expect((await t.send('w4 LIST "" "P/*"')).untagged).toEqual([
      '* LIST (\\HasChildren) "/" "P/2025"',
      '* LIST (\\HasNoChildren) "/" "P/2025/Q1"',
    ]);
    expect((await t.send('w5 LIST "P/" "%"')).untagged).toEqual(['* LIST (\\HasChildren) "/" "P/2025"']);
  });

  it('refuses to delete a mailbox with children, and INBOX', async () => {
    await start();
    await t.send('w1 CREATE P/Q');
    expect((await t.send('w2 DELETE P')).tagged).toMatch(/^w2 NO /);
    expect((await t.send('w3 DELETE INBOX')).tagged).toMatch(/^w3 NO /);
    expect((await t.send('w4 RENAME INBOX Other')).tagged).toMatch(/^w4 NO /);
    expect((await t.send('w5 DELETE P/Q')).tagged).toMatch(/^w5 OK/);
  });
});

describe('T08 modified UTF-7', () => {
  it('stores Unicode, lists mUTF-7, and rejects non-canonical names', async () => {
    const { server: s, t: c, backend } = await loggedIn();
    server = s;
    expect((await c.send('u1 CREATE "Entw&APw-rfe"')).tagged).toMatch(/^u1 OK/);
    expect((await c.send('u2 LIST "" "Entw*"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "Entw&APw-rfe"']);
    expect((await c.send('u3 CREATE "Caf&AOk"')).tagged).toMatch(/^u3 NO /);
    expect((await c.send('u4 CREATE "A&-B"')).tagged).toMatch(/^u4 OK/);
    expect((await c.send('u5 LIST "" "A&-B"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "A&-B"']);
    const session = await backend.createSession({ id: 'x', remoteAddress: '', secure: false });
    await session.login('t@sandbox.test', 'pw');
    const names = (await session.listMailboxes()).map((m) => m.name);
    expect(names).toContain('Entwürfe');
    expect(names).toContain('A&B');
  });
});

describe('T09 SELECT / STATUS', () => {
  it('sends the SELECT data in full; STATUS counts UNSEEN; EXAMINE is read-only without \\Recent', async () => {
    await start();
    const r = await t.send('e1 SELECT INBOX');
    expect(r.untagged).toEqual([
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
      '* 4 EXISTS',
      '* 4 RECENT',
      '* OK [UNSEEN 1] First unseen message',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted',
      '* OK [UIDVALIDITY 1700000000] UIDs valid',
      '* OK [UIDNEXT 5] Predicted next UID',
    ]);
    expect(r.tagged).toBe('e1 OK [READ-WRITE] SELECT completed');
    const other = await secondClient(server);
    expect((await other.send('f1 STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)')).untagged).toEqual([
      '* STATUS "INBOX" (MESSAGES 4 RECENT 0 UIDNEXT 5 UIDVALIDITY 1700000000 UNSEEN 4)',
    ]);
    const ex = await other.send('f2 EXAMINE INBOX');
    expect(ex.untagged).toContain('* 0 RECENT');
    expect(ex.tagged).toBe('f2 OK [READ-ONLY] EXAMINE completed');
  });

  it('leaves nothing selected after a failed SELECT', async () => {
    await start();
    await t.send('e1 SELECT INBOX');
    expect((await t.send('e2 SELECT Nope')).tagged).toMatch(/^e2 NO \[NONEXISTENT\]/);
    expect((await t.send('e3 FETCH 1 (UID)')).tagged).toMatch(/^e3 BAD /);
  });
});

describe('T10 sequence sets', () => {
  it('resolves reversed ranges, *, UID ranges past the end, and rejects numbers above EXISTS', async () => {
    await start();
    await t.send('s0 SELECT INBOX');
    expect((await t.send('s1 FETCH 3:1 (UID)')).untagged).toEqual(['* 1 FETCH (UID 1)', '* 2 FETCH (UID 2)', '* 3 FETCH (UID 3)']);
    expect((await t.send('s2 FETCH *:3 (UID)')).untagged).toEqual(['* 3 FETCH (UID 3)', '* 4 FETCH (UID 4)']);
    expect((await t.send('s3 UID FETCH 9:* (UID)')).untagged).toEqual(['* 4 FETCH (UID 4)']);
    const none = await t.send('s4 UID FETCH 99 (UID)');
    expect(none.untagged).toEqual([]);
    expect(none.tagged).toMatch(/^s4 OK/);
    expect((await t.send('s5 FETCH 5 (UID)')).tagged).toMatch(/^s5 BAD /);
    expect((await t.send('s6 UID FETCH 1:4294967295 (UID)')).untagged).toHaveLength(4);
  });
});

describe('T11 SEARCH', () => {
  it('treats bare sets in UID SEARCH as sequence numbers and answers BADCHARSET', async () => {
    await start();
    await t.send('g0 SELECT INBOX');
    await t.send('g01 STORE 2 +FLAGS (\\Deleted)');
    expect((await t.send('g02 EXPUNGE')).untagged).toEqual(['* 2 EXPUNGE']);
    expect((await t.send('g1 UID SEARCH 2:3 NOT DELETED')).untagged).toEqual(['* SEARCH 3 4']);
    expect((await t.send('g2 UID SEARCH UID 2:3')).untagged).toEqual(['* SEARCH 3']);
    expect((await t.send('g3 SEARCH UID 3:4')).untagged).toEqual(['* SEARCH 2 3']);
    expect((await t.send('g4 UID SEARCH *:*')).untagged).toEqual(['* SEARCH 4']);
    expect((await t.send('g5 SEARCH CHARSET KOI8-U TEXT x')).tagged).toMatch(/^g5 NO \[BADCHARSET \(US-ASCII UTF-8\)\] /);
    await t.send('g6 SELECT Junk');
    const g7 = await t.send('g7 UID SEARCH 1:* NOT DELETED');
    expect(g7.untagged).toEqual(['* SEARCH']);
    expect(g7.tagged).toMatch(/^g7 OK/);
    const g8 = await t.send('g8 UID FETCH 1:* (FLAGS)');
    expect(g8.untagged).toEqual([]);
    expect(g8.tagged).toMatch(/^g8 OK/);
  });

  it('supports OR, NOT, groups, header keys and UTF-8 literals', async () => {
    await start();
    await t.send('g0 SELECT INBOX');
    expect((await t.send('g1 SEARCH OR SUBJECT "message 2" (FROM sender4 NOT SEEN)')).untagged).toEqual(['* SEARCH 2 4']);
    expect((await t.send('g2 SEARCH HEADER MESSAGE-ID <m1@example.com>')).untagged).toEqual(['* SEARCH 1']);
    const term = Buffer.from('Résumé', 'utf8');
    t.write(`g3 SEARCH CHARSET UTF-8 SUBJECT {${term.length}}\r\n`);
    expect(await t.next()).toMatch(/^\+ /);
    t.write(Buffer.concat([term, Buffer.from('\r\n')]));
    expect((await t.collect('g3')).untagged).toEqual(['* SEARCH 1']);
    expect((await t.send('g4 SEARCH 99 ALL')).untagged).toEqual(['* SEARCH']);
  });
});
