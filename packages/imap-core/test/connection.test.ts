import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchedMessage, ImapBackend, ImapSession } from '../src/backend.ts';
import { startTestServer, type TestServer } from '../src/testing/transcript.ts';
import { fixtureBackend, loggedIn, secondClient, USER } from './helpers/fixture.ts';

let server: TestServer;
afterEach(async () => server?.close());

/** Wraps the fixture backend so every session's fetch goes through `wrap`. */
type FetchFn = ImapSession['fetch'];
function wrapFetch(wrap: (original: FetchFn) => FetchFn) {
  const backend = fixtureBackend();
  const wrapped: ImapBackend = {
    async createSession(conn) {
      const session = await backend.createSession(conn);
      session.fetch = wrap(session.fetch.bind(session));
      return session;
    },
  };
  return { backend, wrapped };
}

describe('connection', () => {
  it('sends * OK Still processing during a long command', async () => {
    const { wrapped } = wrapFetch((original) => async (req, sink) => {
      await new Promise((r) => setTimeout(r, 350));
      return original(req, sink);
    });
    server = await startTestServer(wrapped, { limits: { longCommandNoticeMs: 100 } });
    const t = await server.connect();
    await t.send('a1 LOGIN t@sandbox.test pw');
    await t.send('a2 SELECT INBOX');
    const r = await t.send('a3 FETCH 1 (UID)');
    expect(r.untagged[0]).toBe('* OK Still processing');
    expect(r.untagged).toContain('* 1 FETCH (UID 1)');
  });

  it('stops producing FETCH output while the client does not read, and finishes once it does', async () => {
    let delivered = 0;
    const { backend, wrapped } = wrapFetch((original) => (req, sink) =>
      original(req, async (m: FetchedMessage) => {
        delivered++;
        await sink(m);
      }),
    );
    const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(1024 * 1024, 'a'), Buffer.from('\r\n')]);
    for (let i = 0; i < 30; i++) backend.deliver(USER, 'INBOX', big);
    server = await startTestServer(wrapped, { limits: { outputPauseBytes: 256 * 1024 } });
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    await new Promise((r) => socket.once('connect', r));
    socket.pause();
    let received = 0;
    const done = new Promise<void>((resolve) => {
      let tail = '';
      socket.on('data', (c: Buffer) => {
        received += c.length;
        tail = (tail + c.toString('latin1')).slice(-64);
        if (tail.includes('a3 OK')) resolve();
      });
    });
    socket.write('a1 LOGIN t@sandbox.test pw\r\na2 SELECT INBOX\r\na3 FETCH 1:* (BODY.PEEK[])\r\n');
    await new Promise((r) => setTimeout(r, 700));
    // 34 messages of ~1 MiB: kernel socket buffers hold a few MiB, the rest must wait for the client.
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(34);
    socket.resume();
    await done;
    expect(delivered).toBe(34);
    expect(received).toBeGreaterThan(30 * 1024 * 1024);
    socket.destroy();
  });

  it('ends the session with BYE when its selected mailbox is deleted elsewhere (M31)', async () => {
    let t;
    ({ server, t } = await loggedIn());
    await t.send('a1 SELECT Archive');
    const other = await secondClient(server);
    expect((await other.send('b1 DELETE Archive')).tagged).toMatch(/^b1 OK/);
    t.write('a2 NOOP\r\n');
    expect(await t.next()).toMatch(/^\* BYE /);
    await t.waitClosed();
  });

  it('refuses connections over the per-IP limit and logins over the per-user limit', async () => {
    ({ server } = await loggedIn({ limits: { maxConnectionsPerIp: 3, maxConnectionsPerUser: 2 } }));
    const second = await server.connect();
    expect((await second.send('x LOGIN t@sandbox.test pw')).tagged).toMatch(/^x OK/);
    const third = await server.connect();
    expect((await third.send('y LOGIN t@sandbox.test pw')).tagged).toMatch(/^y NO \[LIMIT\]/);
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    const greeting = await new Promise<string>((resolve) => socket.once('data', (c) => resolve(c.toString())));
    expect(greeting).toBe('* BYE Too many connections\r\n');
    socket.destroy();
  });

  it('executes pipelined commands strictly in order', async () => {
    let t;
    ({ server, t } = await loggedIn());
    t.write('p1 SELECT INBOX\r\np2 STORE 1 +FLAGS (\\Deleted)\r\np3 EXPUNGE\r\np4 FETCH 1 (UID)\r\np5 NOOP\r\n');
    const lines: string[] = [];
    for (;;) {
      const l = await t.next();
      lines.push(l);
      if (l.startsWith('p5 ')) break;
    }
    const tags = lines.filter((l) => /^p\d /.test(l)).map((l) => l.slice(0, 2));
    expect(tags).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(lines).toContain('* 1 FETCH (UID 2)');
  });
});
