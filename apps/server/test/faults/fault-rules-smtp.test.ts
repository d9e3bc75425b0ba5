// Fault rules through the API, one per stage and kind, as nodemailer sees them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataPayload, RawSmtpClient } from '../smtp/support/raw-smtp-client.ts';
import { seededUniform } from '../../src/domain/faults/seeded-draw.ts';
import { startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';
import { clearRules, countMessages, createRule, send, storedRecipients } from './support.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  await clearRules(server);
  await server.db.query('TRUNCATE messages CASCADE');
});

describe('fault rules at each stage', () => {
  it('connect: 421 instead of the greeting', async () => {
    await createRule(server, { stage: 'connect', reply: { code: 421, message: 'Down for maintenance' } });
    const result = await send(server, { to: 'a@x.test' });
    expect(result.error).toMatchObject({ responseCode: 421 });
    expect(result.error!.response).toBe('421 Down for maintenance');
    expect(await countMessages(server)).toBe(0);
  });

  it('connect: delay before the greeting, then normal delivery', async () => {
    await createRule(server, { stage: 'connect', delayMs: 300 });
    const result = await send(server, { to: 'a@x.test' });
    expect(result.ok).toBe(true);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(300);
  });

  it('ehlo: 554 to EHLO and to the HELO fallback', async () => {
    await createRule(server, { stage: 'ehlo', reply: { code: 554, message: 'No thanks' } });
    const result = await send(server, { to: 'a@x.test' });
    expect(result.error).toMatchObject({ responseCode: 554 });
    expect(result.error!.response).toBe('554 No thanks');
    expect(await countMessages(server)).toBe(0);
  });

  it('auth: 535 5.7.8 for the run that authenticates, not for another', async () => {
    await createRule(server, { stage: 'auth', run: 'ci-bad', reply: { code: 535, enhancedStatus: '5.7.8', message: 'Bad credentials' } });
    const bad = await send(server, { to: 'a@x.test' }, { user: 'ci-bad', pass: 'x' });
    expect(bad.error).toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect(bad.error!.response).toBe('535 5.7.8 Bad credentials');
    const good = await send(server, { to: 'a@x.test' }, { user: 'ci-good', pass: 'x' });
    expect(good.ok).toBe(true);
    expect(await countMessages(server)).toBe(1);
  });

  it('mail_from: 451 with the default enhanced status', async () => {
    await createRule(server, { stage: 'mail_from', reply: { code: 451 } });
    const result = await send(server, { to: 'a@x.test' });
    expect(result.error).toMatchObject({ code: 'EENVELOPE', responseCode: 451 });
    expect(result.error!.response).toMatch(/^451 4\.3\.0 Injected fault \(rule \d+\)$/);
    expect(await countMessages(server)).toBe(0);
  });

  it('mail_from: disconnect', async () => {
    await createRule(server, { stage: 'mail_from', disconnect: true });
    const result = await send(server, { to: 'a@x.test' });
    expect(result.ok).toBe(false);
    expect(result.error!.message).toMatch(/closed|ECONNRESET|ended/i);
  });

  it('rcpt_to for one run (+run- tag): its recipients fail, another run and untagged mail pass', async () => {
    await createRule(server, { stage: 'rcpt_to', run: 'r1', reply: { code: 550, enhancedStatus: '5.1.2', message: 'Nope' } });
    const result = await send(server, { to: ['a+run-r1@x.test', 'b+run-r2@x.test', 'c@x.test'] });
    expect(result.info!.rejected).toEqual(['a+run-r1@x.test']);
    expect(result.info!.rejectedErrors![0]!.response).toBe('550 5.1.2 Nope');
    expect(await storedRecipients(server)).toEqual([['b+run-r2@x.test', 'c@x.test']]);
  });

  it('rcpt_to: delay, then accept', async () => {
    await createRule(server, { stage: 'rcpt_to', delayMs: 250 });
    const result = await send(server, { to: ['a@x.test', 'b@x.test'] });
    expect(result.ok).toBe(true);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(500);
  });

  it('data for one run (X-Letterbox-Run header): 552 5.3.4 after the message; nothing stored', async () => {
    await createRule(server, { stage: 'data', run: 'big', reply: { code: 552, enhancedStatus: '5.3.4', message: 'Too big' } });
    const result = await send(server, { to: 'a@x.test', headers: { 'X-Letterbox-Run': 'big' } });
    expect(result.error).toMatchObject({ code: 'EMESSAGE', responseCode: 552 });
    expect(result.error!.response).toBe('552 5.3.4 Too big');
    expect(await countMessages(server)).toBe(0);
    expect((await send(server, { to: 'a@x.test', headers: { 'X-Letterbox-Run': 'small' } })).ok).toBe(true);
    expect(await countMessages(server)).toBe(1);
  });

  it('data: disconnect after the message; nothing stored', async () => {
    await createRule(server, { stage: 'data', disconnect: true, delayMs: 100 });
    const result = await send(server, { to: 'a@x.test' });
    expect(result.ok).toBe(false);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(100);
    expect(await countMessages(server)).toBe(0);
  });

  it('probability with a seed: exactly the hits the seeded sequence predicts, again after re-creating the rule', async () => {
    const seed = 42;
    const probability = 0.5;
    const attempts = 16;
    const expected = Array.from({ length: attempts }, (_, n) => seededUniform(seed, n) < probability);
    expect(expected.some(Boolean) && !expected.every(Boolean)).toBe(true);
    const observe = async () => {
      const hits: boolean[] = [];
      for (let i = 0; i < attempts; i++) {
        const result = await send(server, { to: `p${i}@x.test` });
        hits.push(!result.ok && result.error!.responseCode === 451);
      }
      return hits;
    };
    await createRule(server, { stage: 'rcpt_to', reply: { code: 451 }, probability, seed });
    expect(await observe()).toEqual(expected);
    expect(await countMessages(server)).toBe(expected.filter((hit) => !hit).length);
    await clearRules(server);
    await createRule(server, { stage: 'rcpt_to', reply: { code: 451 }, probability, seed });
    expect(await observe()).toEqual(expected);
  });

  it('pipelined commands are answered in order with faults in between (MAIL FROM delay, RCPT reject)', async () => {
    await createRule(server, { stage: 'mail_from', delayMs: 50 });
    await createRule(server, { stage: 'rcpt_to', run: 'r1', reply: { code: 550 } });
    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    await client.command('EHLO pipe.test');
    client.write(Buffer.concat([
      Buffer.from('MAIL FROM:<p@x.test>\r\nRCPT TO:<a+run-r1@x.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n'),
      dataPayload('Subject: p\r\n\r\nbody\r\n'),
      Buffer.from('NOOP\r\n'),
    ]));
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await client.read()).code);
    expect(codes).toEqual([250, 550, 250, 354, 250, 250]);
    await client.quit();
    expect(await storedRecipients(server)).toEqual([['b@x.test']]);
  });

  it('probability 0 never fires', async () => {
    await createRule(server, { stage: 'rcpt_to', reply: { code: 550 }, probability: 0 });
    expect((await send(server, { to: 'a@x.test' })).ok).toBe(true);
  });
});
