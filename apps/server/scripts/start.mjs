// `pnpm start`: runs the server as plain JavaScript (built by build-server.mjs, rebuilt here when
// the sources changed), in this same process. Running the TypeScript sources through tsx instead
// would keep its module hooks (a second V8 isolate) and its run-time compilation in memory.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { BUILD_SCRIPT, SERVER_MAIN, buildIsCurrent } from './server-build.mjs';

if (!buildIsCurrent()) {
  console.error('letterbox: building the server (first start after install or a change)');
  // A child of its own: esbuild keeps a service process running for as long as its caller lives.
  const build = spawnSync(process.execPath, [BUILD_SCRIPT], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error(`letterbox: building the server failed (${build.error?.message ?? build.signal ?? `exit ${build.status}`})`);
    process.exit(1);
  }
}
await import(pathToFileURL(SERVER_MAIN).href);
