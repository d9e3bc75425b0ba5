// `pnpm db:migration <name>` as a user runs it, on copies of the schema and migrations.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
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
    const original = await readFile(schema, 'utf8');
    await writeFile(schema, original.replace('  createdAt DateTime  @default(now()) @db.Timestamptz(3)\n  mailboxes', '  createdAt DateTime  @default(now()) @db.Timestamptz(3)\n  note      String?\n  mailboxes'));
    const written = await migrate('account_note', onTestServer());
    expect(written.code).toBe(0);
    const added = (await readdir(migrations)).filter((name) => !name.endsWith('.toml')).sort().at(-1)!;
    expect(added).toMatch(/^\d{14}_account_note$/);
    const sql = await readFile(join(migrations, added, 'migration.sql'), 'utf8');
    expect(sql).toBe('-- AlterTable\nALTER TABLE "accounts" ADD COLUMN     "note" TEXT;\n');

    const again = await migrate('again', onTestServer());
    expect(again).toMatchObject({ code: 1, output: expect.stringContaining('no migration written') });
  });

  it('rejects a missing or unusable name', async () => {
    expect(await migrate('', onTestServer())).toMatchObject({ code: 1, output: expect.stringContaining('usage') });
    expect(await migrate('no spaces', onTestServer())).toMatchObject({ code: 1, output: expect.stringContaining('usage') });
  });
});
