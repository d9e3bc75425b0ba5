/**
 * One behavioural suite for every backend (the memory backend here, the Postgres backend in
 * apps/server): call `describeBackendContract('name', makeFixture)` inside a vitest file.
 * It talks to the backend API directly, so failures point at the backend, not the protocol layer.
 */
import { describe, expect, it, afterEach } from 'vitest';
import { supportsMove, type FetchedMessage, type ImapBackend, type ImapSession, type StoredFlags } from '../backend.ts';
import { ImapError } from '../errors.ts';

export interface BackendContractFixture {
  backend: ImapBackend;
  /** A user that exists with the default mailboxes (INBOX Sent Drafts Trash Junk Archive), all empty. */
  username: string;
  password: string;
  /** Simulates an SMTP delivery into one of the user's mailboxes. */
  deliver(mailbox: string, raw: Buffer): Promise<void>;
  cleanup?(): Promise<void>;
}

const message = (n: number): Buffer =>
  Buffer.from(`From: a${n}@example.com\r\nTo: b@example.com\r\nSubject: contract ${n}\r\n\r\nBody ${n}\r\n`);

const all = { start: 1, end: 4294967295 };

async function expectImapError(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImapError);
  expect((err as ImapError).code).toBe(code);
}

export function describeBackendContract(name: string, makeFixture: () => Promise<BackendContractFixture>): void {
  describe(`backend contract: ${name}`, () => {
    let fixture: BackendContractFixture;
    let sessionCount = 0;
    const sessions: ImapSession[] = [];

    async function session(): Promise<ImapSession> {
      const s = await fixture.backend.createSession({ id: `contract-${++sessionCount}`, remoteAddress: '127.0.0.1', secure: false });
      await s.login(fixture.username, fixture.password);
      sessions.push(s);
      return s;
    }

    async function setup(): Promise<void> {
      fixture = await makeFixture();
    }

    afterEach(async () => {
      for (const s of sessions.splice(0)) await s.close();
      await fixture?.cleanup?.();
    });

    it('rejects a wrong password and an unknown user with the same AUTHENTICATIONFAILED error', async () => {
      await setup();
      const s = await fixture.backend.createSession({ id: 'auth', remoteAddress: '127.0.0.1', secure: false });
      await expectImapError(s.login(fixture.username, 'wrong'), 'AUTHENTICATIONFAILED');
      await expectImapError(s.login('nobody@nowhere.test', fixture.password), 'AUTHENTICATIONFAILED');
      await s.login(fixture.username, fixture.password);
      await s.close();
    });

    it('pre-creates the special-use folders, all subscribed', async () => {
      await setup();
      const s = await session();
      const boxes = await s.listMailboxes();
      const byName = new Map(boxes.map((b) => [b.name, b.specialUse ?? null]));
      expect(byName.get('INBOX')).toBeNull();
      expect(byName.get('Sent')).toBe('\\Sent');
      expect(byName.get('Drafts')).toBe('\\Drafts');
      expect(byName.get('Trash')).toBe('\\Trash');
      expect(byName.get('Junk')).toBe('\\Junk');
      expect(byName.get('Archive')).toBe('\\Archive');
      const subs = await s.listSubscriptions();
      for (const b of boxes) expect(subs).toContain(b.name);
    });

    it('keeps UIDVALIDITY on rename and never reuses it after delete + create', async () => {
      await setup();
      const s = await session();
      await s.create('Contract');
      await expectImapError(s.create('Contract'), 'ALREADYEXISTS');
      const before = await s.status('Contract');
      await s.rename('Contract', 'Renamed');
      expect((await s.status('Renamed')).uidValidity).toBe(before.uidValidity);
      await s.delete('Renamed');
      await expectImapError(s.status('Renamed'), 'NONEXISTENT');
      await s.create('Renamed');
      expect((await s.status('Renamed')).uidValidity).toBeGreaterThan(before.uidValidity);
    });

    it('appends with ascending UIDs, counts in STATUS, and refuses a missing mailbox with TRYCREATE', async () => {
      await setup();
      const s = await session();
      const st0 = await s.status('INBOX');
      const a = await s.append('INBOX', { raw: message(1), flags: ['\\Seen'], internalDate: new Date('2025-06-02T10:00:00Z') });
      const b = await s.append('INBOX', { raw: message(2), flags: [], internalDate: null });
      expect(a.uidValidity).toBe(st0.uidValidity);
      expect(a.uid).toBe(st0.uidNext);
      expect(b.uid).toBeGreaterThan(a.uid);
      const st = await s.status('INBOX');
      expect(st.messages).toBe(st0.messages + 2);
      expect(st.unseen).toBe(st0.unseen + 1);
      expect(st.uidNext).toBe(b.uid + 1);
      await expectImapError(s.append('Nope', { raw: message(3), flags: [], internalDate: null }), 'TRYCREATE');
    });

    it('selects, fetches raw octets and flags, stores, and expunges only \\Deleted messages', async () => {
      await setup();
      for (let i = 1; i <= 3; i++) await fixture.deliver('INBOX', message(i));
      const s = await session();
      const sel = await s.select('INBOX', { readOnly: false });
      const uids = Array.from(sel.uids);
      expect(uids).toHaveLength(3);
      expect([...uids].sort((x, y) => x - y)).toEqual(uids);
      const fetched: FetchedMessage[] = [];
      await s.fetch({ uids: [all], raw: true, envelope: false, bodyStructure: false }, async (m) => void fetched.push(m));
      expect(fetched.map((m) => m.uid)).toEqual(uids);
      expect(fetched[0]!.raw!.equals(message(1))).toBe(true);
      expect(fetched[0]!.size).toBe(message(1).length);

      const stored: StoredFlags[] = [];
      await s.store({ uids: [{ start: uids[1]!, end: uids[1]! }], mode: 'add', flags: ['\\Deleted', '$label1'] }, async (f) => void stored.push(f));
      expect(stored).toHaveLength(1);
      expect(stored[0]!.flags).toEqual(expect.arrayContaining(['\\Deleted', '$label1']));
      await s.store({ uids: [{ start: uids[1]!, end: uids[1]! }], mode: 'remove', flags: ['$label1'] }, async () => {});
      expect(await s.expunge([{ start: uids[0]!, end: uids[0]! }])).toEqual([]);
      expect(await s.expunge(null)).toEqual([uids[1]]);
      expect((await s.status('INBOX')).messages).toBe(2);
    });

    it('copies with aligned COPYUID data, keeping flags and INTERNALDATE', async () => {
      await setup();
      const s = await session();
      const date = new Date('2025-01-01T00:00:00Z');
      await s.append('INBOX', { raw: message(1), flags: ['\\Flagged'], internalDate: date });
      await s.append('INBOX', { raw: message(2), flags: [], internalDate: date });
      const sel = await s.select('INBOX', { readOnly: false });
      const data = await s.copy([all], 'Archive');
      expect(data.sourceUids).toEqual(Array.from(sel.uids));
      expect(data.destUids).toHaveLength(2);
      expect(data.uidValidity).toBe((await s.status('Archive')).uidValidity);
      await expectImapError(s.copy([all], 'Nope'), 'TRYCREATE');
      const other = await session();
      await other.select('Archive', { readOnly: true });
      const copies: FetchedMessage[] = [];
      await other.fetch({ uids: [all], raw: true, envelope: false, bodyStructure: false }, async (m) => void copies.push(m));
      expect(copies[0]!.flags).toContain('\\Flagged');
      expect(copies[0]!.internalDate.getTime()).toBe(date.getTime());
    });

    it('moves messages when it implements MOVE', async () => {
      await setup();
      const s = await session();
      if (!supportsMove(s)) return;
      await s.append('INBOX', { raw: message(1), flags: [], internalDate: null });
      await s.select('INBOX', { readOnly: false });
      const data = await s.move([all], 'Trash');
      expect(data.sourceUids).toHaveLength(1);
      expect((await s.status('INBOX')).messages).toBe(0);
      expect((await s.status('Trash')).messages).toBe(1);
    });

    it("reports other sessions' changes through changes(), marking its own flag changes", async () => {
      await setup();
      await fixture.deliver('INBOX', message(1));
      const a = await session();
      const b = await session();
      const selA = await a.select('INBOX', { readOnly: false });
      await b.select('INBOX', { readOnly: false });
      const uid = Array.from(selA.uids)[0]!;

      await fixture.deliver('INBOX', message(2));
      await b.store({ uids: [{ start: uid, end: uid }], mode: 'add', flags: ['\\Seen'] }, async () => {});
      await a.store({ uids: [{ start: uid, end: uid }], mode: 'add', flags: ['\\Flagged'] }, async () => {});
      await b.store({ uids: [{ start: uid, end: uid }], mode: 'add', flags: ['\\Deleted'] }, async () => {});
      await b.expunge(null);

      const changes = await a.changes(selA.highestModseq);
      expect(changes.highestModseq).toBeGreaterThan(selA.highestModseq);
      const kinds = changes.changes.map((c) => c.kind);
      expect(kinds).toContain('added');
      expect(kinds).toContain('expunged');
      const modseqs = changes.changes.map((c) => c.modseq);
      expect([...modseqs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(modseqs);
      expect((await a.changes(changes.highestModseq)).changes).toEqual([]);
    });

    it('marks flag changes made by the session itself as own', async () => {
      await setup();
      await fixture.deliver('INBOX', message(1));
      const a = await session();
      const b = await session();
      const sel = await a.select('INBOX', { readOnly: false });
      await b.select('INBOX', { readOnly: false });
      const uid = Array.from(sel.uids)[0]!;
      await a.store({ uids: [{ start: uid, end: uid }], mode: 'add', flags: ['\\Answered'] }, async () => {});
      await b.store({ uids: [{ start: uid, end: uid }], mode: 'add', flags: ['\\Seen'] }, async () => {});
      const flags = (await a.changes(sel.highestModseq)).changes.filter((c) => c.kind === 'flags');
      expect(flags.map((c) => c.kind === 'flags' && c.own)).toEqual([true, false]);
      const last = flags[1]!;
      expect(last.kind === 'flags' && last.flags).toContain('\\Answered');
    });

    it('tells a session whose selected mailbox was deleted elsewhere (gone)', async () => {
      await setup();
      const a = await session();
      const b = await session();
      await a.create('Doomed');
      const sel = await a.select('Doomed', { readOnly: false });
      await b.delete('Doomed');
      const changes = (await a.changes(sel.highestModseq)).changes;
      expect(changes.map((c) => c.kind)).toContain('gone');
    });

    it('hands out strictly ascending UIDs under 50 concurrent deliveries', async () => {
      await setup();
      const s = await session();
      const sel = await s.select('INBOX', { readOnly: true });
      await Promise.all(Array.from({ length: 50 }, (_, i) => fixture.deliver('INBOX', message(i))));
      const added = (await s.changes(sel.highestModseq)).changes.flatMap((c) => (c.kind === 'added' ? [c.uid] : []));
      expect(added).toHaveLength(50);
      for (let i = 1; i < added.length; i++) expect(added[i]!).toBeGreaterThan(added[i - 1]!);
    });

    it('never lowers UIDNEXT: an expunged last message keeps its UID used', async () => {
      await setup();
      const s = await session();
      const a = await s.append('INBOX', { raw: message(1), flags: ['\\Deleted'], internalDate: null });
      await s.select('INBOX', { readOnly: false });
      expect(await s.expunge(null)).toEqual([a.uid]);
      expect((await s.status('INBOX')).uidNext).toBe(a.uid + 1);
      const b = await s.append('INBOX', { raw: message(2), flags: [], internalDate: null });
      expect(b.uid).toBe(a.uid + 1);
    });

    it('gives \\Recent to the first read-write session only', async () => {
      await setup();
      await fixture.deliver('INBOX', message(1));
      await fixture.deliver('INBOX', message(2));
      const a = await session();
      const b = await session();
      const c = await session();
      expect((await a.status('INBOX')).recent).toBe(2);
      expect((await c.select('INBOX', { readOnly: true })).recent).toBe(0);
      expect((await a.select('INBOX', { readOnly: false })).recent).toBe(2);
      expect((await b.select('INBOX', { readOnly: false })).recent).toBe(0);
      expect((await b.status('INBOX')).recent).toBe(0);
      const flagsOf = async (s: ImapSession): Promise<string[][]> => {
        const out: string[][] = [];
        await s.fetch({ uids: [all], raw: false, envelope: false, bodyStructure: false }, async (m) => void out.push(m.flags));
        return out;
      };
      expect((await flagsOf(a)).every((f) => f.includes('\\Recent'))).toBe(true);
      expect((await flagsOf(b)).some((f) => f.includes('\\Recent'))).toBe(false);
      await fixture.deliver('INBOX', message(3));
      const sel = await b.changes(0n);
      const added = sel.changes.filter((ch) => ch.kind === 'added');
      expect(added.length).toBeGreaterThanOrEqual(1);
      expect(added[added.length - 1]).toMatchObject({ kind: 'added', recent: true });
    });

    it('renames children along with their parent', async () => {
      await setup();
      const s = await session();
      await s.create('Parent');
      await s.create('Parent/Child');
      const child = await s.status('Parent/Child');
      await s.rename('Parent', 'Moved');
      const names = (await s.listMailboxes()).map((m) => m.name);
      expect(names).toEqual(expect.arrayContaining(['Moved', 'Moved/Child']));
      expect(names).not.toContain('Parent/Child');
      expect((await s.status('Moved/Child')).uidValidity).toBe(child.uidValidity);
    });

    it('reports keywords in use on SELECT and applies replace/remove', async () => {
      await setup();
      const s = await session();
      await s.append('INBOX', { raw: message(1), flags: ['$label1', '\\Flagged'], internalDate: null });
      const sel = await s.select('INBOX', { readOnly: false });
      expect(sel.keywords).toEqual(['$label1']);
      const uid = Array.from(sel.uids)[0]!;
      const after: StoredFlags[] = [];
      await s.store({ uids: [{ start: uid, end: uid }], mode: 'replace', flags: ['\\Answered'] }, async (f) => void after.push(f));
      expect(after[0]!.flags.filter((f) => f !== '\\Recent')).toEqual(['\\Answered']);
    });

    it('fetches and searches only within the requested UID ranges, ascending', async () => {
      await setup();
      for (let i = 1; i <= 5; i++) await fixture.deliver('INBOX', message(i));
      const s = await session();
      const uids = Array.from((await s.select('INBOX', { readOnly: true })).uids);
      const ranges = [{ start: uids[3]!, end: uids[4]! }, { start: uids[0]!, end: uids[0]! }].sort((x, y) => x.start - y.start);
      const got: number[] = [];
      await s.fetch({ uids: ranges, raw: false, envelope: false, bodyStructure: false }, async (m) => void got.push(m.uid));
      expect(got).toEqual([uids[0], uids[3], uids[4]]);
      expect(await s.search({ key: { kind: 'all' }, uids: ranges })).toEqual([uids[0], uids[3], uids[4]]);
    });

    it('searches by flag, header and UID', async () => {
      await setup();
      for (let i = 1; i <= 3; i++) await fixture.deliver('INBOX', message(i));
      const s = await session();
      const sel = await s.select('INBOX', { readOnly: false });
      const uids = Array.from(sel.uids);
      await s.store({ uids: [{ start: uids[0]!, end: uids[0]! }], mode: 'add', flags: ['\\Seen'] }, async () => {});
      const range = [{ start: uids[0]!, end: uids[2]! }];
      expect(await s.search({ key: { kind: 'flag', flag: '\\Seen', set: false }, uids: range })).toEqual(uids.slice(1));
      expect(await s.search({ key: { kind: 'header', field: 'Subject', value: 'CONTRACT 2' }, uids: range })).toEqual([uids[1]]);
      expect(await s.search({ key: { kind: 'uid', set: [{ start: uids[2]!, end: uids[2]! }] }, uids: range })).toEqual([uids[2]]);
    });
  });
}
