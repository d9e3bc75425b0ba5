import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
  await server.send({ to: 'bob@example.test', subject: '1' });
  await server.send({ to: ['bob@example.test', 'alice@example.test'], subject: '2' });
  await server.send({ to: 'carol@other.test', subject: '3', headers: { 'X-Letterbox-Run': 'r1' } });
});
afterAll(async () => {
  await server?.stop();
});

type Inbox = { address: string; messageCount: number; lastReceivedAt: string };
const inboxes = async (query = '') => {
  const response = await api<{ inboxes: Inbox[]; nextCursor: string | null }>(server.baseUrl, `/api/v1/inboxes${query}`);
  expect(response.status).toBe(200);
  return response.body;
};

describe('GET /api/v1/inboxes', () => {
  it('lists recipient addresses with counts, in address order, without the catch-all', async () => {
    const { inboxes: list, nextCursor } = await inboxes();
    expect(list.map((i) => [i.address, i.messageCount])).toEqual([
      ['alice@example.test', 1],
      ['bob@example.test', 2],
      ['carol@other.test', 1],
    ]);
    expect(nextCursor).toBeNull();
    const messages = (await api(server.baseUrl, '/api/v1/messages?recipient=bob@example.test')).body.messages;
    expect(list[1]!.lastReceivedAt).toBe(messages[0].receivedAt);
  });

  it('filters by address substring and by run', async () => {
    expect((await inboxes('?address=OTHER')).inboxes.map((i) => i.address)).toEqual(['carol@other.test']);
    expect((await inboxes('?run=r1')).inboxes.map((i) => [i.address, i.messageCount])).toEqual([['carol@other.test', 1]]);
  });

  it('pages with a cursor', async () => {
    const first = await inboxes('?limit=2');
    expect(first.inboxes.map((i) => i.address)).toEqual(['alice@example.test', 'bob@example.test']);
    const second = await inboxes(`?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.inboxes.map((i) => i.address)).toEqual(['carol@other.test']);
  });

  it('counts only messages not deleted', async () => {
    await api(server.baseUrl, '/api/v1/messages?subject=1', { method: 'DELETE' });
    expect((await inboxes('?address=bob')).inboxes[0]!.messageCount).toBe(1);
  });

  it('answers 400 for an oversized page', async () => {
    const response = await api(server.baseUrl, '/api/v1/inboxes?limit=500');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('limit');
  });
});
