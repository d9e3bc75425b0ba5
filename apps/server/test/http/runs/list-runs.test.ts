import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
const HOUR_MS = 3_600_000;
beforeAll(async () => {
  server = await startApiServer({ runTtlMs: HOUR_MS });
  // Precedence: AUTH user, then X-Letterbox-Run, then a +run- tag.
  const authed = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true, auth: { user: 'run-auth', pass: 'x' } });
  await authed.sendMail({ from: 'a@example.test', to: 'x+run-tag@example.test', subject: 'auth wins', headers: { 'X-Letterbox-Run': 'run-header' } });
  authed.close();
  await server.send({ to: 'x+run-tag@example.test', subject: 'header wins', headers: { 'X-Letterbox-Run': 'run-header' } });
  await server.send({ to: 'x+run-tag@example.test', subject: 'tag' });
  await server.send({ to: 'y+run-tag@example.test', subject: 'tag 2' });
  await server.send({ to: 'norun@example.test', subject: 'no run' });
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/v1/runs', () => {
  it('lists runs in name order with counts, times and expiry', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/runs');
    expect(status).toBe(200);
    expect(body.runs.map((r: { run: string; messageCount: number }) => [r.run, r.messageCount])).toEqual([
      ['run-auth', 1],
      ['run-header', 1],
      ['tag', 2],
    ]);
    const tag = body.runs[2];
    expect(Date.parse(tag.lastReceivedAt)).toBeGreaterThanOrEqual(Date.parse(tag.firstReceivedAt));
    expect(Date.parse(tag.expiresAt)).toBe(Date.parse(tag.lastReceivedAt) + HOUR_MS);
    expect(body.nextCursor).toBeNull();
  });

  it('pages with a cursor', async () => {
    const first = await api(server.baseUrl, '/api/v1/runs?limit=2');
    expect(first.body.runs.map((r: { run: string }) => r.run)).toEqual(['run-auth', 'run-header']);
    const second = await api(server.baseUrl, `/api/v1/runs?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.runs.map((r: { run: string }) => r.run)).toEqual(['tag']);
  });

  it('answers 400 for an oversized page', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/runs?limit=1000');
    expect(status).toBe(400);
    expect(body.error.message).toContain('limit');
  });

  it('is what the run filter of the message list selects', async () => {
    const { body } = await api(server.baseUrl, '/api/v1/messages?run=tag');
    expect(body.messages.map((m: { subject: string }) => m.subject).sort()).toEqual(['tag', 'tag 2']);
  });
});
