// Who may log in: open mode (any recipient address or the catch-all user, any password,
// plaintext LOGIN allowed before STARTTLS) and required mode (only configured credentials,
// NO [AUTHENTICATIONFAILED] otherwise, LOGINDISABLED before STARTTLS).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { createImapTestEnv, imapFlow, type ImapTestEnv } from './support/imap-letterbox.ts';

let env: ImapTestEnv;
let open: RunningLetterbox;
let required: RunningLetterbox;

beforeAll(async () => {
  env = await createImapTestEnv();
  open = await env.startNode();
  required = await env.startNode({
    imapAuth: 'required',
    imapCredentials: [
      { username: 'alice@example.test', password: 'right' },
      { username: '*', password: 'ci-token' },
    ],
  });
});

afterAll(async () => {
  await env.close();
});

/** Sends commands on a plaintext connection and returns everything up to the last tagged reply. */
async function rawSession(port: number, commands: string[]): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  const until = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (pattern.test(received) ? resolve() : undefined);
      socket.on('data', check);
      socket.once('close', () => (pattern.test(received) ? resolve() : reject(new Error(`closed before ${pattern}: ${received}`))));
      check();
    });
  await until(/^\* OK/m);
  for (const [i, command] of commands.entries()) {
    socket.write(`t${i} ${command}\r\n`);
    await until(new RegExp(`^t${i} (OK|NO|BAD)`, 'm'));
  }
  socket.destroy();
  return received;
}

async function loginFails(port: number, user: string, pass: string, secure = false): Promise<string> {
  const client = imapFlow(port, user, { pass, secure });
  const error = await client.connect().then(
    () => null,
    (e: { serverResponseCode?: string; responseText?: string }) => e,
  );
  await client.logout().catch(() => {});
  expect(error).not.toBeNull();
  return error!.serverResponseCode ?? '';
}

describe('IMAP authentication', () => {
  it('open mode: any address and the catch-all user log in with any password, in plaintext too', async () => {
    const transcript = await rawSession(open.imapPort, ['CAPABILITY', 'LOGIN new.person@example.test "anything at all"', 'LOGIN x y']);
    expect(transcript).not.toContain('LOGINDISABLED');
    expect(transcript).toMatch(/^t1 OK/m);
    const catchAll = imapFlow(open.imapsPort, 'catchall', { secure: true });
    await catchAll.connect();
    expect((await catchAll.list()).map((m) => m.path)).toContain('Archive');
    await catchAll.logout();
  });

  it('open mode: a user name that is neither an address nor the catch-all account fails', async () => {
    expect(await loginFails(open.imapPort, 'not-an-address', 'x')).toBe('AUTHENTICATIONFAILED');
  });

  it('required mode: only configured credentials; plaintext login is disabled before STARTTLS', async () => {
    const transcript = await rawSession(required.imapPort, ['CAPABILITY']);
    expect(transcript).toContain('LOGINDISABLED');
    expect(transcript).toContain('STARTTLS');
    const alice = imapFlow(required.imapPort, 'alice@example.test', { pass: 'right' });
    await alice.connect();
    expect(alice.secureConnection).toBe(true);
    await alice.logout();
    expect(await loginFails(required.imapPort, 'alice@example.test', 'wrong')).toBe('AUTHENTICATIONFAILED');
    expect(await loginFails(required.imapsPort, 'bob@example.test', 'right', true)).toBe('AUTHENTICATIONFAILED');
  });

  it('required mode: a *:token credential opens any account, and only accounts', async () => {
    for (const user of ['bob@example.test', 'catchall']) {
      const client = imapFlow(required.imapsPort, user, { pass: 'ci-token', secure: true });
      await client.connect();
      expect((await client.list()).map((m) => m.path)).toContain('INBOX');
      await client.logout();
    }
    expect(await loginFails(required.imapsPort, 'not-an-address', 'ci-token', true)).toBe('AUTHENTICATIONFAILED');
  });
});
