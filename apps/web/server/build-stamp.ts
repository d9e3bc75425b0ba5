// Whether the production build in .next matches the sources: a hash of every file that goes
// into the bundle, written next to the build once `next build` succeeds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const WEB_DIR = new URL('..', import.meta.url).pathname;
const STAMP_FILE = join(WEB_DIR, '.next', 'letterbox-build-stamp');
/** Everything that changes the bundle: the app, its config and the API contracts it imports. */
const INPUTS = ['src', 'next.config.ts', 'package.json', 'tsconfig.json', '../../packages/contracts/src'];

function* files(path: string): Generator<string> {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
}

export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(join(WEB_DIR, input))) {
      hash.update(relative(WEB_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

export function buildIsCurrent(): boolean {
  return existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, 'utf8') === sourceFingerprint();
}

export function writeBuildStamp(fingerprint: string): void {
  writeFileSync(STAMP_FILE, fingerprint);
}
