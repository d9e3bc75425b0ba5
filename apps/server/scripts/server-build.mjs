// Where the production build of the server lives and whether it matches the sources. Shared by
// start.mjs (which must stay cheap: no esbuild in the server's process) and build-server.mjs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = join(SERVER_DIR, '..', '..');
export const SERVER_DIST = join(SERVER_DIR, 'dist');
export const SERVER_MAIN = join(SERVER_DIST, 'main.mjs');
export const MIGRATE_CHILD = join(SERVER_DIST, 'migrate-child.mjs');
// Beside apps/web's node_modules, so `import('next')` resolves as it does from the sources.
export const WEB_HANDLER = join(REPO_ROOT, 'apps', 'web', 'dist', 'web-handler.mjs');
export const BUILD_SCRIPT = fileURLToPath(new URL('./build-server.mjs', import.meta.url));
const STAMP_FILE = join(SERVER_DIST, 'build-stamp.json');

/**
 * Files that change the bundles without being bundled: the package manifests (their `exports`
 * decide which source files go in). The bundled sources themselves are listed by esbuild.
 */
export const EXTRA_INPUTS = ['apps/server/package.json', 'apps/web/package.json', 'packages/imap-core/package.json', 'packages/contracts/package.json'];

/**
 * What the build was made with besides its inputs: the build scripts, esbuild's version, and the
 * repository's location (the bundles hold absolute paths to it).
 */
function buildKey() {
  const hash = createHash('sha256').update(REPO_ROOT).update('\0');
  for (const script of [BUILD_SCRIPT, fileURLToPath(import.meta.url)]) hash.update(readFileSync(script)).update('\0');
  try {
    const esbuildManifest = createRequire(join(SERVER_DIR, 'package.json')).resolve('esbuild/package.json');
    hash.update(JSON.parse(readFileSync(esbuildManifest, 'utf8')).version);
  } catch {
    hash.update('no esbuild');
  }
  return hash.digest('hex');
}

/** Hash of the inputs (repository-relative paths); null when one of them is gone. */
export function inputsDigest(inputs) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const path = join(REPO_ROOT, input);
    if (!existsSync(path)) return null;
    hash.update(input).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

export function buildIsCurrent() {
  if (![SERVER_MAIN, MIGRATE_CHILD, WEB_HANDLER, STAMP_FILE].every((file) => existsSync(file))) return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP_FILE, 'utf8'));
  } catch {
    return false;
  }
  return stamp.key === buildKey() && Array.isArray(stamp.inputs) && stamp.digest === inputsDigest(stamp.inputs);
}

export function buildStamp(inputs) {
  return { file: STAMP_FILE, content: JSON.stringify({ key: buildKey(), inputs, digest: inputsDigest(inputs) }, null, 1) + '\n' };
}
