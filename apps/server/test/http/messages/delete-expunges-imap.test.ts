// A message deleted through the API disappears from connected IMAP clients too (EXPUNGE).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { imapFlow } from '../../imap/support/imap-letterbox.ts';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

const USER = 'imap-watcher@example.test';
let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('DELETE through the API', () => {
  it('reaches an idling IMAP client as EXPUNGE, and the mailbox no longer lists the message', async () => {
    const first = await server.send({ to: USER, subject: 'stays' });
    const doomed = await server.send({ to: USER, subject: 'goes' });
    const watcher = imapFlow(server.letterbox.imapPort, USER);
    await watcher.connect();
    try {
      const mailbox = await watcher.mailboxOpen('INBOX');
      expect(mailbox.exists).toBe(2);
      const expunged: number[] = [];
      watcher.on('expunge', (e: { seq: number }) => expunged.push(e.seq));
      void watcher.idle();

      expect((await api(server.baseUrl, `/api/v1/messages/${doomed}`, { method: 'DELETE' })).status).toBe(200);
      await vi.waitFor(() => expect(expunged).toEqual([2]), { timeout: 10_000 });

      const subjects: string[] = [];
      for await (const m of watcher.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject ?? '');
      expect(subjects).toEqual(['stays']);
      expect((await api(server.baseUrl, `/api/v1/messages/${first}`)).status).toBe(200);
    } finally {
      await watcher.logout();
    }
  });
});
