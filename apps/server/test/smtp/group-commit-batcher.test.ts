import { describe, expect, it } from 'vitest';
import { GroupCommitBatcher } from '../../src/domain/messages/group-commit-batcher.ts';

/** A commit function the test opens and closes by hand. */
function manualCommits() {
  const batches: { items: string[]; finish(error?: Error): void }[] = [];
  const commit = (items: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({ items, finish: (error) => (error ? reject(error) : resolve(items.map((i) => `stored ${i}`))) });
    });
  return { batches, commit };
}

const limits = { maxBatchItems: 3, maxBatchBytes: 100, maxConcurrentCommits: 1 };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitBatcher', () => {
  it('settles each submitter only after the commit holding its item, and batches what arrives meanwhile', async () => {
    const { batches, commit } = manualCommits();
    const batcher = new GroupCommitBatcher<string, string>(commit, (s) => s.length, limits);
    const settled: string[] = [];
    const submit = (item: string) => batcher.submit(item).then((r) => settled.push(r));
    void submit('a');
    await tick();
    expect(batches.map((b) => b.items)).toEqual([['a']]);
    void submit('b');
    void submit('c');
    void submit('d');
    void submit('e');
    await tick();
    expect(settled).toEqual([]); // nothing acknowledged before its commit
    expect(batches).toHaveLength(1); // one transaction at a time: the rest waits and groups up
    batches[0]!.finish();
    await tick();
    expect(settled).toEqual(['stored a']);
    expect(batches.map((b) => b.items)).toEqual([['a'], ['b', 'c', 'd']]); // maxBatchItems = 3
    batches[1]!.finish();
    await tick();
    expect(settled).toEqual(['stored a', 'stored b', 'stored c', 'stored d']);
    batches[2]!.finish();
    await batcher.whenIdle();
    expect(settled).toHaveLength(5);
  });

  it('fails every item of a failed transaction', async () => {
    const { batches, commit } = manualCommits();
    const batcher = new GroupCommitBatcher<string, string>(commit, (s) => s.length, limits);
    const results = Promise.allSettled([batcher.submit('x'), batcher.submit('y')]);
    await tick();
    batches[0]!.finish(new Error('disk full'));
    expect((await results).map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('keeps a batch under maxBatchBytes but never leaves a single big item behind', async () => {
    const { batches, commit } = manualCommits();
    const batcher = new GroupCommitBatcher<string, string>(commit, (s) => s.length, { ...limits, maxConcurrentCommits: 3 });
    void batcher.submit('x'.repeat(150));
    void batcher.submit('y'.repeat(60));
    void batcher.submit('z'.repeat(60));
    await tick();
    expect(batches.map((b) => b.items.map((i) => i.length))).toEqual([[150], [60], [60]]);
    for (const b of batches) b.finish();
    await batcher.whenIdle();
  });

  it('reports pending bytes and wakes producers once commits bring them under a limit', async () => {
    const { batches, commit } = manualCommits();
    const batcher = new GroupCommitBatcher<string, string>(commit, (s) => s.length, { ...limits, maxBatchBytes: 50 });
    void batcher.submit('x'.repeat(40));
    void batcher.submit('y'.repeat(40));
    expect(batcher.pendingBytes).toBe(80);
    let woken = false;
    void batcher.whenPendingBytesBelow(50).then(() => (woken = true));
    await tick();
    expect(woken).toBe(false);
    batches[0]!.finish();
    await tick();
    expect(batcher.pendingBytes).toBe(40);
    expect(woken).toBe(true);
    batches[1]!.finish();
    await batcher.whenIdle();
    expect(batcher.pendingBytes).toBe(0);
  });
});
