// `next build` in a child process, when the sources changed since the last build (or there is
// none: a fresh clone builds on its first start, ~15-60 s on 2 cores).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { buildIsCurrent, sourceFingerprint, WEB_DIR, writeBuildStamp } from './build-stamp.ts';

export interface BuildLog {
  info(message: string): void;
}

let building: Promise<void> | undefined;

/** Builds at most once per process at a time; resolves at once when the build is current. */
export function ensureWebBuild(log: BuildLog): Promise<void> {
  if (buildIsCurrent()) return Promise.resolve();
  building ??= runBuild(log).finally(() => {
    building = undefined;
  });
  return building;
}

async function runBuild(log: BuildLog): Promise<void> {
  const fingerprint = sourceFingerprint();
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  log.info('web UI: building (next build; first start after install or a change)');
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output.join('').slice(-4_000)}`);
  writeBuildStamp(fingerprint);
  log.info(`web UI: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
