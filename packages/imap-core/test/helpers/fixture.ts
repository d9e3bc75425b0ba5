/** Fixture F of IMAP.md §6: user t@sandbox.test / pw; INBOX UIDVALIDITY 1700000000 holding m1 + three small messages. */
import { readFileSync } from 'node:fs';
import { MemoryBackend } from '../../src/testing/memory-backend.ts';
import { openTranscript, startTestServer, type TestServer, type Transcript } from '../../src/testing/transcript.ts';
import type { ImapServerOptions } from '../../src/server.ts';

export const USER = 't@sandbox.test';
export const PASSWORD = 'pw';
export const M1 = readFileSync(new URL('../fixtures/m1.eml', import.meta.url));
/** INTERNALDATE of m1: its SMTP receipt time (T12). */
export const M1_RECEIVED = new Date('2025-06-02T10:00:05Z');

export function smallMessage(n: number): string {
  return (
    `From: sender${n}@example.com\r\nTo: t@sandbox.test\r\nSubject: Small message ${n}\r\n` +
    `Date: Mon, 02 Jun 2025 11:0${n}:00 +0000\r\nMessage-ID: <small${n}@example.com>\r\n\r\nBody number ${n}\r\n`
  );
}

export function fixtureBackend(): MemoryBackend {
  return new MemoryBackend({
    uidValidityStart: 1700000000,
    users: {
      [USER]: {
        password: PASSWORD,
        mailboxes: {
          INBOX: {
            messages: [
              { raw: M1, internalDate: M1_RECEIVED },
              { raw: smallMessage(2), internalDate: new Date('2025-06-02T11:02:00Z') },
              { raw: smallMessage(3), internalDate: new Date('2025-06-02T11:03:00Z') },
              { raw: smallMessage(4), internalDate: new Date('2025-06-02T11:04:00Z') },
            ],
          },
        },
      },
    },
  });
}

/** Short delays so tests stay fast; vectors with delays assert against these values. */
export const TEST_LIMITS = { authFailureDelayMs: 200, idleKeepaliveMs: 300 };

export async function fixtureServer(options: Partial<ImapServerOptions> = {}): Promise<{ backend: MemoryBackend; server: TestServer }> {
  const backend = fixtureBackend();
  const server = await startTestServer(backend, { limits: TEST_LIMITS, ...options });
  return { backend, server };
}

/** A fixture server with one client, logged in. */
export async function loggedIn(options: Partial<ImapServerOptions> = {}): Promise<{ backend: MemoryBackend; t: Transcript; server: TestServer }> {
  const { backend, server } = await fixtureServer(options);
  const t = await server.connect();
  const r = await t.send(`L0 LOGIN ${USER} ${PASSWORD}`);
  if (!r.tagged.startsWith('L0 OK')) throw new Error(`login failed: ${r.tagged}`);
  return { backend, t, server };
}

export { openTranscript };

let tlsPems: Promise<{ key: string; cert: string }> | null = null;
/** A self-signed certificate for 127.0.0.1, generated once per test file. */
export function testTls(): Promise<{ key: string; cert: string }> {
  tlsPems ??= import('selfsigned').then(async ({ generate }) => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
    return { key: pems.private, cert: pems.cert };
  });
  return tlsPems;
}

/** Selects INBOX in a throwaway session so the fixture's messages are no longer \Recent for later sessions. */
export async function claimRecent(server: TestServer, mailbox = 'INBOX'): Promise<void> {
  const other = await server.connect();
  await other.send(`R0 LOGIN ${USER} ${PASSWORD}`);
  await other.send(`R1 SELECT ${mailbox}`);
  await other.send('R2 LOGOUT');
}

/** A second logged-in client on the same server. */
export async function secondClient(server: TestServer): Promise<Transcript> {
  const t = await server.connect();
  const r = await t.send(`S0 LOGIN ${USER} ${PASSWORD}`);
  if (!r.tagged.startsWith('S0 OK')) throw new Error(`login failed: ${r.tagged}`);
  return t;
}
