import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryBackend } from '../../src/testing/memory-backend.ts';
import type { TestServer, Transcript } from '../../src/testing/transcript.ts';
import { claimRecent, loggedIn, secondClient, smallMessage, TEST_LIMITS, USER } from '../helpers/fixture.ts';

let server: TestServer;
let t: Transcript;
let backend: MemoryBackend;
afterEach(async () => server?.close());

const statusOf = async (c: Transcript, tag: string, box: string): Promise<[number, number]> => {
  const line = (await c.send(`${tag} STATUS ${box} (UIDVALIDITY UIDNEXT)`)).untagged[0]!;
  const m = /UIDVALIDITY (\d+) UIDNEXT (\d+)/.exec(line)!;
  return [Number(m[1]), Number(m[2])];
};

describe('T23 UIDVALIDITY', () => {
  it('gives a re-created mailbox a higher UIDVALIDITY', async () => {
    ({ server, t, backend } = await loggedIn());
    await t.send('v0 CREATE X');
    await t.send('v01 APPEND X {7}\r\nSubj: x');
    const [v] = await statusOf(t, 'v1', 'X');
    await t.send('v2 DELETE X');
    await t.send('v3 CREATE X');
    t.write('v4 APPEND X {8+}\r\nSubj: xy\r\n');
    const appended = await t.collect('v4');
    const m = /APPENDUID (\d+) (\d+)/.exec(appended.tagged)!;
    expect(Number(m[1])).toBeGreaterThan(v);
    const [v2] = await statusOf(t, 'v5', 'X');
    expect(v2).toBeGreaterThan(v);
  });

  it('keeps UIDVALIDITY and UIDNEXT when the sandbox clears a mailbox, and tells selected sessions', async () => {
    ({ server, t, backend } = await loggedIn());
    await t.send('v0 SELECT INBOX');
    const before = await statusOf(t, 'v1', 'INBOX');
    backend.clear(USER, 'INBOX');
    expect((await t.send('v2 NOOP')).untagged).toEqual(['* 1 EXPUNGE', '* 1 EXPUNGE', '* 1 EXPUNGE', '* 1 EXPUNGE']);
    expect(await statusOf(t, 'v3', 'INBOX')).toEqual(before);
  });

  it('keeps UIDVALIDITY across RENAME', async () => {
    ({ server, t } = await loggedIn());
    await t.send('r0 CREATE Old');
    const [v] = await statusOf(t, 'r1', 'Old');
    expect((await t.send('r2 RENAME Old New/Name')).tagged).toMatch(/^r2 OK/);
    expect((await statusOf(t, 'r3', '"New/Name"'))[0]).toBe(v);
  });
});

describe('T24 IDLE', () => {
  for (const command of ['SELECT', 'EXAMINE'] as const) {
    it(`pushes EXISTS, FETCH and EXPUNGE, keeps alive, and ends on DONE (after ${command})`, async () => {
      ({ server, t, backend } = await loggedIn());
      await claimRecent(server);
      await t.send(`n0 ${command} INBOX`);
      const other = await secondClient(server);
      await other.send('o0 SELECT INBOX');
      const started = Date.now();
      t.write('n1 IDLE\r\n');
      expect(await t.next()).toBe('+ idling');

      backend.deliver(USER, 'INBOX', smallMessage(5));
      expect(await t.next()).toBe('* 5 EXISTS');
      if (command === 'SELECT') expect(await t.next()).toBe('* 1 RECENT');

      await other.send('o1 STORE 2 +FLAGS.SILENT (\\Seen)');
      expect(await t.next()).toBe('* 2 FETCH (FLAGS (\\Seen))');

      await other.send('o2 STORE 1 +FLAGS.SILENT (\\Deleted)');
      await t.next(); // the \Deleted flag change
      await other.send('o3 EXPUNGE');
      expect(await t.next()).toBe('* 1 EXPUNGE');

      expect(await t.next()).toBe('* OK Still here');
      expect(Date.now() - started).toBeGreaterThanOrEqual(TEST_LIMITS.idleKeepaliveMs);

      t.write('done\r\n');
      expect(await t.next()).toMatch(/^n1 OK /);

      t.write('n2 IDLE\r\n');
      expect(await t.next()).toBe('+ idling');
      t.write('n3 NOOP\r\n');
      expect(await t.next()).toBe('n2 BAD Expected DONE');
      expect(await t.next()).toMatch(/^n3 OK /);
    });
  }

  it('accepts IDLE in the authenticated state and only sends keepalives', async () => {
    ({ server, t } = await loggedIn());
    t.write('n1 IDLE\r\n');
    expect(await t.next()).toBe('+ idling');
    expect(await t.next()).toBe('* OK Still here');
    t.write('DONE\r\n');
    expect(await t.next()).toMatch(/^n1 OK /);
  });
});

describe('T27 LOGOUT / shutdown', () => {
  it('answers LOGOUT with BYE, tagged OK, and closes', async () => {
    ({ server, t } = await loggedIn());
    const r = await t.send('z1 LOGOUT');
    expect(r.untagged).toEqual(['* BYE Logging out']);
    expect(r.tagged).toMatch(/^z1 OK /);
    await t.waitClosed();
  });

  it('sends BYE to selected and idling clients on shutdown', async () => {
    ({ server, t } = await loggedIn());
    await t.send('a1 SELECT INBOX');
    const idler = await secondClient(server);
    await idler.send('b1 SELECT INBOX');
    idler.write('b2 IDLE\r\n');
    expect(await idler.next()).toBe('+ idling');
    await server.server.close();
    expect(await t.next()).toMatch(/^\* BYE /);
    expect(await idler.next()).toMatch(/^\* BYE /);
    await t.waitClosed();
    await idler.waitClosed();
  });
});
