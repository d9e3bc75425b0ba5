// `next build` in a child process, when the sources changed since the last build (or there is
// none: a fresh clone builds on its first start, ~5-60 s on 2 cores). Runs at low CPU priority
// (it shares the machine with the protocols) and waits out a build another process is running.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildIsCurrent, sourceFingerprint, WEB_DIR, writeBuildStamp } from './build-stamp.ts';

export interface BuildLog {
  info(message: string): void;
}

/** Nice value of the build process: protocol work comes first. */
const BUILD_NICENESS = 10;
/** How long to wait for another process's `next build` (Next holds a lock in .next/lock). */
const OTHER_BUILD_WAIT_MS = 5 * 60_000;
const OTHER_BUILD_POLL_MS = 2_000;
const LOCKED = /Another next build process is already running/;

export interface WebBuild {
  done: Promise<void>;
  /** Stops a running build (shutdown). */
  cancel(): void;
}

export function ensureWebBuild(log: BuildLog): WebBuild {
  let child: ChildProcess | undefined;
  let cancelled = false;
  const done = (async () => {
    const deadline = Date.now() + OTHER_BUILD_WAIT_MS;
    let announced = false;
    while (!buildIsCurrent()) {
      if (cancelled) throw new Error('build cancelled');
      if (!announced) log.info('web UI: building (next build; first start after install or a change)');
      announced = true;
      const fingerprint = sourceFingerprint();
      const started = Date.now();
      const result = await runNextBuild((c) => (child = c));
      child = undefined;
      if (result.code === 0) {
        writeBuildStamp(fingerprint);
        log.info(`web UI: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        continue; // sources may have changed during the build
      }
      if (!LOCKED.test(result.output) || Date.now() > deadline) {
        throw new Error(`next build failed (exit ${result.code}):\n${result.output.slice(-4_000)}`);
      }
      await sleep(OTHER_BUILD_POLL_MS);
    }
  })();
  return {
    done,
    cancel: () => {
      cancelled = true;
      child?.kill('SIGTERM');
    },
  };
}

function runNextBuild(onSpawn: (child: ChildProcess) => void): Promise<{ code: number | null; output: string }> {
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn(child);
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, BUILD_NICENESS);
      } catch {
        // not permitted here: build at normal priority
      }
    }
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
