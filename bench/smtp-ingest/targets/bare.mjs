// Target (a): bare smtp-server that discards the data but counts what it accepted.
import { join } from 'node:path';
import { BENCH_DIR } from '../lib/deps.mjs';
import { freePort, spawnServer, stopChild, waitForSmtp } from '../lib/proc.mjs';

const SERVER_SCRIPT = join(BENCH_DIR, 'servers', 'bare-smtp-server.mjs');
const STATS_TIMEOUT_MS = 30_000;

export async function startBare({ cpus, nodeArgs = [], logFile }) {
  const port = await freePort();
  const child = spawnServer(process.execPath, [...nodeArgs, SERVER_SCRIPT, String(port)], { cpus, ipc: true, logFile });
  await waitForSmtp(port, { child });
  return {
    name: 'bare smtp-server',
    pid: child.pid,
    port,
    storedRecipients: () => askStats(child),
    stop: () => stopChild(child),
  };
}

function askStats(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare server did not answer stats')), STATS_TIMEOUT_MS);
    child.once('message', (msg) => { clearTimeout(timer); resolve(msg.recipients); });
    child.send({ type: 'stats' });
  });
}
