// Generates the Prisma client into src/generated/prisma with no network access.
// Runs as this package's `postinstall` and as `pnpm db:generate`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageDir, 'package.json'));
const prismaCli = require.resolve('prisma/build/index.js');

// The Prisma CLI insists on locating its native schema engine before running any command and
// downloads it from Prisma's own host when missing; that host is unreachable on our machines and
// the install script that would fetch it is disabled (pnpm-workspace.yaml). `generate` never runs
// the engine, so any existing executable satisfies the check: we point it at Node itself.
// Migrations do not use this path at all (see src/db/schema-engine.ts).
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath };
// Telemetry and update checks would only wait on network timeouts here.
env.CHECKPOINT_DISABLE = '1';
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const result = spawnSync(process.execPath, [prismaCli, 'generate', '--config', join(packageDir, 'prisma.config.ts')], {
  cwd: packageDir,
  env,
  stdio: 'inherit',
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
