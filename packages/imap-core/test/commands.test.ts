import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer, Transcript } from '../src/testing/transcript.ts';
import { claimRecent, loggedIn, secondClient } from './helpers/fixture.ts';

let server: TestServer;
let t: Transcript;
afterEach(async () => server?.close());

async function start(): Promise<void> {
  ({ server, t } = await loggedIn());
  await claimRecent(server);
}

describe('SELECT / CLOSE / UNSELECT (M26)', () => {
  it('re-SELECT closes the old mailbox without expunging', async () => {
    await start();
    await t.send('a1 SELECT INBOX');
    await t.send('a2 STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect((await t.send('a3 SELECT INBOX')).untagged).toContain('* 4 EXISTS');
  });

  it('CLOSE expunges silently, UNSELECT and CLOSE after EXAMINE do not', async () => {
    await start();
    await t.send('a1 SELECT INBOX');
    await t.send('a2 STORE 1 +FLAGS.SILENT (\\Deleted)');
    const unselect = await t.send('a3 UNSELECT');
    expect(unselect.untagged).toEqual([]);
    await t.send('a4 EXAMINE INBOX');
    expect((await t.send('a5 CLOSE')).untagged).toEqual([]);
    expect((await t.send('a6 STATUS INBOX (MESSAGES)')).untagged).toEqual(['* STATUS "INBOX" (MESSAGES 4)']);
    await t.send('a7 SELECT INBOX');
    const close = await t.send('a8 CLOSE');
    expect(close.untagged).toEqual([]);
    expect(close.tagged).toMatch(/^a8 OK/);
    expect((await t.send('a9 STATUS INBOX (MESSAGES)')).untagged).toEqual(['* STATUS "INBOX" (MESSAGES 3)']);
    expect((await t.send('a10 FETCH 1 (UID)')).tagged).toMatch(/^a10 BAD/);
  });
});

describe('STATUS of the selected mailbox (M17)', () => {
  it('announces pending expunges before the STATUS numbers', async () => {
    await start();
    await t.send('a1 SELECT INBOX');
    const other = await secondClient(server);
    await other.send('b1 SELECT INBOX');
    await other.send('b2 STORE 4 +FLAGS.SILENT (\\Deleted)');
    await other.send('b3 EXPUNGE');
    const r = await t.send('a2 STATUS INBOX (MESSAGES)');
    expect(r.untagged).toEqual(['* 4 EXPUNGE', '* STATUS "INBOX" (MESSAGES 3)']);
  });
});

describe('unsolicited updates (M27, M28)', () => {
  it('announces new mail after any command, but expunges only at allowed points', async () => {
    ({ server, t } = await loggedIn());
    await claimRecent(server);
    await t.send('a1 SELECT INBOX');
    const other = await secondClient(server);
    await other.send('b1 SELECT INBOX');
    await other.send('b2 STORE 1 +FLAGS.SILENT (\\Deleted)');
    await other.send('b3 EXPUNGE');
    await other.send('b4 APPEND INBOX {9}\r\nSubject x');
    const fetch = await t.send('a2 FETCH 1 (UID)');
    // Message 1 is expunged elsewhere: still readable, no flag update for it, no EXPUNGE during FETCH.
    expect(fetch.untagged).toEqual(['* 1 FETCH (UID 1)', '* 5 EXISTS']);
    const search = await t.send('a3 SEARCH ALL');
    expect(search.untagged.some((l) => l.includes('EXPUNGE'))).toBe(false);
    expect((await t.send('a4 CHECK')).untagged).toEqual(['* 1 EXPUNGE']);
    expect((await t.send('a5 NOOP')).untagged).toEqual([]);
  });
});
