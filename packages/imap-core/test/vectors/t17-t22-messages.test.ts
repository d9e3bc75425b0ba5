import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryBackend } from '../../src/testing/memory-backend.ts';
import type { TestServer, Transcript } from '../../src/testing/transcript.ts';
import { claimRecent, loggedIn, secondClient, smallMessage, USER } from '../helpers/fixture.ts';

let server: TestServer;
let t: Transcript;
let backend: MemoryBackend;
afterEach(async () => server?.close());

async function start(): Promise<void> {
  ({ server, t, backend } = await loggedIn());
  await claimRecent(server);
  expect((await t.send('x0 SELECT INBOX')).tagged).toMatch(/^x0 OK \[READ-WRITE\]/);
}

describe('T17 STORE', () => {
  it('reports new flags, stays silent with .SILENT, and refuses \\Recent', async () => {
    await start();
    expect((await t.send('s1 STORE 1 +FLAGS (\\Flagged $label1)')).untagged).toEqual(['* 1 FETCH (FLAGS (\\Flagged $label1))']);
    const silent = await t.send('s2 STORE 1 -FLAGS.SILENT (\\Flagged)');
    expect(silent.untagged).toEqual([]);
    expect(silent.tagged).toMatch(/^s2 OK/);
    expect((await t.send('s3 STORE 1 +FLAGS (\\Recent)')).tagged).toMatch(/^s3 BAD /);
    const none = await t.send('s4 UID STORE 99 +FLAGS (\\Seen)');
    expect(none.untagged).toEqual([]);
    expect(none.tagged).toMatch(/^s4 OK/);
    expect((await t.send('s5 UID STORE 1 +FLAGS (\\Answered)')).untagged).toEqual(['* 1 FETCH (UID 1 FLAGS ($label1 \\Answered))']);
    expect((await t.send('s6 STORE 1 FLAGS (\\Draft)')).untagged).toEqual(['* 1 FETCH (FLAGS (\\Draft))']);
  });

  it('merges concurrent +FLAGS and -FLAGS from two sessions', async () => {
    await start();
    const b = await secondClient(server);
    await b.send('b0 SELECT INBOX');
    await t.send('a1 STORE 1 +FLAGS (\\Seen)');
    await Promise.all([t.send('a2 STORE 1 +FLAGS (\\Answered)'), b.send('b1 STORE 1 -FLAGS (\\Seen)')]);
    const a = (await t.send('a3 FETCH 1 (FLAGS)')).untagged;
    const bb = (await b.send('b2 FETCH 1 (FLAGS)')).untagged;
    expect(a[a.length - 1]).toBe('* 1 FETCH (FLAGS (\\Answered))');
    expect(bb[bb.length - 1]).toBe('* 1 FETCH (FLAGS (\\Answered))');
  });

  it('refuses STORE under EXAMINE', async () => {
    ({ server, t } = await loggedIn());
    await t.send('x0 EXAMINE INBOX');
    expect((await t.send('s1 STORE 1 +FLAGS (\\Seen)')).tagged).toMatch(/^s1 NO /);
  });
});

describe('T18 EXPUNGE renumbering', () => {
  it('reports each removal with the number it has at that moment', async () => {
    ({ server, t, backend } = await loggedIn());
    backend.deliver(USER, 'INBOX', smallMessage(5));
    await t.send('x0 SELECT INBOX');
    await t.send('k0 STORE 2,3,5 +FLAGS.SILENT (\\Deleted)');
    const r = await t.send('k1 EXPUNGE');
    expect(r.untagged).toEqual(['* 2 EXPUNGE', '* 2 EXPUNGE', '* 3 EXPUNGE']);
    expect(r.tagged).toMatch(/^k1 OK/);
    expect((await t.send('k2 FETCH 2 (UID)')).untagged).toEqual(['* 2 FETCH (UID 4)']);
  });
});

describe('T19 concurrent expunge', () => {
  it('keeps expunged messages readable until NOOP announces the EXPUNGE', async () => {
    await start();
    const b = await secondClient(server);
    await b.send('b0 SELECT INBOX');
    await t.send('a1 STORE 2 +FLAGS.SILENT (\\Deleted)');
    expect((await t.send('a2 EXPUNGE')).untagged).toEqual(['* 2 EXPUNGE']);
    expect((await b.send('b1 FETCH 2 (UID)')).untagged).toEqual(['* 2 FETCH (UID 2)']);
    const all = await b.send('b2 UID FETCH 1:* (UID)');
    expect(all.untagged.some((l) => l.includes('EXPUNGE'))).toBe(false);
    expect((await b.send('b3 SEARCH ALL')).untagged.some((l) => l.includes('EXPUNGE'))).toBe(false);
    expect((await b.send('b4 NOOP')).untagged).toEqual(['* 2 EXPUNGE']);
    expect((await b.send('b5 FETCH 2 (UID)')).untagged).toEqual(['* 2 FETCH (UID 3)']);
  });

  it('shows 50 concurrent deliveries with strictly ascending UIDs', async () => {
    await start();
    await Promise.all(Array.from({ length: 50 }, async (_, i) => backend.deliver(USER, 'INBOX', smallMessage(i))));
    const noop = await t.send('c1 NOOP');
    expect(noop.untagged).toContain('* 54 EXISTS');
    const uids = (await t.send('c2 UID FETCH 1:* (UID)')).untagged.map((l) => Number(/UID (\d+)/.exec(l)![1]));
    expect(uids).toHaveLength(54);
    for (let i = 1; i < uids.length; i++) expect(uids[i]!).toBeGreaterThan(uids[i - 1]!);
  });
});

describe('T20 APPEND', () => {
  const message = (fill: string): Buffer => {
    const head = 'From: a@example.com\r\nSubject: appended\r\n\r\n';
    return Buffer.from(head + fill.repeat(310 - head.length - 2) + '\r\n');
  };

  it('appends with sync and non-sync literals, and refuses TRYCREATE and TOOBIG before the +', async () => {
    await start();
    const msg = message('x');
    expect(msg.length).toBe(310);
    t.write('l1 APPEND INBOX (\\Seen) "02-Jun-2025 10:00:00 +0000" {310}\r\n');
    expect(await t.next()).toMatch(/^\+ /);
    t.write(Buffer.concat([msg, Buffer.from('\r\n')]));
    const l1 = await t.collect('l1');
    expect(l1.untagged).toEqual(['* 5 EXISTS', '* 1 RECENT']);
    expect(l1.tagged).toMatch(/^l1 OK \[APPENDUID 1700000000 5\] /);
    expect((await t.send('l1b UID FETCH 5 (FLAGS INTERNALDATE RFC822.SIZE)')).untagged).toEqual([
      '* 5 FETCH (UID 5 FLAGS (\\Seen \\Recent) INTERNALDATE "02-Jun-2025 10:00:00 +0000" RFC822.SIZE 310)',
    ]);

    t.write(Buffer.concat([Buffer.from('l2 APPEND Sent {310+}\r\n'), msg, Buffer.from('\r\n')]));
    const l2 = await t.collect('l2');
    expect(l2.continuations).toEqual([]);
    expect(l2.tagged).toMatch(/^l2 OK \[APPENDUID 1700000001 1\] /);

    t.write('l3 APPEND Nope {310}\r\n');
    const l3 = await t.collect('l3');
    expect(l3.continuations).toEqual([]);
    expect(l3.tagged).toMatch(/^l3 NO \[TRYCREATE\] /);

    t.write('l4 APPEND INBOX {999999999}\r\n');
    const l4 = await t.collect('l4');
    expect(l4.continuations).toEqual([]);
    expect(l4.tagged).toMatch(/^l4 NO \[TOOBIG\] /);
    expect((await t.send('l5 NOOP')).tagged).toMatch(/^l5 OK/);
  });

  it('keeps the zone of the APPEND date-time for INTERNALDATE (M23)', async () => {
    await start();
    const msg = 'Subject: z\r\n\r\nz\r\n';
    t.write(`z1 APPEND INBOX " 2-Jun-2025 12:00:00 +0200" {${msg.length}+}\r\n${msg}\r\n`);
    await t.collect('z1');
    expect((await t.send('z2 UID FETCH 5 (INTERNALDATE)')).untagged).toEqual(['* 5 FETCH (UID 5 INTERNALDATE "02-Jun-2025 12:00:00 +0200")']);
    expect((await t.send('z3 UID SEARCH ON 2-Jun-2025 UID 5')).untagged).toEqual(['* SEARCH 5']);
  });

  it('converts bare LF to CRLF once, so RFC822.SIZE counts stored octets', async () => {
    await start();
    const lf = Buffer.from('Subject: lf\n\nline\n');
    t.write(`n1 APPEND INBOX {${lf.length}}\r\n`);
    await t.next();
    t.write(Buffer.concat([lf, Buffer.from('\r\n')]));
    await t.collect('n1');
    expect((await t.send('n2 UID FETCH 5 (RFC822.SIZE)')).untagged).toEqual([`* 5 FETCH (UID 5 RFC822.SIZE ${lf.length + 3})`]);
  });
});

describe('T21 COPY / UID EXPUNGE', () => {
  it('returns COPYUID, keeps flags and INTERNALDATE, marks copies \\Recent, and UID EXPUNGE only touches its set', async () => {
    await start();
    await t.send('c0 UID STORE 1 +FLAGS.SILENT ($label2)');
    const r = await t.send('c1 UID COPY 1,3:4 Archive');
    expect(r.tagged).toMatch(/^c1 OK \[COPYUID 1700000005 1,3:4 1:3\] /);
    expect((await t.send('c2 STATUS Archive (MESSAGES RECENT)')).untagged).toEqual(['* STATUS "Archive" (MESSAGES 3 RECENT 3)']);
    const b = await secondClient(server);
    await b.send('b1 EXAMINE Archive');
    expect((await b.send('b2 UID FETCH 1 (FLAGS INTERNALDATE)')).untagged).toEqual([
      '* 1 FETCH (UID 1 FLAGS ($label2) INTERNALDATE "02-Jun-2025 10:00:05 +0000")',
    ]);
    expect((await t.send('c3 COPY 1 Nope')).tagged).toMatch(/^c3 NO \[TRYCREATE\] /);
    await t.send('c4 UID STORE 2:3 +FLAGS.SILENT (\\Deleted)');
    expect((await t.send('c5 UID EXPUNGE 3')).untagged).toEqual(['* 3 EXPUNGE']);
  });
});

describe('T22 MOVE', () => {
  it('sends COPYUID before the EXPUNGEs', async () => {
    await start();
    const r = await t.send('m1 UID MOVE 2:3 Trash');
    expect(r.untagged).toEqual(['* OK [COPYUID 1700000003 2:3 1:2] Moved', '* 2 EXPUNGE', '* 2 EXPUNGE']);
    expect(r.tagged).toMatch(/^m1 OK/);
    expect((await t.send('m2 STATUS Trash (MESSAGES)')).untagged).toEqual(['* STATUS "Trash" (MESSAGES 2)']);
  });
});
