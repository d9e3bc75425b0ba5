import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLetterbox, LetterboxApiError, LetterboxTimeoutError } from '../src/index.ts';
import { send, unique } from './send.ts';

const letterbox = createLetterbox({ baseUrl: inject('letterbox').baseUrl });

describe('messages.waitFor', () => {
  it('returns the message with links, codes, html, text and attachments', async () => {
    const to = `${unique('signup')}@example.test`;
    const waiting = letterbox.messages.waitFor({ to, subject: 'Verify', timeout: 10_000 });
    await send({
      to,
      subject: 'Verify your email',
      text: 'Your verification code is 246810. Or open https://app.test/verify?token=t1',
      html: '<p>Code <b>246810</b></p><a href="https://app.test/verify?token=t1">Confirm my address</a>',
      attachments: [{ filename: 'welcome.txt', content: 'hi' }],
    });
    const message = await waiting;
    expect(message.subject).toBe('Verify your email');
    expect(message.codes[0]?.code).toBe('246810');
    expect(message.links.find((l) => l.source === 'html')).toEqual({ href: 'https://app.test/verify?token=t1', text: 'Confirm my address', source: 'html' });
    expect(message.html).toContain('Confirm my address');
    expect(message.text).toContain('246810');
    expect(message.attachments.map((a) => a.filename)).toEqual(['welcome.txt']);
  });

  it('throws LetterboxTimeoutError naming the filter and what did arrive', async () => {
    const run = unique('timeout-run');
    await send({ to: 'someone@example.test', subject: 'Not the one', headers: { 'X-Letterbox-Run': run } });
    const error = await letterbox.run(run).messages.waitFor({ subject: 'Password reset', timeout: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LetterboxTimeoutError);
    const timeout = error as LetterboxTimeoutError;
    expect(timeout.status).toBe(408);
    expect(timeout.code).toBe('wait_timeout');
    expect(timeout.message).toContain('subject: "Password reset"');
    expect(timeout.message).toContain(`run: "${run}"`);
    expect(timeout.message).toContain('"Not the one"');
    expect(timeout.arrived.map((m) => m.subject)).toEqual(['Not the one']);
  });

  it('without a run, names what arrived during the wait', async () => {
    const to = `${unique('nobody')}@example.test`;
    const waiting = letterbox.messages.waitFor({ to, timeout: 1_500 }).catch((e: unknown) => e);
    const otherSubject = unique('Meanwhile');
    await send({ to: 'elsewhere@example.test', subject: otherSubject });
    const error = (await waiting) as LetterboxTimeoutError;
    expect(error).toBeInstanceOf(LetterboxTimeoutError);
    expect(error.message).toContain(`to: "${to}"`);
    expect(error.message).toContain('Arrived meanwhile');
    expect(error.arrived.map((m) => m.subject)).toContain(otherSubject);
  });

  it('waitForMany waits for a count', async () => {
    const to = `${unique('many')}@example.test`;
    const waiting = letterbox.messages.waitForMany({ to, count: 2, timeout: 10_000 });
    await send({ to, subject: 'one' });
    await send({ to, subject: 'two' });
    expect((await waiting).map((m) => m.subject)).toEqual(['two', 'one']);
  });
});

describe('messages', () => {
  it('list, get, latest, raw, html, text, attachment, markRead, delete', async () => {
    const to = `${unique('crud')}@example.test`;
    const id = await send({ to, subject: 'CRUD', text: 'plain', html: '<i>rich</i>', attachments: [{ filename: 'a.bin', content: Buffer.from([1, 2, 3]) }] });
    const page = await letterbox.messages.list({ to, limit: 10 });
    expect(page.messages.map((m) => m.id)).toEqual([id]);
    expect((await letterbox.messages.get(id)).subject).toBe('CRUD');
    expect((await letterbox.messages.latest({ to })).id).toBe(id);
    expect(new TextDecoder().decode(await letterbox.messages.raw(id))).toContain('Subject: CRUD');
    expect(await letterbox.messages.html(id)).toBe('<i>rich</i>');
    expect(await letterbox.messages.text(id)).toBe('plain');
    const attachmentId = (await letterbox.messages.get(id)).attachments[0]!.id;
    expect([...(await letterbox.messages.attachment(id, attachmentId)).content]).toEqual([1, 2, 3]);
    expect((await letterbox.messages.markRead(id)).read).toBe(true);
    expect((await letterbox.messages.list({ to, read: true })).messages).toHaveLength(1);
    await letterbox.messages.delete(id);
    const gone = await letterbox.messages.get(id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(LetterboxApiError);
    expect((gone as LetterboxApiError).code).toBe('message_not_found');
    expect((gone as LetterboxApiError).status).toBe(404);
  });

  it('turns bad input into LetterboxApiError with the server\'s code', async () => {
    const error = await letterbox.messages.list({ limit: 500 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'invalid_parameter' });
    expect((error as Error).message).toContain('limit');
  });

  it('reports an unreachable server as a network_error', async () => {
    const nowhere = createLetterbox({ baseUrl: 'http://127.0.0.1:1' });
    expect(await nowhere.messages.list().catch((e: unknown) => e)).toMatchObject({ code: 'network_error' });
  });
});
