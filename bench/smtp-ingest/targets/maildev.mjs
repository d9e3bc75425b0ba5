// Target (b): MailDev 3.0.0 (in-memory store; it also writes each .eml under $TMPDIR/maildev),
// started with its own CLI on loopback ports. Installed with `npm ci` from the pinned manifest and
// lockfile in ../maildev/ into bench/.work/maildev on first use.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, WORK_DIR } from '../lib/deps.mjs';
import { freePort, spawnServer, stopChild, waitForSmtp } from '../lib/proc.mjs';

const INSTALL_DIR = join(WORK_DIR, 'maildev');
const CLI = join(INSTALL_DIR, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
const API_PAGE = 2_000;

/** Installs the pinned MailDev into bench/.work/maildev unless it is already there. */
export function setupMaildev() {
  if (existsSync(CLI)) return;
  mkdirSync(INSTALL_DIR, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(BENCH_DIR, 'maildev', f), join(INSTALL_DIR, f));
  console.error('installing MailDev 3.0.0 into bench/.work/maildev (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: INSTALL_DIR, stdio: 'inherit' });
}

export async function startMaildev({ cpus, nodeArgs = [], logFile }) {
  setupMaildev();
  const [port, webPort] = [await freePort(), await freePort()];
  const tmp = join(WORK_DIR, `maildev-tmp-${process.pid}-${port}`);
  mkdirSync(tmp, { recursive: true });
  const args = [...nodeArgs, CLI, '--smtp', String(port), '--ip', '127.0.0.1',
    '--web', String(webPort), '--web-ip', '127.0.0.1'];
  const child = spawnServer(process.execPath, args, { cpus, env: { TMPDIR: tmp }, logFile });
  await waitForSmtp(port, { child });
  return {
    name: 'MailDev 3.0.0',
    pid: child.pid,
    port,
    storedRecipients: () => fetchRecipients(webPort),
    stop: async () => {
      await stopChild(child);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Every envelope recipient of every email MailDev holds, paging through GET /api/email. */
async function fetchRecipients(webPort) {
  const out = [];
  for (let skip = 0; ; skip += API_PAGE) {
    const res = await fetch(`http://127.0.0.1:${webPort}/api/email?skip=${skip}&limit=${API_PAGE}`);
    if (!res.ok) throw new Error(`MailDev /api/email answered ${res.status}`);
    const page = await res.json();
    for (const email of page) for (const to of email.envelope?.to ?? []) out.push(to.address ?? to);
    if (page.length < API_PAGE) return out;
  }
}
