// curl's imap:// and imaps:// client against Letterbox: LIST, a message by UID (compared byte
// for byte with the stored message) and SEARCH.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { createImapTestEnv, sendMail, storedRaw, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

const exec = promisify(execFile);

let env: ImapTestEnv;
let node: RunningLetterbox;

beforeAll(async () => {
  env = await createImapTestEnv();
  node = await env.startNode();
  for (const n of [1, 2]) await sendMail(node, ['curl@example.test'], testMessage(n, 'curl@example.test'));
});

afterAll(async () => {
  await env.close();
});

/** `-k`: the certificate is self-signed; `--ssl-reqd` makes imap:// use STARTTLS. */
async function curl(url: string): Promise<Buffer> {
  const { stdout } = await exec('curl', ['-sS', '-k', '--ssl-reqd', '-u', 'curl@example.test:secret', url], { encoding: 'buffer' });
  return stdout;
}

describe('curl against Letterbox', () => {
  it('lists the folders', async () => {
    const listing = (await curl(`imap://127.0.0.1:${node.imapPort}/`)).toString();
    for (const name of ['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk', 'Archive']) expect(listing).toContain(name === 'INBOX' ? 'INBOX' : `"${name}"`);
    expect(listing).toContain('\\Sent');
  });

  it('fetches a message by UID with the stored octets, over STARTTLS and implicit TLS', async () => {
    const raw = await storedRaw(env.db, 'interop-2@example.test');
    expect((await curl(`imap://127.0.0.1:${node.imapPort}/INBOX;UID=2`)).equals(raw)).toBe(true);
    expect((await curl(`imaps://127.0.0.1:${node.imapsPort}/INBOX;UID=2`)).equals(raw)).toBe(true);
  });

  it('searches', async () => {
    const result = (await curl(`imap://127.0.0.1:${node.imapPort}/INBOX?SUBJECT%20%22Interop%201%22`)).toString();
    expect(result.trim()).toBe('* SEARCH 1');
  });
});
