import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startTestLetterbox, storedMessages, type TestLetterbox } from './support/test-letterbox.ts';

type AuthMethod = 'PLAIN' | 'LOGIN' | 'CRAM-MD5';
const METHODS: AuthMethod[] = ['PLAIN', 'LOGIN', 'CRAM-MD5'];

function transport(port: number, options: { secure?: boolean; ignoreTLS?: boolean; auth?: { user: string; pass: string; method: AuthMethod } } = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: options.secure ?? false,
    ignoreTLS: options.ignoreTLS ?? false,
    requireTLS: !options.secure && !options.ignoreTLS,
    tls: { rejectUnauthorized: false },
    auth: options.auth ? { user: options.auth.user, pass: options.auth.pass } : undefined,
    authMethod: options.auth?.method,
  });
}

async function rowBySubject(server: TestLetterbox, subject: string) {
  const rows = await storedMessages(server.db);
  return rows.filter((r) => r.raw.toString('utf8').includes(`Subject: ${subject}\r\n`));
}

describe('TLS', () => {
  let server: TestLetterbox;
  beforeAll(async () => {
    server = await startTestLetterbox({ smtpsPort: 0 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('upgrades with STARTTLS, stops advertising it, and records that TLS was used', async () => {
    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    await client.command('EHLO client.test');
    expect((await client.startTls()).code).toBe(220);
    expect(client.encrypted).toBe(true);
    const ehlo = await client.command('EHLO client.test');
    expect(ehlo.lines.map((l) => l.slice(4))).not.toContain('STARTTLS');
    await client.command('MAIL FROM:<tls@sender.test>');
    await client.command('RCPT TO:<tls@rcpt.test>');
    await client.command('DATA');
    client.write(dataPayload('Subject: over starttls\r\n\r\nsecret\r\n'));
    expect((await client.read()).code).toBe(250);
    await client.quit();
    const [row] = await rowBySubject(server, 'over starttls');
    expect(row!.tls).toBe(true);
  });

  it('accepts nodemailer over STARTTLS with the self-signed certificate for localhost', async () => {
    await transport(server.letterbox.smtpPort).sendMail({ from: 'a@sender.test', to: 'b@rcpt.test', subject: 'nodemailer starttls', text: 'x' });
    const [row] = await rowBySubject(server, 'nodemailer starttls');
    expect(row!.tls).toBe(true);
  });

  it('records a plaintext delivery as not TLS', async () => {
    await transport(server.letterbox.smtpPort, { ignoreTLS: true }).sendMail({ from: 'a@sender.test', to: 'b@rcpt.test', subject: 'plain', text: 'x' });
    const [row] = await rowBySubject(server, 'plain');
    expect(row!.tls).toBe(false);
  });

  it('serves implicit TLS on the SMTPS port', async () => {
    expect(server.letterbox.smtpsPort).not.toBeNull();
    const { client, greeting } = await RawSmtpClient.connect(server.letterbox.smtpsPort!, { implicitTls: true });
    expect(greeting.code).toBe(220);
    const ehlo = await client.command('EHLO client.test');
    expect(ehlo.lines.map((l) => l.slice(4))).not.toContain('STARTTLS');
    await client.quit();
    await transport(server.letterbox.smtpsPort!, { secure: true }).sendMail({ from: 'a@sender.test', to: 'b@rcpt.test', subject: 'smtps', text: 'x' });
    const [row] = await rowBySubject(server, 'smtps');
    expect(row!.tls).toBe(true);
  });
});

describe('AUTH in open mode', () => {
  let server: TestLetterbox;
  beforeAll(async () => {
    server = await startTestLetterbox({ smtpAuth: 'open' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('accepts mail without AUTH', async () => {
    await transport(server.letterbox.smtpPort).sendMail({ from: 'a@sender.test', to: 'b@rcpt.test', subject: 'anonymous', text: 'x' });
    const [row] = await rowBySubject(server, 'anonymous');
    expect(row!.authUser).toBeNull();
  });

  for (const method of METHODS) {
    it(`accepts any credentials with AUTH ${method} and records the username as auth user and run`, async () => {
      const user = `user-${method.toLowerCase()}`;
      await transport(server.letterbox.smtpPort, { auth: { user, pass: 'whatever', method } }).sendMail({
        from: 'a@sender.test', to: 'b@rcpt.test', subject: `open ${method}`, text: 'x',
      });
      const [row] = await rowBySubject(server, `open ${method}`);
      expect(row!.authUser).toBe(user);
      expect(row!.run).toBe(user);
    });
  }
});

describe('AUTH in required mode', () => {
  let server: TestLetterbox;
  beforeAll(async () => {
    server = await startTestLetterbox({ smtpAuth: 'required', smtpCredentials: [{ username: 'ci', password: 's3cret:with colon' }] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses MAIL FROM before AUTH with 530', async () => {
    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    await client.command('EHLO client.test');
    const reply = await client.command('MAIL FROM:<a@sender.test>');
    expect(reply.code).toBe(530);
    await client.quit();
  });

  for (const method of METHODS) {
    it(`accepts the configured credentials with AUTH ${method}`, async () => {
      await transport(server.letterbox.smtpPort, { auth: { user: 'ci', pass: 's3cret:with colon', method } }).sendMail({
        from: 'a@sender.test', to: 'b@rcpt.test', subject: `required ${method}`, text: 'x',
      });
      const [row] = await rowBySubject(server, `required ${method}`);
      expect(row!.authUser).toBe('ci');
    });

    it(`rejects a wrong password with AUTH ${method} with 535 and stores nothing`, async () => {
      const failure = transport(server.letterbox.smtpPort, { auth: { user: 'ci', pass: 'wrong', method } }).sendMail({
        from: 'a@sender.test', to: 'b@rcpt.test', subject: `rejected ${method}`, text: 'x',
      });
      await expect(failure).rejects.toMatchObject({ responseCode: 535 });
      expect(await rowBySubject(server, `rejected ${method}`)).toEqual([]);
    });
  }

  it('rejects an unknown user with 535', async () => {
    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    await client.command('EHLO client.test');
    const reply = await client.command(`AUTH PLAIN ${Buffer.from('\0nobody\0s3cret:with colon').toString('base64')}`);
    expect(reply.code).toBe(535);
    expect(reply.text).toMatch(/^5\.7\.8 /);
    await client.quit();
  });
});
