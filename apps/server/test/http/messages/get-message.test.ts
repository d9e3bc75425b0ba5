import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
let signupId: string;

beforeAll(async () => {
  server = await startApiServer();
  signupId = await server.send({
    from: 'App <noreply@app.test>',
    to: 'Bob <bob@example.test>',
    cc: 'carol@example.test',
    bcc: 'dave@example.test',
    replyTo: 'support@app.test',
    subject: 'Your verification code is 483920',
    text: 'Welcome! Confirm at https://app.test/verify?t=abc.\n\nYour code: 483920',
    html: '<p>Welcome!</p><a href="https://app.test/verify?t=abc&amp;x=1">Verify your email</a>',
    headers: {
      'List-Unsubscribe': '<mailto:unsub@app.test>, <https://app.test/unsub>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Letterbox-Run': 'signup-1',
    },
    attachments: [{ filename: 'terms.txt', content: 'be nice', contentType: 'text/plain' }],
  });
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/v1/messages/{id}', () => {
  it('returns envelope, addresses, bodies, attachments, SMTP facts and derived data', async () => {
    const { status, body } = await api(server.baseUrl, `/api/v1/messages/${signupId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: signupId,
      run: 'signup-1',
      from: { name: 'App', address: 'noreply@app.test' },
      to: [{ name: 'Bob', address: 'bob@example.test' }],
      cc: [{ address: 'carol@example.test' }],
      bcc: [{ address: 'dave@example.test' }],
      replyTo: [{ address: 'support@app.test' }],
      subject: 'Your verification code is 483920',
      parseState: 'parsed',
      read: false,
      attachmentCount: 1,
      attachments: [{ filename: 'terms.txt', contentType: 'text/plain', size: 7 }],
      smtp: { mailFrom: 'noreply@app.test', rcptTo: ['bob@example.test', 'carol@example.test', 'dave@example.test'], tls: false },
      codes: [{ code: '483920', source: 'subject' }],
      unsubscribe: { targets: [{ kind: 'mailto', url: 'mailto:unsub@app.test' }, { kind: 'http', url: 'https://app.test/unsub' }], oneClick: true },
    });
    expect(body.text).toContain('Your code: 483920');
    expect(body.html).toContain('Verify your email');
    expect(body.links).toEqual([
      { href: 'https://app.test/verify?t=abc&x=1', text: 'Verify your email', source: 'html' },
      { href: 'https://app.test/verify?t=abc', text: 'https://app.test/verify?t=abc', source: 'text' },
    ]);
    expect(body.headers).toContainEqual({ name: 'X-Letterbox-Run', value: 'signup-1' });
    expect(body.size).toBeGreaterThan(0);
    expect(new Date(body.receivedAt).getTime()).not.toBeNaN();
  });

  it('resolves `latest` with the same filters as the list', async () => {
    const other = await server.send({ to: 'zed@example.test', subject: 'Later message' });
    expect((await api(server.baseUrl, '/api/v1/messages/latest')).body.id).toBe(other);
    expect((await api(server.baseUrl, '/api/v1/messages/latest?to=bob@example.test')).body.id).toBe(signupId);
    const none = await api(server.baseUrl, '/api/v1/messages/latest?to=nobody@example.test');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('message_not_found');
  });

  it('answers 404 message_not_found for an unknown id', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/messages/999999');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'message_not_found', message: 'no message with id 999999' } });
  });

  it('answers 400 naming the field for an id that is not a number or latest', async () => {
    const { status, body } = await api(server.baseUrl, '/api/v1/messages/abc');
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toContain('params.id');
  });
});

describe('a message read before the background parser got to it', () => {
  it('is parsed on demand', async () => {
    await server.letterbox.parser.stop();
    const id = await server.send({ to: 'pending@example.test', subject: 'Parsed on demand', text: 'code 7788' });
    const state = await server.db.query('SELECT "parseState" FROM messages WHERE id = $1', [id]);
    expect(state.rows[0].parseState).toBe('pending');
    const { body } = await api(server.baseUrl, `/api/v1/messages/${id}`);
    expect(body).toMatchObject({ subject: 'Parsed on demand', parseState: 'parsed', codes: [{ code: '7788', source: 'text' }] });
    const listed = await api(server.baseUrl, '/api/v1/messages?subject=on%20demand');
    expect(listed.body.messages.map((m: { id: string }) => m.id)).toEqual([id]);
  });
});
