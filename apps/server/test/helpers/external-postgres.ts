// A second, "external" PostgreSQL for tests of the DATABASE_URL path: the system's PostgreSQL
// server binaries (Debian's package on CI) run by pg_ctl on a throwaway data directory, as the
// `postgres` user when we are root.
import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../src/db/embedded-postgres.ts';

const run = promisify(execFile);
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
const PASSWORD = 'external-secret';
export const EXTERNAL_DATABASE = 'letterbox_external';

export interface ExternalPostgres {
  /** URL of the EXTERNAL_DATABASE database (created empty). */
  url: string;
  /** Major version of the binaries used, e.g. 15. */
  version: number;
  stop(): Promise<void>;
}

/** The newest installed server, or a failure that says what to install: CI must not skip this. */
export async function findPostgresBinaries(): Promise<{ bin: string; version: number }> {
  const versions = (await readdir(DEBIAN_POSTGRES_ROOT).catch(() => []))
    .map(Number)
    .filter((v) => Number.isInteger(v))
    .sort((a, b) => b - a);
  if (versions.length === 0) {
    throw new Error(
      `No PostgreSQL server binaries in ${DEBIAN_POSTGRES_ROOT}/*/bin. The DATABASE_URL tests need a second, ` +
        'external PostgreSQL: install it with `apt-get install -y postgresql` (Debian/Ubuntu).',
    );
  }
  return { bin: join(DEBIAN_POSTGRES_ROOT, String(versions[0]), 'bin'), version: versions[0]! };
}

export async function startExternalPostgres(): Promise<ExternalPostgres> {
  const { bin, version } = await findPostgresBinaries();
  const root = await mkdtemp(join(tmpdir(), 'letterbox-external-pg-'));
  const dataDir = join(root, 'data');
  const passwordFile = join(root, 'password');
  await writeFile(passwordFile, `${PASSWORD}\n`);
  const asUser = await postgresUserIfRoot();
  if (asUser) {
    // PostgreSQL refuses to run as root; its user must own these.
    await chown(root, asUser.uid, asUser.gid);
    await chown(passwordFile, asUser.uid, asUser.gid);
  }
  const exec = (file: string, args: string[]) => run(join(bin, file), args, { ...asUser, cwd: root });
  const port = await freePort();
  try {
    await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C']);
    await exec('pg_ctl', [
      'start', '-w', '-D', dataDir, '-l', join(root, 'server.log'),
      '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
    ]);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const serverUrl = `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${EXTERNAL_DATABASE}`);
  await admin.end();

  return {
    url: `${serverUrl}/${EXTERNAL_DATABASE}`,
    version,
    stop: async () => {
      await exec('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', dataDir]);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function postgresUserIfRoot(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error('Running as root, but there is no `postgres` user to run PostgreSQL as (apt-get install -y postgresql creates it).');
  }
}
