// Profile mode: one Letterbox run under `node --cpu-prof`, then a self-time summary of the load
// phase (per function and per origin), with CPU milliseconds per accepted message.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR } from './deps.mjs';
import { summariseProfile } from './cpuprofile.mjs';

export async function profileLetterbox({ size, n, measure }) {
  const dir = join(WORK_DIR, 'profiles', `letterbox-${size}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const result = await measure({ target: 'letterbox', size, n, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${dir} (did the server exit cleanly?)`);
  const summaries = files.map((f) => ({ file: join(dir, f), ...summariseProfile(join(dir, f), result.loadWindowUs) }));
  for (const s of summaries) printSummary(s, result.accepted);
  return { result, summaries };
}

function printSummary(s, accepted) {
  const perMsg = (ms) => (accepted ? (ms / accepted).toFixed(3) : '-');
  console.log(`\nprofile ${s.file}${s.windowed ? ' (load phase only)' : ' (whole process)'}: ` +
    `${s.busyMs.toFixed(0)} ms on CPU of ${s.totalMs.toFixed(0)} ms, ${perMsg(s.busyMs)} ms per accepted message`);
  console.log('\n| self ms | ms/msg | % busy | function | where |\n|---|---|---|---|---|');
  for (const f of s.functions) {
    console.log(`| ${f.ms.toFixed(0)} | ${perMsg(f.ms)} | ${((100 * f.ms) / s.busyMs).toFixed(1)} | ${f.name} | ${f.where} |`);
  }
  console.log('\n| self ms | ms/msg | % busy | origin |\n|---|---|---|---|');
  for (const o of s.origins) console.log(`| ${o.ms.toFixed(0)} | ${perMsg(o.ms)} | ${((100 * o.ms) / s.busyMs).toFixed(1)} | ${o.origin} |`);
}
