import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';
import { openSse } from '../support/sse-client.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/v1/events', () => {
  it('streams created, updated and deleted events', async () => {
    const stream = await openSse(`${server.baseUrl}/api/v1/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const id = await server.send({ to: 'sse@example.test', subject: 'event' });
    const created = await stream.next();
    expect(created.event).toBe('message.created');
    expect(JSON.parse(created.data)).toEqual({ type: 'message.created', messageIds: [id] });

    await api(server.baseUrl, `/api/v1/messages/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"read":true}' });
    expect(JSON.parse((await stream.next()).data)).toEqual({ type: 'message.updated', messageIds: [id] });

    await api(server.baseUrl, `/api/v1/messages/${id}`, { method: 'DELETE' });
    expect(JSON.parse((await stream.next()).data)).toEqual({ type: 'message.deleted', messageIds: [id] });
    stream.close();
  });

  it('filters created events by run', async () => {
    const stream = await openSse(`${server.baseUrl}/api/v1/events?run=sse-run`);
    await server.send({ to: 'sse@example.test', subject: 'other run' });
    const mine = await server.send({ to: 'sse+run-sse-run@example.test', subject: 'mine' });
    const event = await stream.next((e) => e.event === 'message.created');
    expect(JSON.parse(event.data).messageIds).toEqual([mine]);
    stream.close();
  });

  it('delivers events of messages delivered to another node', async () => {
    const other = await server.startNode();
    const stream = await openSse(`${other.baseUrl}/api/v1/events`);
    const id = await server.send({ to: 'sse@example.test', subject: 'cross-node' });
    expect(JSON.parse((await stream.next((e) => e.event === 'message.created')).data).messageIds).toEqual([id]);
    stream.close();
  });
});
