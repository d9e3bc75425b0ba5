import { afterEach, describe, expect, it } from 'vitest';
import type { ImapBackend } from '../../src/backend.ts';
import { startTestServer, type TestServer, type Transcript } from '../../src/testing/transcript.ts';
import { fixtureBackend, fixtureServer, loggedIn } from '../helpers/fixture.ts';

let server: TestServer;
let t: Transcript;
afterEach(async () => server?.close());

async function anonymous(limits = {}): Promise<void> {
  ({ server } = await fixtureServer({ limits: { authFailureDelayMs: 10, ...limits } }));
  t = await server.connect();
}

describe('malformed input', () => {
  it('answers an overlong line with BAD and stays usable', async () => {
    await anonymous({ maxLineBytes: 8192 });
    t.write(`a1 NOOP ${'x'.repeat(20_000)}\r\n`);
    expect(await t.next()).toBe('a1 BAD Command line too long');
    expect((await t.send('a2 NOOP')).tagged).toMatch(/^a2 OK/);
  });

  it('accepts lines of 8192 octets (RFC 7162 §4)', async () => {
    ({ server, t } = await loggedIn());
    await t.send('a0 SELECT INBOX');
    const set = Array.from({ length: 2000 }, () => '1').join(',');
    expect(set.length).toBeGreaterThan(3000);
    const r = await t.send(`a1 FETCH ${set},${'2,'.repeat(1500)}3 (UID)`);
    expect(r.tagged).toMatch(/^a1 OK/);
  });

  it('refuses a literal bomb {4294967295} without a continuation and stays usable', async () => {
    await anonymous();
    t.write('a1 LOGIN {4294967295}\r\n');
    const r = await t.collect('a1');
    expect(r.continuations).toEqual([]);
    expect(r.tagged).toMatch(/^a1 NO \[TOOBIG\] /);
    expect((await t.send('a2 NOOP')).tagged).toMatch(/^a2 OK/);
  });

  it('closes the connection on an oversized non-synchronising literal', async () => {
    await anonymous();
    t.write('a1 LOGIN {4294967295+}\r\n');
    expect(await t.next()).toMatch(/^a1 NO \[TOOBIG\] /);
    expect(await t.next()).toMatch(/^\* BYE /);
    await t.waitClosed();
  });

  it('limits literals before authentication to 4 KiB', async () => {
    await anonymous();
    t.write('a1 LOGIN {5000}\r\n');
    expect((await t.collect('a1')).tagged).toMatch(/^a1 NO \[TOOBIG\]/);
  });

  it('answers unbalanced parentheses with BAD', async () => {
    ({ server, t } = await loggedIn());
    await t.send('a0 SELECT INBOX');
    expect((await t.send('a1 FETCH 1 (UID FLAGS')).tagged).toMatch(/^a1 BAD /);
    expect((await t.send('a2 SEARCH (OR SEEN')).tagged).toMatch(/^a2 BAD /);
    expect((await t.send('a3 STATUS INBOX MESSAGES)')).tagged).toMatch(/^a3 BAD /);
  });

  it('answers invalid modified UTF-7 with NO', async () => {
    ({ server, t } = await loggedIn());
    expect((await t.send('a1 CREATE "&Jjo"')).tagged).toMatch(/^a1 NO /);
    expect((await t.send('a2 SELECT "&AGE-"')).tagged).toMatch(/^a2 NO /);
  });

  it('answers invalid base64 in AUTHENTICATE with BAD', async () => {
    await anonymous();
    expect((await t.send('a1 AUTHENTICATE PLAIN ****')).tagged).toMatch(/^a1 BAD /);
    t.write('a2 AUTHENTICATE PLAIN\r\n');
    expect(await t.next()).toBe('+ ');
    t.write('not base64!\r\n');
    expect((await t.collect('a2')).tagged).toMatch(/^a2 BAD /);
    expect((await t.send('a3 AUTHENTICATE PLAIN =')).tagged).toMatch(/^a3 BAD /);
    expect((await t.send('a4 NOOP')).tagged).toMatch(/^a4 OK/);
  });

  it('answers commands in the wrong state with BAD', async () => {
    await anonymous();
    expect((await t.send('a1 SELECT INBOX')).tagged).toMatch(/^a1 BAD /);
    expect((await t.send('a2 LOGIN t@sandbox.test pw')).tagged).toMatch(/^a2 OK/);
    expect((await t.send('a3 FETCH 1 (UID)')).tagged).toMatch(/^a3 BAD /);
    expect((await t.send('a4 LOGIN t@sandbox.test pw')).tagged).toMatch(/^a4 BAD /);
    expect((await t.send('a5 STARTTLS')).tagged).toMatch(/^a5 BAD /);
    expect((await t.send('a6 CLOSE')).tagged).toMatch(/^a6 BAD /);
  });

  it('closes with BYE after 50 bad commands in a row', async () => {
    ({ server, t } = await loggedIn());
    for (let i = 1; i < 50; i++) expect((await t.send(`b${i} FROB`)).tagged).toMatch(/ BAD /);
    t.write('b50 FROB\r\n');
    expect(await t.next()).toMatch(/^b50 BAD /);
    expect(await t.next()).toMatch(/^\* BYE /);
    await t.waitClosed();
  });

  it('does not count a good command in between', async () => {
    ({ server, t } = await loggedIn());
    for (let i = 1; i < 50; i++) await t.send(`b${i} FROB`);
    await t.send('ok NOOP');
    expect((await t.send('b50 FROB')).tagged).toMatch(/^b50 BAD/);
    expect((await t.send('b51 NOOP')).tagged).toMatch(/^b51 OK/);
  });

  it('ends IDLE on a non-DONE line and runs it as a command (M49)', async () => {
    ({ server, t } = await loggedIn());
    await t.send('a0 SELECT INBOX');
    t.write('8.568 IDLE\r\n');
    expect(await t.next()).toBe('+ idling');
    t.write('8.569 IDLE\r\n');
    expect(await t.next()).toBe('8.568 BAD Expected DONE');
    expect(await t.next()).toBe('+ idling');
    t.write('DONE\r\n');
    expect(await t.next()).toMatch(/^8\.569 OK/);
  });

  it('closes after too many commands before authentication', async () => {
    await anonymous({ maxPreAuthCommands: 3 });
    for (let i = 1; i <= 3; i++) await t.send(`n${i} NOOP`);
    t.write('n4 NOOP\r\n');
    expect(await t.next()).toMatch(/^\* BYE /);
    await t.waitClosed();
  });

  it('logs out an unauthenticated client after the pre-auth timeout', async () => {
    await anonymous({ preAuthTimeoutMs: 150 });
    const started = Date.now();
    expect(await t.next()).toMatch(/^\* BYE /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await t.waitClosed();
  });

  it('autologs out an inactive authenticated client, but not one that is idling', async () => {
    ({ server, t } = await loggedIn({ limits: { autologoutMs: 200, idleKeepaliveMs: 100 } }));
    const idler = await server.connect();
    await idler.send('i0 LOGIN t@sandbox.test pw');
    idler.write('i1 IDLE\r\n');
    expect(await idler.next()).toBe('+ idling');
    expect(await t.next()).toMatch(/^\* BYE Autologout/);
    await t.waitClosed();
    for (let i = 0; i < 3; i++) expect(await idler.next()).toBe('* OK Still here');
    expect(idler.isClosed).toBe(false);
  });

  it('maps a backend crash to NO [SERVERBUG], logs it, and keeps the connection', async () => {
    const backend = fixtureBackend();
    const crashing: ImapBackend = {
      async createSession(conn) {
        const session = await backend.createSession(conn);
        session.fetch = async () => {
          throw new Error('disk on fire');
        };
        return session;
      },
    };
    const logged: unknown[] = [];
    server = await startTestServer(crashing, { logger: { error: (_m, err) => void logged.push(err) } });
    t = await server.connect();
    await t.send('a0 LOGIN t@sandbox.test pw');
    await t.send('a1 SELECT INBOX');
    expect((await t.send('a2 FETCH 1 (UID)')).tagged).toBe('a2 NO [SERVERBUG] Internal server error');
    expect(logged).toEqual([expect.objectContaining({ message: 'disk on fire' })]);
    expect((await t.send('a3 NOOP')).tagged).toMatch(/^a3 OK/);
  });
});
