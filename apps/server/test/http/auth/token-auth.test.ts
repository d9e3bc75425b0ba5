import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';
import { openSse } from '../support/sse-client.ts';

const TOKEN = 's3cret-token';

describe('with an API token', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ apiToken: TOKEN });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(['/api/v1/messages', '/api/v1/messages/1', '/api/v1/messages/wait?timeout=0', '/api/v1/inboxes', '/api/v1/runs', '/api/v1/openapi.json', '/api/v1/events'])(
    'refuses %s without the token (401 unauthorized)',
    async (path) => {
      const { status, headers, body } = await api(server.baseUrl, path);
      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toContain('Bearer');
      expect(body.error.code).toBe('unauthorized');
    },
  );

  it('refuses a wrong token', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/messages', { headers: { authorization: 'Bearer nope' } });
    expect(status).toBe(401);
    expect(body.error.message).toContain('wrong');
  });

  it('accepts the bearer token', async () => {
    const { status } = await api(server.baseUrl, '/api/v1/messages', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(status).toBe(200);
  });

  it('accepts the token as a query parameter for EventSource', async () => {
    const stream = await openSse(`${server.baseUrl}/api/v1/events?token=${TOKEN}`);
    expect(stream.status).toBe(200);
    const id = await server.send({ to: 'a@example.test', subject: 'x' });
    expect(JSON.parse((await stream.next()).data).messageIds).toEqual([id]);
    stream.close();
  });

  it('keeps health probes open', async () => {
    expect((await api(server.baseUrl, '/healthz')).status).toBe(200);
    expect((await api(server.baseUrl, '/readyz')).status).toBe(200);
  });
});

describe('without an API token', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ corsOrigins: ['https://ui.example.test'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is open', async () => {
    expect((await api(server.baseUrl, '/api/v1/messages')).status).toBe(200);
  });

  it('answers CORS preflights for configured origins only', async () => {
    const allowed = await fetch(`${server.baseUrl}/api/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'https://ui.example.test', 'access-control-request-method': 'DELETE' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ui.example.test');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('DELETE');
    const other = await fetch(`${server.baseUrl}/api/v1/messages`, { headers: { origin: 'https://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
