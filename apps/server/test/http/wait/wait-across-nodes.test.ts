import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, startApiServer, type ApiNode, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
let nodeB: ApiNode;
beforeAll(async () => {
  server = await startApiServer();
  nodeB = await server.startNode();
});
afterAll(async () => {
  await server?.stop();
});

describe('a wait on one node', () => {
  it('is satisfied by a message delivered over SMTP to another node', async () => {
    const pending = api(nodeB.baseUrl, '/api/v1/messages/wait?to=cross@example.test&timeout=15000');
    await vi.waitFor(() => expect(nodeB.http.waiterCount()).toBe(1), { timeout: 10_000, interval: 5 });
    const id = await server.send({ to: 'cross@example.test', subject: 'Via node A' });
    const { status, body } = await pending;
    expect(status).toBe(200);
    expect(body.messages.map((m: { id: string }) => m.id)).toEqual([id]);
  });

  it('and the other way round, for a run', async () => {
    const pending = api(server.baseUrl, '/api/v1/messages/wait?run=cross-run&timeout=15000');
    await vi.waitFor(() => expect(server.http.waiterCount()).toBe(1), { timeout: 10_000, interval: 5 });
    const id = await nodeB.send({ to: 'someone+run-cross-run@example.test', subject: 'Via node B' });
    expect((await pending).body.messages.map((m: { id: string }) => m.id)).toEqual([id]);
  });
});
