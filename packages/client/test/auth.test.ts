import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '@letterbox/server/config';
import { startLetterbox, type RunningLetterbox } from '@letterbox/server/letterbox';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLetterbox } from '../src/index.ts';

// A second node with a token, on the same database as the shared server.
let node: RunningLetterbox;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'letterbox-client-auth-'));
  node = await startLetterbox({
    ...defaultConfig(), host: '127.0.0.1', smtpPort: 0, imapPort: 0, imapsPort: 0, httpPort: 0,
    databaseUrl: inject('letterbox').databaseUrl, dataDir, logLevel: 'silent', apiToken: 'tok',
  });
});
afterAll(async () => {
  await node?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('token', () => {
  it('is sent as a bearer token', async () => {
    const baseUrl = `http://127.0.0.1:${node.httpPort}`;
    expect(await createLetterbox({ baseUrl }).messages.list().catch((e: unknown) => e)).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await createLetterbox({ baseUrl, token: 'tok' }).messages.list()).toHaveProperty('messages');
  });
});
