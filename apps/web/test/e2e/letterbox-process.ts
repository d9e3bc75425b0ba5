// A real Letterbox for the end-to-end tests and the benchmark: `pnpm start`'s entry point as a
// child process on free ports, its own embedded PostgreSQL in a scratch directory (or a fresh
// database on DATABASE_URL's server), the web UI built if needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = new URL('../../../../', import.meta.url).pathname;
/** First start: initdb, migrations and possibly `next build` on a busy 2-core machine. */
const START_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 15_000;
const POLL_MS = 250;
/** apps/server/src/db/embedded-postgres.ts: the embedded server's superuser password (loopback only). */
const EMBEDDED_PASSWORD = 'letterbox';

export interface LetterboxProcess {
  baseUrl: string;
  smtpPort: number;
  imapPort: number;
  /** The database (embedded: its fixed loopback-only superuser password filled in). */
  databaseUrl: string;
  /** Everything the process printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  databaseUrl?: string;
  dataDir?: string;
  extraArgs?: string[];
}

export async function startLetterboxProcess(options: StartOptions = {}): Promise<LetterboxProcess> {
  const scratch = options.dataDir ? null : await mkdtemp(join(tmpdir(), 'letterbox-web-e2e-'));
  // Embedded PostgreSQL runs as "postgres" when we are root: it must reach the directory.
  if (scratch) await chmod(scratch, 0o755);
  const dataDir = options.dataDir ?? join(scratch!, 'data');
  const args = ['--import', 'tsx', 'apps/server/src/main.ts', '--data-dir', dataDir, '--smtp-port', '0', '--http-port', '0', '--imap-port', '0', '--imaps-port', '0', '--log-level', 'warn'];
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  args.push(...(options.extraArgs ?? []));
  // As `pnpm start` runs: no DATABASE_URL of the test environment, and no NODE_ENV (vitest sets
  // it to test, which Next would otherwise inherit).
  const { DATABASE_URL: _databaseUrl, NODE_ENV: _nodeEnv, ...env } = process.env;
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  };
  try {
    const banner = await waitFor(() => (/Data directory/.test(output) ? output : null), child, () => output);
    const port = (name: string) => Number(new RegExp(`${name}\\s+\\w+://[^\\s]+:(\\d+)`).exec(banner)?.[1]);
    const httpPort = port('HTTP API');
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    // The UI answers 503 while `next build` runs.
    await waitFor(async () => ((await fetch(`${baseUrl}/settings`).catch(() => null))?.status === 200 ? true : null), child, () => output);
    const database = /Database\s+(\S+)( \(embedded\))?/.exec(banner);
    const databaseUrl = options.databaseUrl ?? (database?.[2] ? database[1]!.replace(':***@', `:${EMBEDDED_PASSWORD}@`) : database?.[1] ?? '');
    return { baseUrl, smtpPort: port('SMTP'), imapPort: port('IMAP'), databaseUrl, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor<T>(probe: () => T | null | Promise<T | null>, child: ChildProcess, output: () => string): Promise<T> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`letterbox exited (${child.exitCode}):\n${output()}`);
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`letterbox did not start in ${START_TIMEOUT_MS} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
