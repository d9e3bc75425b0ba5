// Bundles the server into plain JavaScript for `pnpm start` (scripts/start.mjs runs this when the
// sources changed): apps/server/src/main.ts and the migration child into apps/server/dist, the web
// UI's request handler into apps/web/dist. First-party TypeScript (this package, the workspace
// packages, the generated Prisma client) goes into the bundles; third-party packages stay external
// and load from node_modules as they do from the sources. Tests run the sources through vitest.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { EXTRA_INPUTS, MIGRATE_CHILD, REPO_ROOT, SERVER_DIST, WEB_HANDLER, buildStamp } from './server-build.mjs';

/** The oldest Node the project supports (package.json engines). */
const TARGET = 'node20.19';

const firstPartyOnly = {
  name: 'letterbox-first-party-only',
  setup(build) {
    // Bare specifiers are third-party packages (left to Node) or workspace packages (bundled).
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'entry-point' || args.path.startsWith('@letterbox/') ? undefined : { path: args.path, external: true },
    );
    // Sources find files next to them (the migrations, package.json, the web app, embedded
    // PostgreSQL's binaries) through import.meta.url: keep it the source file's own URL.
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

const common = {
  absWorkingDir: REPO_ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: TARGET,
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  write: false,
  logLevel: 'warning',
  plugins: [firstPartyOnly],
  banner: { js: '// Built by apps/server/scripts/build-server.mjs from the TypeScript sources; do not edit.' },
  define: {
    __LETTERBOX_MIGRATE_CHILD__: JSON.stringify(MIGRATE_CHILD),
    __LETTERBOX_WEB_HANDLER__: JSON.stringify(pathToFileURL(WEB_HANDLER).href),
  },
};

const builds = await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { main: 'apps/server/src/main.ts', 'migrate-child': 'apps/server/src/db/migrate-child.ts' },
    outdir: SERVER_DIST,
  }),
  esbuild.build({ ...common, entryPoints: { 'web-handler': 'apps/web/server/web-handler.ts' }, outdir: dirname(WEB_HANDLER) }),
]);

// Written beside and renamed over: a server starting meanwhile reads an old file or a new one.
const writeAtomically = (file, contents) => {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
};
for (const { outputFiles } of builds) for (const output of outputFiles) writeAtomically(output.path, output.contents);

const inputs = new Set(EXTRA_INPUTS);
for (const { metafile } of builds) for (const input of Object.keys(metafile.inputs)) inputs.add(input);
// Written last: until then, the next start sees a stale build and builds again.
const stamp = buildStamp([...inputs].sort());
writeAtomically(stamp.file, stamp.content);
console.error(`letterbox: built the server into ${join('apps', 'server', 'dist')} (${inputs.size} inputs)`);
