import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDir, freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres.ts';

// Loaded into the child itself: the tsx CLI would put a second process in between, and a SIGKILL
// of that one leaves the real server running.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const holderScript = new URL('./fixtures/embedded-holder.ts', import.meta.url).pathname;

describe('embedded PostgreSQL', () => {
  let root: string;
  let dataDir: string;
  const running: EmbeddedPostgres[] = [];
  const start = async (port = 0) => {
    const server = await startEmbeddedPostgres({ dataDir, port });
    running.push(server);
    return server;
  };
  beforeAll(async () => {
    root = await createScratchDir('letterbox-embedded-');
    dataDir = join(root, 'data');
  });
  afterAll(async () => {
    for (const server of running) await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('runs durable, on loopback only', async () => {
    const server = await start();
    const settings = await query(
      server.url,
      `SELECT name, setting FROM pg_settings
        WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'listen_addresses') ORDER BY name`,
    );
    expect(settings).toEqual([
      { name: 'fsync', setting: 'on' },
      { name: 'full_page_writes', setting: 'on' },
      { name: 'listen_addresses', setting: '127.0.0.1' },
      { name: 'synchronous_commit', setting: 'on' },
    ]);
    // A process group of its own: a terminal's Ctrl-C must reach only the server, which then
    // shuts down gracefully, and not abort PostgreSQL's transactions under it.
    const postmasterPid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(await processGroup(postmasterPid)).toBe(postmasterPid);
    expect(await processGroup(process.pid)).not.toBe(postmasterPid);
    await query(server.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before restart')`);
    await server.stop();
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('keeps its data across a stop and start on the same directory', async () => {
    const before = await readFile(join(dataDir, 'PG_VERSION'), 'utf8');
    const server = await start();
    expect(await query(server.url, 'SELECT v FROM kept')).toEqual([{ v: 'before restart' }]);
    // Not re-initialised: the cluster's identity is unchanged.
    expect(await readFile(join(dataDir, 'PG_VERSION'), 'utf8')).toBe(before);
    await server.stop();
  });

  it('takes over from a postmaster left running by a server killed with SIGKILL', async () => {
    const port = await freePort();
    const holder = spawn(process.execPath, ['--import', tsxLoader, holderScript, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const orphanPid = await new Promise<number>((resolve, reject) => {
      let output = '';
      holder.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /ready (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      holder.once('exit', (code) => reject(new Error(`holder exited with ${code}: ${output}`)));
    });
    await query(`postgresql://postgres:letterbox@127.0.0.1:${port}/letterbox`, `INSERT INTO kept VALUES ('acknowledged')`);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(isAlive(orphanPid)).toBe(true);

    const server = await start();
    expect(isAlive(orphanPid)).toBe(false);
    expect(await query(server.url, 'SELECT v FROM kept ORDER BY v')).toEqual([{ v: 'acknowledged' }, { v: 'before restart' }]);
    await server.stop();
  });

  it('recovers after the postmaster itself was killed with SIGKILL', async () => {
    const server = await start();
    await query(server.url, `INSERT INTO kept VALUES ('committed before the kill')`);
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid));

    const again = await start();
    expect(await query(again.url, `SELECT count(*)::int AS n FROM kept WHERE v = 'committed before the kill'`)).toEqual([{ n: 1 }]);
    await again.stop();
  });

  it('ignores a postmaster.pid naming a live process that is not PostgreSQL', async () => {
    // Typical after a reboot or in a container: the old PID now belongs to something else. (Not
    // this process: PostgreSQL itself treats its parent's PID as stale.)
    const unrelated = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await writeFile(join(dataDir, 'postmaster.pid'), `${unrelated.pid}\n${dataDir}\n`);
      const server = await start();
      expect(await query(server.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 3 }]);
      await server.stop();
    } finally {
      unrelated.kill();
    }
  });
});

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const result = await client.query(sql);
    return (Array.isArray(result) ? result.at(-1)! : result).rows;
  } finally {
    await client.end();
  }
}

async function processGroup(pid: number): Promise<number> {
  // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces, so split after ')'.
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
