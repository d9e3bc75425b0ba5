// Every address tag as nodemailer sees it, and that nothing is stored for rejected mail.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';
import { countMessages, send, storedRecipients } from './support.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  await server.db.query('TRUNCATE messages CASCADE');
});

describe('address tags at RCPT TO', () => {
  it('+reject-550 rejects that recipient only; the message is stored for the others', async () => {
    const result = await send(server, { to: ['ok@x.test', 'bad+reject-550@x.test'] });
    expect(result.ok).toBe(true);
    expect(result.info!.accepted).toEqual(['ok@x.test']);
    expect(result.info!.rejected).toEqual(['bad+reject-550@x.test']);
    expect(result.info!.rejectedErrors![0]!.response).toMatch(/^550 5\.1\.1 Injected fault \(tag \+reject-550\)/);
    expect(await storedRecipients(server)).toEqual([['ok@x.test']]);
  });

  it('+reject-553-5.7.1 answers with the given enhanced status', async () => {
    const result = await send(server, { to: 'bad+reject-553-5.7.1@x.test' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'EENVELOPE', responseCode: 553 });
    expect(result.error!.response).toMatch(/^553 5\.7\.1 /);
    expect(await countMessages(server)).toBe(0);
  });

  it('+tempfail-451 fails the only recipient temporarily; nothing is stored', async () => {
    const result = await send(server, { to: 'later+tempfail-451@x.test' });
    expect(result.error).toMatchObject({ code: 'EENVELOPE', responseCode: 451 });
    expect(result.error!.response).toMatch(/^451 4\.3\.0 /);
    expect(await countMessages(server)).toBe(0);
  });

  it('+delay-300ms-rcpt delays the RCPT reply, then accepts', async () => {
    const result = await send(server, { to: 'wait+delay-300ms-rcpt@x.test' });
    expect(result.ok).toBe(true);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(300);
    expect(await countMessages(server)).toBe(1);
  });

  it('+disconnect-rcpt drops the connection at RCPT TO; nothing is stored', async () => {
    const result = await send(server, { to: ['ok@x.test', 'gone+disconnect-rcpt@x.test'] });
    expect(result.ok).toBe(false);
    expect(result.error!.message).toMatch(/closed|ECONNRESET|ended/i);
    expect(await countMessages(server)).toBe(0);
  });
});

describe('address tags at the end of DATA', () => {
  it('+reject-554-data rejects the whole message after DATA; nothing is stored', async () => {
    const result = await send(server, { to: ['ok@x.test', 'bad+reject-554-data@x.test'] });
    expect(result.error).toMatchObject({ code: 'EMESSAGE', responseCode: 554 });
    expect(result.error!.response).toMatch(/^554 5\.7\.1 Injected fault \(tag \+reject-554-data\)/);
    expect(await countMessages(server)).toBe(0);
  });

  it('+tempfail-452-data answers 452 after DATA; nothing is stored', async () => {
    const result = await send(server, { to: 'full+tempfail-452-data@x.test' });
    expect(result.error).toMatchObject({ code: 'EMESSAGE', responseCode: 452 });
    expect(result.error!.response).toMatch(/^452 4\.2\.2 /);
    expect(await countMessages(server)).toBe(0);
  });

  it('+delay-400ms delays the 250 after DATA; the message is stored', async () => {
    const result = await send(server, { to: 'wait+delay-400ms@x.test' });
    expect(result.ok).toBe(true);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(400);
    expect(result.info!.response).toMatch(/^250 /);
    expect(await storedRecipients(server)).toEqual([['wait+delay-400ms@x.test']]);
  });

  it('+disconnect drops the connection after the whole message, without a reply; nothing is stored', async () => {
    const result = await send(server, { to: 'gone+disconnect@x.test' });
    expect(result.ok).toBe(false);
    expect(result.error!.message).toMatch(/closed|ECONNRESET|ended/i);
    expect(await countMessages(server)).toBe(0);
  });

  it('+slow-200ms delays both the RCPT reply and the end-of-DATA reply', async () => {
    const result = await send(server, { to: 'snail+slow-200ms@x.test' });
    expect(result.ok).toBe(true);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(400);
    expect(await countMessages(server)).toBe(1);
  });

  it('an address without a fault tag (or with +run-) is an ordinary recipient', async () => {
    const result = await send(server, { to: ['plain@x.test', 'ci+run-7@x.test', 'odd+reject-450@x.test'] });
    expect(result.ok).toBe(true);
    expect(result.info!.rejected).toEqual([]);
    expect(await countMessages(server)).toBe(1);
  });
});
