import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/testing/memory-backend.ts';
import { startTestServer, type TestServer } from '../../src/testing/transcript.ts';
import { fixtureServer, TEST_LIMITS, testTls } from '../helpers/fixture.ts';

let server: TestServer;
afterEach(async () => server?.close());

describe('T01 greeting', () => {
  it('greets with the pre-auth capabilities of a STARTTLS port, IMAP4rev1 and never IMAP4rev2', async () => {
    ({ server } = await fixtureServer({ tls: await testTls(), allowInsecureAuth: false }));
    const t = await server.connect();
    expect(t.greeting).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 SASL-IR LITERAL\+ ID ENABLE IDLE STARTTLS LOGINDISABLED AUTH=PLAIN AUTH=LOGIN\] /);
    expect(t.greeting).not.toContain('IMAP4rev2');
  });

  it('answers ID before authentication', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    const r = await t.send('a0 ID ("name" "x")');
    expect(r.untagged).toEqual(['* ID ("name" "Letterbox" "version" "0.1.0")']);
    expect(r.tagged).toMatch(/^a0 OK /);
  });

  it('omits LOGINDISABLED when plaintext auth is allowed and STARTTLS when TLS is not configured', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    expect(t.greeting).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 SASL-IR LITERAL\+ ID ENABLE IDLE AUTH=PLAIN AUTH=LOGIN\] /);
  });
});

describe('T02 STARTTLS injection', () => {
  it('discards commands pipelined behind STARTTLS and re-advertises without STARTTLS', async () => {
    ({ server } = await fixtureServer({ tls: await testTls(), allowInsecureAuth: false }));
    const t = await server.connect();
    t.write('a1 STARTTLS\r\na2 NOOP\r\n');
    expect(await t.next()).toMatch(/^a1 OK /);
    await t.startTls();
    const caps = await t.send('a3 CAPABILITY');
    expect(caps.untagged).toEqual(['* CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN AUTH=LOGIN']);
    expect(caps.tagged).toMatch(/^a3 OK/);
    const again = await t.send('a4 STARTTLS');
    expect(again.untagged.some((l) => l.startsWith('a2'))).toBe(false);
    expect(again.tagged).toMatch(/^a4 BAD /);
    expect((await t.send('a5 LOGIN t@sandbox.test pw')).tagged).toMatch(/^a5 OK /);
  });

  it('refuses LOGIN before TLS when plaintext auth is not allowed', async () => {
    ({ server } = await fixtureServer({ tls: await testTls(), allowInsecureAuth: false }));
    const t = await server.connect();
    expect((await t.send('a1 LOGIN t@sandbox.test pw')).tagged).toMatch(/^a1 NO \[PRIVACYREQUIRED\] /);
  });
});

describe('T03 LOGIN', () => {
  it('unescapes quoted strings: "p\\"w\\\\x" is the 5-octet password p"w\\x', async () => {
    const backend = new MemoryBackend({ users: { 't@sandbox.test': { password: 'p"w\\x' } } });
    server = await startTestServer(backend, { limits: TEST_LIMITS });
    const t = await server.connect();
    const r = await t.send('b1 LOGIN "t@sandbox.test" "p\\"w\\\\x"');
    expect(r.tagged).toMatch(/^b1 OK \[CAPABILITY IMAP4rev1 .*UIDPLUS MOVE .*\] /);
  });

  it('takes synchronising literals for both arguments', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    t.write('b1 LOGIN {14}\r\n');
    expect(await t.next()).toMatch(/^\+ /);
    t.write('t@sandbox.test {2}\r\n');
    expect(await t.next()).toMatch(/^\+ /);
    t.write('pw\r\n');
    const r = await t.collect('b1');
    expect(r.tagged).toBe(
      'b1 OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE APPENDLIMIT=52428800] Logged in',
    );
  });

  it('answers a wrong password with NO [AUTHENTICATIONFAILED] after the failure delay', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    const started = Date.now();
    const r = await t.send('b1 LOGIN t@sandbox.test wrong');
    expect(Date.now() - started).toBeGreaterThanOrEqual(TEST_LIMITS.authFailureDelayMs);
    expect(r.tagged).toMatch(/^b1 NO \[AUTHENTICATIONFAILED\] /);
    const unknown = await t.send('b2 LOGIN nobody@sandbox.test pw');
    expect(unknown.tagged).toBe(r.tagged.replace('b1', 'b2'));
  });

  it('closes with BYE after the third failure', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    await t.send('b1 LOGIN t@sandbox.test x');
    await t.send('b2 LOGIN t@sandbox.test x');
    const r = await t.send('b3 LOGIN t@sandbox.test x');
    expect(r.tagged).toMatch(/^b3 NO \[AUTHENTICATIONFAILED\]/);
    expect(await t.next()).toMatch(/^\* BYE /);
    await t.waitClosed();
  });
});

describe('T04 AUTHENTICATE PLAIN', () => {
  it('accepts an initial response (SASL-IR)', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    expect((await t.send('c1 AUTHENTICATE PLAIN AHRAc2FuZGJveC50ZXN0AHB3')).tagged).toMatch(/^c1 OK \[CAPABILITY /);
  });

  it('sends an empty challenge without an initial response', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    t.write('c1 AUTHENTICATE PLAIN\r\n');
    expect(await t.next()).toBe('+ ');
    t.write('AHRAc2FuZGJveC50ZXN0AHB3\r\n');
    expect((await t.collect('c1')).tagged).toMatch(/^c1 OK /);
  });

  it('answers BAD when the client cancels with *', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    t.write('c1 AUTHENTICATE PLAIN\r\n');
    expect(await t.next()).toBe('+ ');
    t.write('*\r\n');
    expect((await t.collect('c1')).tagged).toMatch(/^c1 BAD /);
    expect((await t.send('c2 NOOP')).tagged).toMatch(/^c2 OK/);
  });

  it('supports AUTH=LOGIN with base64 user and password prompts', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    t.write('c1 AUTHENTICATE LOGIN\r\n');
    expect(await t.next()).toBe(`+ ${Buffer.from('Username:').toString('base64')}`);
    t.write(Buffer.from('t@sandbox.test').toString('base64') + '\r\n');
    expect(await t.next()).toBe(`+ ${Buffer.from('Password:').toString('base64')}`);
    t.write(Buffer.from('pw').toString('base64') + '\r\n');
    expect((await t.collect('c1')).tagged).toMatch(/^c1 OK /);
  });
});

describe('T05 tags', () => {
  it('accepts dotted tags, rejects "+" in a tag with an untagged BAD, and unknown commands with a tagged BAD', async () => {
    ({ server } = await fixtureServer());
    const t = await server.connect();
    expect((await t.send('23.34 noop')).tagged).toMatch(/^23\.34 OK /);
    t.write('A+1 NOOP\r\n');
    expect(await t.next()).toMatch(/^\* BAD /);
    expect((await t.send('x1 FROB')).tagged).toMatch(/^x1 BAD /);
  });
});

describe('implicit TLS (M7)', () => {
  it('speaks TLS from the first byte, advertises neither STARTTLS nor LOGINDISABLED, and refuses STARTTLS', async () => {
    ({ server } = await fixtureServer({ tls: await testTls(), implicitTls: true, allowInsecureAuth: false }));
    const t = await server.connect();
    expect(t.greeting).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 SASL-IR LITERAL\+ ID ENABLE IDLE AUTH=PLAIN AUTH=LOGIN\] /);
    expect((await t.send('a1 STARTTLS')).tagged).toMatch(/^a1 BAD /);
    expect((await t.send('a2 LOGIN t@sandbox.test pw')).tagged).toMatch(/^a2 OK /);
  });
});
