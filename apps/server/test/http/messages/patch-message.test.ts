import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
let id: string;
beforeAll(async () => {
  server = await startApiServer();
  id = await server.send({ to: 'bob@example.test', subject: 'Read me' });
});
afterAll(async () => {
  await server?.stop();
});

const patch = (path: string, body: string) =>
  api(server.baseUrl, `/api/v1/messages/${path}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body });

describe('PATCH /api/v1/messages/{id}', () => {
  it('marks a message read and unread, and the read filter follows', async () => {
    const read = await patch(id, '{"read":true}');
    expect(read.status).toBe(200);
    expect(read.body.read).toBe(true);
    expect((await api(server.baseUrl, '/api/v1/messages?read=true')).body.messages.map((m: { id: string }) => m.id)).toEqual([id]);
    const unread = await patch(id, '{"read":false}');
    expect(unread.body.read).toBe(false);
    expect((await api(server.baseUrl, '/api/v1/messages?read=true')).body.messages).toEqual([]);
  });

  it('accepts latest', async () => {
    expect((await patch('latest?to=bob@example.test', '{"read":true}')).body).toMatchObject({ id, read: true });
  });

  it.each([
    ['a missing field', '{}', 'read'],
    ['a wrong type', '{"read":"yes"}', 'read'],
    ['malformed JSON', '{"read":', ''],
  ])('answers 400 for %s', async (_name, body, field) => {
    const response = await patch(id, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_parameter');
    expect(response.body.error.message).toContain(field);
  });

  it('answers 404 for an unknown id', async () => {
    const response = await patch('77777', '{"read":true}');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('message_not_found');
  });
});
