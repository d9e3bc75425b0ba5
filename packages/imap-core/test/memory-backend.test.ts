import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FetchedMessage } from '../src/backend.ts';
import { describeBackendContract } from '../src/testing/backend-contract.ts';
import { MemoryBackend } from '../src/testing/memory-backend.ts';

describeBackendContract('memory', async () => {
  const backend = new MemoryBackend({ users: { 'c@sandbox.test': { password: 'secret' } } });
  return {
    backend,
    username: 'c@sandbox.test',
    password: 'secret',
    deliver: async (mailbox, raw) => void backend.deliver('c@sandbox.test', mailbox, raw),
  };
});

describe('MemoryBackend.loadEmlDirectory', () => {
  it('delivers every .eml file in name order with its mtime as INTERNALDATE', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imap-eml-'));
    await writeFile(path.join(dir, 'b.eml'), 'Subject: second\n\nx\n');
    await writeFile(path.join(dir, 'a.eml'), 'Subject: first\r\n\r\ny\r\n');
    await writeFile(path.join(dir, 'notes.txt'), 'ignored');
    const when = new Date('2024-01-02T03:04:05Z');
    await utimes(path.join(dir, 'a.eml'), when, when);
    const backend = new MemoryBackend({ users: { u: { password: 'p' } } });
    expect(await backend.loadEmlDirectory('u', dir)).toBe(2);
    const s = await backend.createSession({ id: 's', remoteAddress: '', secure: false });
    await s.login('u', 'p');
    await s.select('INBOX', { readOnly: true });
    const got: FetchedMessage[] = [];
    await s.fetch({ uids: [{ start: 1, end: 10 }], raw: true, envelope: false, bodyStructure: false }, async (m) => void got.push(m));
    expect(got.map((m) => m.raw!.toString())).toEqual(['Subject: first\r\n\r\ny\r\n', 'Subject: second\r\n\r\nx\r\n']);
    expect(got[0]!.internalDate.toISOString()).toBe(when.toISOString());
    await rm(dir, { recursive: true });
  });
});
