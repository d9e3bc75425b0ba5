// Another Letterbox process on an existing database (DATABASE_URL path), started like the SMTP
// ingest target starts the first one (../../smtp-ingest/targets/letterbox.mjs), pinned to the
// same CPUs: a second node for the one-node-versus-two comparison.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, WORK_DIR } from '../../smtp-ingest/lib/deps.mjs';
import { freePort, spawnServer, stopChild, waitForSmtp } from '../../smtp-ingest/lib/proc.mjs';

const START = join(REPO_ROOT, 'apps', 'server', 'scripts', 'start.mjs');
const START_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 60_000;

export async function startExtraNode({ databaseUrl, cpus, env = {}, logFile, name = 'node-b' }) {
  const dataDir = join(WORK_DIR, `letterbox-${name}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const ports = {};
  for (const p of ['smtp', 'http', 'imap', 'imaps']) ports[p] = await freePort();
  const args = [START, '--host', '127.0.0.1',
    '--smtp-port', String(ports.smtp), '--http-port', String(ports.http),
    '--imap-port', String(ports.imap), '--imaps-port', String(ports.imaps),
    '--data-dir', dataDir, '--log-level', 'warn', '--database-url', databaseUrl];
  const child = spawnServer(process.execPath, args, { cpus, cwd: REPO_ROOT, env, logFile });
  const stop = async () => {
    await stopChild(child, { graceMs: STOP_GRACE_MS });
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForSmtp(ports.smtp, { child, timeoutMs: START_TIMEOUT_MS });
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, pid: child.pid, port: ports.smtp, httpPort: ports.http, stop };
}
