import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
let richId: string;
let textOnlyId: string;
let attachmentId: string;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

beforeAll(async () => {
  server = await startApiServer();
  richId = await server.send({
    to: 'bob@example.test',
    subject: 'Rich',
    text: 'plain part ü',
    html: '<p>html part <script>alert(1)</script></p>',
    attachments: [{ filename: 'pixel ü.png', content: PNG, contentType: 'image/png' }],
  });
  textOnlyId = await server.send({ to: 'bob@example.test', subject: 'Text only', text: 'just text' });
  attachmentId = (await api(server.baseUrl, `/api/v1/messages/${richId}`)).body.attachments[0].id;
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/v1/messages/{id}/raw', () => {
  it('returns the stored bytes as message/rfc822', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/messages/${richId}/raw`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('message/rfc822');
    expect(response.headers.get('content-disposition')).toContain(`${richId}.eml`);
    const stored = await server.db.query<{ raw: Buffer }>('SELECT raw FROM messages WHERE id = $1', [richId]);
    expect(Buffer.from(await response.arrayBuffer()).equals(stored.rows[0]!.raw)).toBe(true);
  });

  it('answers 404 for an unknown id', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/messages/424242/raw');
    expect(status).toBe(404);
    expect(body.error.code).toBe('message_not_found');
  });
});

describe('GET /api/v1/messages/{id}/html and /text', () => {
  it('serves the HTML part in a sandbox', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/messages/${richId}/html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('html part');
  });

  it('serves the text part', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/messages/${richId}/text`);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('plain part ü');
  });

  it('answers 404 part_not_found when the message has no such part', async () => {
    const { status, body } = await api(server.baseUrl, `/api/v1/messages/${textOnlyId}/html`);
    expect(status).toBe(404);
    expect(body.error.code).toBe('part_not_found');
  });

  it('accepts latest with filters', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/messages/latest/text?subject=rich`);
    expect(await response.text()).toBe('plain part ü');
  });
});

describe('GET /api/v1/messages/{id}/attachments/{attachmentId}', () => {
  it('returns the decoded content with its type and filename', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/messages/${richId}/attachments/${attachmentId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('pixel ü.png')}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('answers 404 attachment_not_found for an attachment of another message or none', async () => {
    const other = await api(server.baseUrl, `/api/v1/messages/${textOnlyId}/attachments/${attachmentId}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('attachment_not_found');
    const none = await api(server.baseUrl, `/api/v1/messages/${richId}/attachments/999999`);
    expect(none.body.error.code).toBe('attachment_not_found');
  });

  it('answers 400 for a malformed attachment id', async () => {
    const { status, body } = await api(server.baseUrl, `/api/v1/messages/${richId}/attachments/x`);
    expect(status).toBe(400);
    expect(body.error.message).toContain('attachmentId');
  });
});
