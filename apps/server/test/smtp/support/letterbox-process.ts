// Letterbox as a child process (`tsx src/main.ts`), for what only a real process can show:
// SIGKILL right after a 250, SIGTERM handling, exit codes.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = fileURLToPath(new URL('../../../', import.meta.url));

export interface LetterboxProcess {
  child: ChildProcess;
  smtpPort: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Resolves once the combined stdout/stderr matches. */
  waitForOutput(pattern: RegExp): Promise<void>;
}

export async function spawnLetterbox(args: string[]): Promise<LetterboxProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: SERVER_DIR,
    env: { ...process.env, DATABASE_URL: '', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const watchers: { pattern: RegExp; resolve(): void }[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const smtpPort = await new Promise<number>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      for (const w of watchers.filter((w) => w.pattern.test(output))) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
      const match = /SMTP\s+smtp:\/\/[^:]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`letterbox exited (${code ?? signal}) before listening:\n${output}`)));
  });
  const waitForOutput = (pattern: RegExp) =>
    pattern.test(output) ? Promise.resolve() : new Promise<void>((resolve) => watchers.push({ pattern, resolve }));
  return { child, smtpPort, exited, output: () => output, waitForOutput };
}
