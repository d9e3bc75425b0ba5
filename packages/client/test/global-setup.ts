// One real Letterbox for the client's tests: embedded PostgreSQL in a scratch directory, SMTP,
// IMAP and HTTP on free ports of 127.0.0.1.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '@letterbox/server/config';
import { startLetterbox } from '@letterbox/server/letterbox';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    letterbox: { baseUrl: string; smtpPort: number; databaseUrl: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'letterbox-client-test-'));
  // PostgreSQL runs as its own user when we run as root: it must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const letterbox = await startLetterbox({
    ...defaultConfig(),
    host: '127.0.0.1',
    smtpPort: 0,
    imapPort: 0,
    imapsPort: 0,
    httpPort: 0,
    embeddedPostgresPort: 0,
    dataDir,
    logLevel: 'warn',
  });
  project.provide('letterbox', {
    baseUrl: `http://127.0.0.1:${letterbox.httpPort}`,
    smtpPort: letterbox.smtpPort,
    databaseUrl: letterbox.database.url,
  });
  return async () => {
    await letterbox.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
