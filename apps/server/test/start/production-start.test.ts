// `pnpm start`'s path: scripts/start.mjs builds the server into plain JavaScript when the sources
// changed and runs the bundle. The rest of the suite runs the TypeScript sources, so this is the
// one test that the bundle (workspace packages, generated Prisma client, migration child, web
// handler) starts, takes mail and stops.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, queryOnce, type TestDatabase } from '../helpers/database.ts';
import { dataPayload, RawSmtpClient } from '../smtp/support/raw-smtp-client.ts';

const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** A build on a fresh clone takes about a second; the slack is for a loaded 2-core machine. */
const START_TIMEOUT_MS = 90_000;

describe('the production start (scripts/start.mjs)', () => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    // Empty, so the start has migrations to run (in the short-lived child process).
    database = await createEmptyDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'letterbox-start-test-'));
  });
  afterAll(async () => {
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs the built bundle, migrates, accepts a message over SMTP and exits 0 on SIGTERM', { timeout: START_TIMEOUT_MS }, async () => {
    const child = spawn(
      process.execPath,
      ['scripts/start.mjs', '--database-url', database.url, '--data-dir', dataDir, '--smtp-port', '0', '--imap-port', '0', '--imaps-port', '0', '--http-port', '0', '--log-level', 'info'],
      { cwd: SERVER_DIR, env: { ...process.env, DATABASE_URL: '', NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const waitFor = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) resolve(match);
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        void exited.then(() => reject(new Error(`letterbox exited before printing ${pattern}:\n${output}`)));
        check();
      });
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    try {
      const smtpPort = Number((await waitFor(/SMTP\s+smtp:\/\/[^:]+:(\d+)/))[1]);
      const httpPort = Number((await waitFor(/Web UI\s+http:\/\/[^:]+:(\d+)/))[1]);

      const commandLine = await readFile(`/proc/${child.pid}/cmdline`, 'utf8');
      expect(commandLine).toContain('scripts/start.mjs');
      expect(commandLine).not.toContain('tsx');
      expect(output).toMatch(/applied migration \d+_init/);
      // The migration child has exited by the time the server listens.
      expect(await childCommandLines(child.pid!)).not.toContainEqual(expect.stringContaining('migrate-child'));

      const { client } = await RawSmtpClient.connect(smtpPort);
      await client.command('EHLO start.test');
      await client.command('MAIL FROM:<start@sender.test>');
      await client.command('RCPT TO:<start@rcpt.test>');
      expect((await client.command('DATA')).code).toBe(354);
      client.write(dataPayload('Subject: built\r\n\r\nthrough the bundle\r\n'));
      expect((await client.read()).code).toBe(250);
      client.destroy();
      const stored = await queryOnce(database.url, 'SELECT raw FROM messages');
      expect(stored.map((row) => String(row.raw))).toEqual(['Subject: built\r\n\r\nthrough the bundle\r\n']);

      // The web handler, loaded from its own bundle: the inbox page or its "building" page.
      const page = await fetch(`http://127.0.0.1:${httpPort}/`);
      expect([200, 503]).toContain(page.status);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);

      child.kill('SIGTERM');
      await waitFor(/SIGTERM: shutting down/);
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      child.kill('SIGKILL');
    }
  });
});

async function childCommandLines(pid: number): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 is the parent pid; the command name (field 2) may contain spaces, so split after it.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid) lines.push((await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' '));
  }
  return lines;
}

