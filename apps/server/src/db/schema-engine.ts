// Prisma's schema engine compiled to WebAssembly, driven through @prisma/adapter-pg. Prisma's CLI
// wants a native engine binary downloaded from Prisma's host at run time; the Wasm build is a
// plain npm package, so migrations work on machines that reach only the npm registry.
import type { Dirent } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type {
  MigrationDirectory,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from '@prisma/schema-engine-wasm';
import type * as GlueModule from '@prisma/schema-engine-wasm/schema_engine_bg';
import { EngineAdapterFactory } from './engine-adapter.ts';

/** The repository's `prisma/` folder: the schema and its migrations. */
export const PRISMA_DIR = fileURLToPath(new URL('../../../../prisma/', import.meta.url));
export const SCHEMA_PATH = join(PRISMA_DIR, 'schema.prisma');
export const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');
export const MIGRATION_FILE = 'migration.sql';
export const LOCKFILE_NAME = 'migration_lock.toml';

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

type WasmExports = Record<string, unknown>;
type WasmGlue = typeof GlueModule & {
  __wbg_set_wasm(exports: WasmExports): void;
};
// Our TypeScript lib list has no DOM, where the WebAssembly types live; Node has the global.
const wasmRuntime = (globalThis as unknown as {
  WebAssembly: {
    instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }>;
  };
}).WebAssembly;

let gluePromise: Promise<WasmGlue> | undefined;

// A Rust panic inside the engine hands its message to this global (Prisma's CLI installs the same
// one) and then traps with a bare "unreachable"; explainError() attaches the message.
let lastPanic: string | undefined;
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message(message: string) {
    lastPanic = message;
  },
};

// The package's ESM entry does `import * as wasm from "./schema_engine_bg.wasm"`, which Node cannot
// load. We do what a bundler would: instantiate the module with the JS glue as its import object.
function loadGlue(): Promise<WasmGlue> {
  gluePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as WasmGlue;
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    const { instance } = await wasmRuntime.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(glue) });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return gluePromise;
}

// The engine arms 10 s timers (timeouts it races queries against) and never clears them, so every
// command would keep the process alive 10 s after it finished. Unref'd, they still fire while
// the engine's sockets keep the process running.
function withUnrefTimers(glue: WasmGlue): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  return imports;
}

export interface EngineHandle {
  engine: SchemaEngine;
  /** Frees the Wasm engine and closes its connections. */
  close(): Promise<void>;
}

/**
 * Opens a schema engine connected to `databaseUrl`. Commands that need a shadow database (diffing
 * from the migrations folder) create and drop a temporary one on the same server.
 */
export async function openSchemaEngine(
  databaseUrl: string,
  options: { schemaPath?: string; log?: (message: string) => void } = {},
): Promise<EngineHandle> {
  const glue = await loadGlue();
  const factory = new EngineAdapterFactory(databaseUrl);
  const schemaPath = options.schemaPath ?? SCHEMA_PATH;
  const schema = await readFile(schemaPath, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine;
  try {
    engine = await glue.SchemaEngine.new(
      { datamodels: [[schemaPath, schema]] },
      (message: string) => options.log?.(message),
      adapter,
    );
  } catch (error) {
    await factory.close();
    throw explainError(error, adapter.errorRegistry);
  }
  return {
    engine: withExplainedErrors(engine, adapter.errorRegistry),
    close: async () => {
      engine.free();
      await factory.close();
    },
  };
}

type ErrorRegistry = ReturnType<typeof bindMigrationAwareSqlAdapterFactory>['errorRegistry'];

// A failure inside the driver adapter reaches us as "External error id#N"; the real error (e.g.
// from pg: connection refused, permission denied) waits in the adapter's registry under N.
function explainError(error: unknown, registry: ErrorRegistry): unknown {
  if (lastPanic !== undefined) {
    const panic = lastPanic;
    lastPanic = undefined;
    return new Error(`schema engine panicked: ${panic}`, { cause: error });
  }
  const id = /External error id#(\d+)/.exec(String((error as Error)?.message ?? error))?.[1];
  const cause = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (cause === undefined) return error;
  const detail = cause instanceof Error ? cause.message : JSON.stringify(cause);
  return new Error(`schema engine: ${detail}`, { cause });
}

function withExplainedErrors(engine: SchemaEngine, registry: ErrorRegistry): SchemaEngine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(explainError(error, registry))) : result;
      };
    },
  });
}

/** Reads prisma/migrations the way Prisma's CLI does: directories sorted by name. */
export async function readMigrationsList(baseDir: string = MIGRATIONS_DIR): Promise<MigrationList> {
  const lockfile = { path: LOCKFILE_NAME, content: await readOptional(join(baseDir, LOCKFILE_NAME)) };
  let entries: Dirent[];
  try {
    entries = await readdir(baseDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    entries = [];
  }
  const directories: MigrationDirectory[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await readOptional(join(baseDir, entry.name, MIGRATION_FILE));
    directories.push({
      // Relative, as Prisma's CLI passes it: the engine records this as the migration's name.
      path: entry.name,
      migrationFile: {
        path: MIGRATION_FILE,
        content: content === null ? { tag: 'error', value: `${MIGRATION_FILE} not found` } : { tag: 'ok', value: content },
      },
    });
  }
  directories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir, lockfile, shadowDbInitScript: '', migrationDirectories: directories };
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
