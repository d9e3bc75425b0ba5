// Python's imaplib (STARTTLS and implicit TLS) against Letterbox: LIST, SELECT, UID SEARCH,
// UID FETCH BODY.PEEK[] compared byte for byte with the stored message, UID STORE.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { createImapTestEnv, sendMail, storedRaw, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./support/imaplib_client.py', import.meta.url));

interface ImaplibResult {
  login: string;
  list: string[];
  exists: number;
  uids: number[];
  search_subject: number[];
  messages: Record<string, string>;
  store: string[];
  flagged: number[];
}

let env: ImapTestEnv;
let node: RunningLetterbox;

beforeAll(async () => {
  env = await createImapTestEnv();
  node = await env.startNode();
  for (const n of [1, 2, 3]) await sendMail(node, [`py${n === 3 ? 'other' : ''}@example.test`], testMessage(n, 'py@example.test'));
});

afterAll(async () => {
  await env.close();
});

async function imaplib(port: number, user: string, mode: 'starttls' | 'implicit'): Promise<ImaplibResult> {
  const { stdout } = await run('python3', [SCRIPT, String(port), user, mode]);
  return JSON.parse(stdout) as ImaplibResult;
}

describe('Python imaplib against Letterbox', () => {
  it.each([
    ['starttls', () => node.imapPort],
    ['implicit', () => node.imapsPort],
  ] as const)('reads the mailbox over %s with the stored octets', async (mode, port) => {
    const result = await imaplib(port(), 'py@example.test', mode);
    expect(result.login).toBe('OK');
    expect(result.list.some((line) => line.includes('\\Sent') && line.includes('"Sent"'))).toBe(true);
    expect(result.exists).toBe(2);
    expect(result.uids).toEqual([1, 2]);
    expect(result.search_subject).toEqual([2]);
    for (const [i, uid] of result.uids.entries()) {
      const fetched = Buffer.from(result.messages[String(uid)]!, 'base64');
      expect(fetched.equals(await storedRaw(env.db, `interop-${i + 1}@example.test`))).toBe(true);
    }
    expect(result.store.join(' ')).toContain('\\Flagged');
    expect(result.flagged).toEqual([1]);
  });
});
