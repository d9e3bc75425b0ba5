// `pnpm db:migration <name>` as a user runs it, on copies of the schema and migrations.
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../../src/db/schema-engine.ts';

const run = promisify(execFile);
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const script = new URL('../../scripts/db-migration.ts', import.meta.url).pathname;

describe('db:migration', () => {
  let work: string;
  let schema: string;
  let migrations: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'letterbox-db-migration-'));
    schema = join(work, 'schema.prisma');
    migrations = join(work, 'migrations');
    await cp(SCHEMA_PATH, schema);
    await cp(MIGRATIONS_DIR, migrations, { recursive: true });
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const migrate = async (name: string, env: Record<string, string>) => {
    const { DATABASE_URL: _ignored, SHADOW_DATABASE_URL: _ignoredToo, ...base } = process.env;
    return run(process.execPath, [tsxCli, script, name, '--schema', schema, '--migrations', migrations], {
      env: { ...base, ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );
  };
  const onTestServer = () => ({ SHADOW_DATABASE_URL: inject('letterboxDatabase').adminUrl });

  it('finds no drift between the committed migrations (hand-written SQL included) and the schema', async () => {
    // No database configured: the command starts and removes a throwaway embedded PostgreSQL.
    const result = await migrate('nothing', {});
    expect(result).toMatchObject({ code: 1, output: expect.stringContaining('no migration written') });
    expect(await readdir(migrations)).toEqual(await readdir(MIGRATIONS_DIR));
  });

  it("writes the schema's change as a new migration in Prisma's layout, then has nothing left to write", async () => {
    await appendFile(schema, '\nmodel Probe {\n  id Int @id\n  note String?\n\n  @@map("db_migration_probe")\n}\n');
    const written = await migrate('add_probe', onTestServer());
    expect(written).toMatchObject({ code: 0 });
    const added = (await readdir(migrations)).filter((name) => !name.endsWith('.toml')).sort().at(-1)!;
    expect(added).toMatch(/^\d{14}_add_probe$/);
    const sql = await readFile(join(migrations, added, 'migration.sql'), 'utf8');
    expect(sql).toContain(
      '-- CreateTable\nCREATE TABLE "db_migration_probe" (\n    "id" INTEGER NOT NULL,\n    "note" TEXT,\n\n' +
        '    CONSTRAINT "db_migration_probe_pkey" PRIMARY KEY ("id")\n);\n',
    );
    expect(sql).not.toMatch(/DROP/);

    const again = await migrate('again', onTestServer());
    expect(again).toMatchObject({ code: 1, output: expect.stringContaining('no migration written') });
  });

  it('rejects a missing or unusable name', async () => {
    expect(await migrate('', onTestServer())).toMatchObject({ code: 1, output: expect.stringContaining('usage') });
    expect(await migrate('no spaces', onTestServer())).toMatchObject({ code: 1, output: expect.stringContaining('usage') });
  });
});
