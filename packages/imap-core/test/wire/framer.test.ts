import { describe, expect, it } from 'vitest';
import { InputBuffer, readCommand, type FrameResult } from '../../src/wire/framer.ts';

const COMMANDS = Buffer.from(
  'a1 LOGIN {14}\r\nt@sandbox.test {2+}\r\npw\r\n' + 'a2 APPEND INBOX {12}\r\nHi\r\n\r\nthere!!\r\n' + 'a3 NOOP\r\n',
);

async function frameAll(chunks: Buffer[], maxLine = 1000): Promise<{ frames: FrameResult[]; continuations: number }> {
  const input = new InputBuffer();
  let continuations = 0;
  const hooks = { checkLiteral: async () => null, continueLiteral: () => void continuations++ };
  const frames: FrameResult[] = [];
  const reading = (async () => {
    for (;;) {
      const f = await readCommand(input, maxLine, hooks);
      frames.push(f);
      if (f.kind === 'eof') return;
    }
  })();
  for (const c of chunks) {
    input.push(c);
    await new Promise((r) => setImmediate(r));
  }
  input.end();
  await reading;
  return { frames, continuations };
}

const bytesOf = (frames: FrameResult[]): string[] => frames.flatMap((f) => (f.kind === 'command' ? [f.bytes.toString('latin1')] : []));

describe('framer', () => {
  it('frames commands with sync and non-sync literals', async () => {
    const { frames, continuations } = await frameAll([COMMANDS]);
    expect(bytesOf(frames)).toEqual([
      'a1 LOGIN {14}\r\nt@sandbox.test {2+}\r\npw\r\n',
      'a2 APPEND INBOX {12}\r\nHi\r\n\r\nthere!!\r\n',
      'a3 NOOP\r\n',
    ]);
    expect(continuations).toBe(2);
  });

  it('gives the same commands whatever the chunk boundary (every split point, and byte by byte)', async () => {
    const expected = bytesOf((await frameAll([COMMANDS])).frames);
    for (let cut = 1; cut < COMMANDS.length; cut++) {
      const { frames } = await frameAll([COMMANDS.subarray(0, cut), COMMANDS.subarray(cut)]);
      expect(bytesOf(frames), `split at ${cut}`).toEqual(expected);
    }
    const single = [...COMMANDS].map((b) => Buffer.from([b]));
    expect(bytesOf((await frameAll(single)).frames)).toEqual(expected);
  });

  it('reports an overlong line and resynchronises at the next line', async () => {
    const { frames } = await frameAll([Buffer.from('a1 ' + 'x'.repeat(2000) + '\r\na2 NOOP\r\n')]);
    expect(frames[0]).toMatchObject({ kind: 'too-long' });
    expect(bytesOf(frames)).toEqual(['a2 NOOP\r\n']);
  });

  it('skips a LITERAL+ announced at the end of an overlong line instead of running its octets', async () => {
    const { frames } = await frameAll([Buffer.from('a1 ' + 'x'.repeat(2000) + ' {9+}\r\nb1 LOGOUT\r\na2 NOOP\r\n')]);
    expect(frames[0]).toMatchObject({ kind: 'too-long' });
    expect(bytesOf(frames)).toEqual(['a2 NOOP\r\n']);
  });

  it('lets the hook refuse a literal before it is sent', async () => {
    const input = new InputBuffer();
    input.push(Buffer.from('a1 LOGIN {4294967295}\r\na2 NOOP\r\n'));
    input.end();
    const hooks = {
      checkLiteral: async (_head: Buffer, size: number) => (size > 100 ? { reply: 'a1 NO [TOOBIG] no', close: false } : null),
      continueLiteral: () => {},
    };
    expect(await readCommand(input, 1000, hooks)).toEqual({ kind: 'refused', reply: 'a1 NO [TOOBIG] no', close: false });
    expect(await readCommand(input, 1000, hooks)).toEqual({ kind: 'command', bytes: Buffer.from('a2 NOOP\r\n') });
  });
});
