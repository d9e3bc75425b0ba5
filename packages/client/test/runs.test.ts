import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLetterbox } from '../src/index.ts';
import { send, unique } from './send.ts';

const letterbox = createLetterbox({ baseUrl: inject('letterbox').baseUrl });

describe('runs', () => {
  it('a run scope sees only its own mail to a shared address', async () => {
    const a = letterbox.run(unique('job-a'));
    const b = letterbox.run(unique('job-b'));
    const waitA = a.messages.waitFor({ timeout: 10_000 });
    const waitB = b.messages.waitFor({ timeout: 10_000 });
    await Promise.all([
      send({ to: a.address('shared@example.test'), subject: 'for A' }),
      send({ to: b.address('shared@example.test'), subject: 'for B' }),
    ]);
    expect((await waitA).subject).toBe('for A');
    expect((await waitB).subject).toBe('for B');
    expect((await a.messages.list()).messages.map((m) => m.subject)).toEqual(['for A']);
    expect(a.address('x@example.test')).toBe(`x+run-${a.run}@example.test`);
  });

  it('lists and deletes runs', async () => {
    const run = unique('listed');
    await send({ to: 'r@example.test', subject: 'in run', headers: { 'X-Letterbox-Run': run } });
    const runs = [];
    let cursor: string | undefined;
    do {
      const page = await letterbox.runs.list({ limit: 200, cursor });
      runs.push(...page.runs);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(runs.find((r) => r.run === run)).toMatchObject({ messageCount: 1, expiresAt: null });
    expect(await letterbox.runs.delete(run)).toBe(1);
    expect(await letterbox.run(run).delete()).toBe(0);
    expect(await letterbox.runs.delete(run).catch((e: unknown) => e)).toMatchObject({ status: 404, code: 'run_not_found' });
  });

  it('lists inboxes', async () => {
    const address = `${unique('inbox')}@example.test`;
    await send({ to: address, subject: 'x' });
    const page = await letterbox.inboxes.list({ address });
    expect(page.inboxes).toEqual([{ address, messageCount: 1, lastReceivedAt: expect.any(String) }]);
  });
});
