import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryBackend } from '../../src/testing/memory-backend.ts';
import type { TestServer } from '../../src/testing/transcript.ts';
import { fixtureServer, M1, PASSWORD, smallMessage, testTls, USER } from '../helpers/fixture.ts';

let server: TestServer;
let backend: MemoryBackend;
let client: ImapFlow;

beforeEach(async () => {
  ({ server, backend } = await fixtureServer());
  client = new ImapFlow({ host: '127.0.0.1', port: server.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
  await client.connect();
});

afterEach(async () => {
  await client.logout().catch(() => {});
  await server.close();
});

describe('imapflow 2.1.2 against the memory server', () => {
  it('logs in without enabling anything we do not offer, and lists special-use folders', async () => {
    expect(client.capabilities.has('IMAP4rev2')).toBe(false);
    const list = await client.list();
    const special = Object.fromEntries(list.map((m) => [m.path, m.specialUse ?? null]));
    expect(special).toMatchObject({ INBOX: '\\Inbox', Sent: '\\Sent', Drafts: '\\Drafts', Trash: '\\Trash', Junk: '\\Junk', Archive: '\\Archive' });
    const status = await client.status('INBOX', { messages: true, uidNext: true, uidValidity: true, unseen: true });
    expect(status).toMatchObject({ messages: 4, uidNext: 5, unseen: 4, uidValidity: 1700000000n });
  });

  it('fetches every item kind', async () => {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const msg = await client.fetchOne('1', {
        uid: true,
        flags: true,
        envelope: true,
        bodyStructure: true,
        internalDate: true,
        size: true,
        source: true,
        headers: ['subject', 'message-id'],
        bodyParts: ['1.1', '2'],
      });
      expect(msg).not.toBe(false);
      if (!msg) return;
      expect(msg.uid).toBe(1);
      expect(msg.size).toBe(688);
      expect(msg.source!.equals(M1)).toBe(true);
      expect(msg.envelope!.subject).toBe('Résumé');
      expect(msg.envelope!.from![0]).toMatchObject({ name: 'Doe, John', address: 'john@example.com' });
      expect(msg.bodyStructure!.childNodes!.map((n) => n.type)).toEqual(['multipart/alternative', 'application/pdf']);
      expect(msg.bodyStructure!.childNodes![1]!.dispositionParameters).toMatchObject({ filename: 'résumé.pdf' });
      expect(msg.headers!.toString()).toContain('Message-ID: <m1@example.com>');
      expect(msg.bodyParts!.get('1.1')!.toString()).toBe('Hello=20world\r\n');
      expect(msg.bodyParts!.get('2')!.toString()).toBe('JVBERi0xLjQK\r\n');
      expect(new Date(msg.internalDate!).toISOString()).toBe('2025-06-02T10:00:05.000Z');
      const all = [];
      for await (const m of client.fetch('1:*', { uid: true, flags: true })) all.push(m.uid);
      expect(all).toEqual([1, 2, 3, 4]);
    } finally {
      lock.release();
    }
  });

  it('searches, stores, copies, moves, expunges and appends', async () => {
    const lock = await client.getMailboxLock('INBOX');
    try {
      expect(await client.search({ subject: 'Small message' }, { uid: true })).toEqual([2, 3, 4]);
      expect(await client.search({ or: [{ header: { 'message-id': '<m1@example.com>' } }, { larger: 160, smaller: 170 }] })).toEqual([1, 2, 3, 4]);
      await client.messageFlagsAdd('1', ['\\Flagged', '$label1'], { uid: true });
      const flags = await client.fetchOne('1', { flags: true }, { uid: true });
      expect(flags && [...flags.flags!]).toEqual(expect.arrayContaining(['\\Flagged', '$label1']));
      expect(await client.search({ flagged: true })).toEqual([1]);

      const copied = await client.messageCopy('1:2', 'Archive', { uid: true });
      expect(copied).toMatchObject({ destination: 'Archive', uidValidity: 1700000005n });
      expect([...copied ? copied.uidMap!.entries() : []]).toEqual([[1, 1], [2, 2]]);

      const moved = await client.messageMove('3', 'Trash', { uid: true });
      expect(moved && [...moved.uidMap!.entries()]).toEqual([[3, 1]]);
      expect(await client.messageDelete('2', { uid: true })).toBe(true);
      const remaining = [];
      for await (const m of client.fetch('1:*', { uid: true })) remaining.push(m.uid);
      expect(remaining).toEqual([1, 4]);

      const appended = await client.append('INBOX', smallMessage(9), ['\\Seen'], new Date('2025-06-03T00:00:00Z'));
      expect(appended).toMatchObject({ destination: 'INBOX', uid: 5, uidValidity: 1700000000n });
      const last = await client.fetchOne('*', { uid: true, flags: true, envelope: true });
      expect(last && last.uid).toBe(5);
      expect(last && last.envelope!.subject).toBe('Small message 9');
    } finally {
      lock.release();
    }
  });

  it('receives a delivered message while idling', async () => {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const exists = new Promise<{ count: number; prevCount: number }>((resolve) => client.once('exists', resolve));
      const idling = client.idle();
      await new Promise((r) => setTimeout(r, 50));
      backend.deliver(USER, 'INBOX', smallMessage(5));
      expect(await exists).toMatchObject({ count: 5, prevCount: 4 });
      const expunge = new Promise<{ seq: number }>((resolve) => client.once('expunge', resolve));
      backend.clear(USER, 'INBOX');
      expect((await expunge).seq).toBe(1);
      void idling;
    } finally {
      lock.release();
    }
  });
});

describe('imapflow over STARTTLS and across a shutdown', () => {
  it('upgrades with STARTTLS, logs in, and sees BYE + close when the server shuts down', async () => {
    const tlsServer = await fixtureServer({ tls: await testTls(), allowInsecureAuth: false });
    const secureClient = new ImapFlow({
      host: '127.0.0.1',
      port: tlsServer.server.port,
      secure: false,
      tls: { rejectUnauthorized: false },
      auth: { user: USER, pass: PASSWORD },
      logger: false,
    });
    const errors: unknown[] = [];
    secureClient.on('error', (e: unknown) => errors.push(e));
    await secureClient.connect();
    expect(secureClient.secureConnection).toBe(true);
    const lock = await secureClient.getMailboxLock('INBOX');
    const closed = new Promise<void>((resolve) => secureClient.once('close', () => resolve()));
    void secureClient.idle();
    await new Promise((r) => setTimeout(r, 50));
    await tlsServer.server.close();
    await closed;
    lock.release();
    expect(secureClient.usable).toBe(false);
    expect(errors).toEqual([]);
  });
});
