import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

const STABLE_PATHS = [
  ['get', '/api/v1/messages'],
  ['delete', '/api/v1/messages'],
  ['get', '/api/v1/messages/wait'],
  ['get', '/api/v1/messages/{id}'],
  ['patch', '/api/v1/messages/{id}'],
  ['delete', '/api/v1/messages/{id}'],
  ['get', '/api/v1/messages/{id}/raw'],
  ['get', '/api/v1/messages/{id}/html'],
  ['get', '/api/v1/messages/{id}/text'],
  ['get', '/api/v1/messages/{id}/attachments/{attachmentId}'],
  ['get', '/api/v1/inboxes'],
  ['get', '/api/v1/runs'],
  ['delete', '/api/v1/runs/{run}'],
  ['get', '/api/v1/events'],
  ['get', '/healthz'],
  ['get', '/readyz'],
] as const;

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with every stable path, each with a summary and description', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const [method, path] of STABLE_PATHS) {
      const operation = body.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(operation.summary).toBeTruthy();
      expect(operation.description).toBeTruthy();
    }
  });

  it('documents the filter parameters of list and wait', async () => {
    const { body } = await api(server.baseUrl, '/api/v1/openapi.json');
    for (const path of ['/api/v1/messages', '/api/v1/messages/wait']) {
      const names = body.paths[path].get.parameters.map((p: { name: string }) => p.name);
      expect(names).toEqual(expect.arrayContaining(['to', 'from', 'subject', 'run', 'since']));
    }
    const waitNames = body.paths['/api/v1/messages/wait'].get.parameters.map((p: { name: string }) => p.name);
    expect(waitNames).toEqual(expect.arrayContaining(['timeout', 'count']));
  });

  it('shares schemas as components, with examples', async () => {
    const { body } = await api(server.baseUrl, '/api/v1/openapi.json');
    expect(Object.keys(body.components.schemas)).toEqual(expect.arrayContaining(['Message', 'MessageSummary', 'Error', 'MessagePage']));
    for (const name of ['Error', 'Message', 'MessageSummary', 'MessagePage', 'WaitResult', 'Inbox', 'TestRun', 'DeleteResult']) {
      expect(body.components.schemas[name].example, name).toBeDefined();
    }
  });

  it('serves browsable docs', async () => {
    const { status, headers } = await api(server.baseUrl, '/api/docs/');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/html');
  });

  it('answers unknown API routes with the error envelope', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/nope');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'route_not_found', message: expect.stringContaining('/api/v1/nope') } });
  });
});
