// imapflow 2.1.2 against a running Letterbox: mail sent over SMTP shows up in the recipient's and
// the catch-all INBOX with its stored octets; folders, flags, COPY, MOVE, EXPUNGE and APPEND
// persist and are pushed to a second client through IDLE.
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatBanner, type RunningLetterbox } from '../../src/letterbox.ts';
import { createImapTestEnv, imapFlow, sendMail, storedRaw, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

let env: ImapTestEnv;
let node: RunningLetterbox;
const clients: ImapFlow[] = [];

async function statusOf(client: ImapFlow, path: string, query: Parameters<ImapFlow['status']>[1]) {
  const status = await client.status(path, query);
  if (!status) throw new Error(`STATUS ${path} failed`);
  return status;
}

async function connect(user: string, options: { secure?: boolean } = {}): Promise<ImapFlow> {
  const client = imapFlow(options.secure ? node.imapsPort : node.imapPort, user, options);
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  env = await createImapTestEnv();
  node = await env.startNode();
  await sendMail(node, ['alice@example.test'], testMessage(1));
  await sendMail(node, ['alice@example.test', 'bob@example.test'], testMessage(2, 'alice@example.test, bob@example.test'));
});

afterAll(async () => {
  for (const c of clients) await c.logout().catch(() => {});
  await env.close();
});

describe('imapflow against Letterbox', () => {
  it('runs IMAP and IMAPS listed in the banner', () => {
    const banner = formatBanner(node);
    expect(banner).toMatch(new RegExp(`IMAP +imap://127\\.0\\.0\\.1:${node.imapPort} \\(STARTTLS\\)`));
    expect(banner).toMatch(new RegExp(`IMAPS +imaps://127\\.0\\.0\\.1:${node.imapsPort}`));
  });

  it('logs in over STARTTLS with any password and lists the special-use folders, all subscribed', async () => {
    const client = await connect('alice@example.test');
    expect(client.secureConnection).toBe(true); // upgraded with STARTTLS
    const list = await client.list();
    const special = Object.fromEntries(list.map((m) => [m.path, m.specialUse ?? null]));
    expect(special).toMatchObject({ INBOX: '\\Inbox', Sent: '\\Sent', Drafts: '\\Drafts', Trash: '\\Trash', Junk: '\\Junk', Archive: '\\Archive' });
    expect(list.every((m) => m.subscribed)).toBe(true);
  });

  it("shows a recipient's mail with the stored octets, and every message to the catch-all user", async () => {
    const alice = await connect('alice@example.test', { secure: true });
    const lock = await alice.getMailboxLock('INBOX');
    try {
      const messages = [];
      for await (const m of alice.fetch('1:*', { uid: true, source: true, envelope: true, size: true })) messages.push(m);
      expect(messages.map((m) => m.uid)).toEqual([1, 2]);
      for (const [i, m] of messages.entries()) {
        const raw = await storedRaw(env.db, `interop-${i + 1}@example.test`);
        expect(m.source!.equals(raw)).toBe(true);
        expect(m.size).toBe(raw.length);
        expect(m.envelope!.subject).toBe(`Interop ${i + 1}`);
      }
    } finally {
      lock.release();
    }
    const bob = await connect('bob@example.test');
    expect((await statusOf(bob, 'INBOX', { messages: true })).messages).toBe(1);
    const catchAll = await connect('catchall');
    expect((await statusOf(catchAll, 'INBOX', { messages: true })).messages).toBe(2);
  });

  it('persists flags, COPY, MOVE, EXPUNGE and APPEND, and pushes them to an idling client', async () => {
    const writer = await connect('alice@example.test');
    const watcher = await connect('alice@example.test');
    await watcher.mailboxOpen('INBOX');
    const flagEvents: { uid?: number; flags: Set<string> }[] = [];
    const expungeEvents: number[] = [];
    const existsEvents: number[] = [];
    watcher.on('flags', (e: { uid?: number; flags: Set<string> }) => flagEvents.push(e));
    watcher.on('expunge', (e: { seq: number }) => expungeEvents.push(e.seq));
    watcher.on('exists', (e: { count: number }) => existsEvents.push(e.count));
    void watcher.idle();

    await writer.mailboxOpen('INBOX');
    await writer.messageFlagsAdd('1', ['\\Flagged', '$label1'], { uid: true });
    await vi.waitFor(() => expect(flagEvents.some((e) => e.flags.has('\\Flagged') && e.flags.has('$label1'))).toBe(true), { timeout: 10_000 });

    const copied = await writer.messageCopy('1', 'Archive', { uid: true });
    expect(copied && copied.uidMap?.get(1)).toBe(1);
    const moved = await writer.messageMove('2', 'Trash', { uid: true });
    expect(moved && moved.uidMap?.get(2)).toBe(1);
    await vi.waitFor(() => expect(expungeEvents).toContain(2), { timeout: 10_000 });

    await writer.messageFlagsAdd('1', ['\\Deleted'], { uid: true });
    await writer.mailboxClose(); // CLOSE expunges
    await vi.waitFor(() => expect(expungeEvents).toEqual([2, 1]), { timeout: 10_000 });

    const draft = testMessage(99);
    const appended = await writer.append('INBOX', draft, ['\\Seen']);
    expect(appended && appended.uid).toBe(3);
    await vi.waitFor(() => expect(existsEvents).toContain(1), { timeout: 10_000 });

    const reader = await connect('alice@example.test');
    const status = await statusOf(reader, 'INBOX', { messages: true, uidNext: true, unseen: true });
    expect(status).toMatchObject({ messages: 1, uidNext: 4, unseen: 0 });
    const archived = await reader.getMailboxLock('Archive');
    try {
      const m = await reader.fetchOne('1', { flags: true, source: true }, { uid: true });
      expect(m && [...m.flags!].sort()).toEqual(['$label1', '\\Flagged', '\\Recent']);
      expect(m && m.source!.equals(await storedRaw(env.db, 'interop-1@example.test'))).toBe(true);
    } finally {
      archived.release();
    }
    const trash = await statusOf(reader, 'Trash', { messages: true });
    expect(trash.messages).toBe(1);
    const stored = await env.db.query<{ flags: string[] }>(
      `SELECT mm.flags FROM mailbox_messages mm JOIN mailboxes mb ON mb.id = mm."mailboxId" JOIN accounts a ON a.id = mb."accountId"
        WHERE a.address = 'alice@example.test' AND mb.name = 'INBOX' AND mm.uid = 3`,
    );
    expect(stored.rows[0]!.flags).toEqual(['\\Seen']);
  });

  it('creates, renames and deletes folders, keeping UIDVALIDITY on rename', async () => {
    const client = await connect('alice@example.test');
    await client.mailboxCreate('Projects/Letterbox');
    const before = await statusOf(client, 'Projects/Letterbox', { uidValidity: true });
    await client.mailboxRename('Projects', 'Work');
    const after = await statusOf(client, 'Work/Letterbox', { uidValidity: true });
    expect(after.uidValidity).toBe(before.uidValidity);
    await client.mailboxDelete('Work/Letterbox');
    const names = (await client.list()).map((m) => m.path);
    expect(names).toContain('Work');
    expect(names).not.toContain('Work/Letterbox');
    expect(names).not.toContain('Projects');
  });
});

describe('imapflow: large messages', () => {
  it('fetches messages larger than a FETCH page holds, each byte for byte', async () => {
    const client = await connect('big@example.test');
    // Three 3 MiB messages: more than one page's raw byte budget (4 MiB), so pages are cut by size.
    const bodies = [1, 2, 3].map((n) =>
      Buffer.from(`Subject: big ${n}\r\nMessage-ID: <big-${n}@example.test>\r\n\r\n${`${n}`.repeat(76)}\r\n`.padEnd(3 * 1024 * 1024, 'x') + '\r\n'),
    );
    for (const body of bodies) await client.append('INBOX', body);
    const lock = await client.getMailboxLock('INBOX');
    try {
      const fetched: Buffer[] = [];
      for await (const m of client.fetch('1:*', { source: true })) fetched.push(m.source!);
      expect(fetched).toHaveLength(3);
      for (const [i, body] of bodies.entries()) expect(fetched[i]!.equals(body)).toBe(true);
    } finally {
      lock.release();
    }
  });
});
