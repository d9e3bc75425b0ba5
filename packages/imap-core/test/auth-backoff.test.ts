import { describe, expect, it } from 'vitest';
import { AuthBackoff } from '../src/auth-backoff.ts';

describe('AuthBackoff', () => {
  it('doubles the delay per consecutive failure of one IP and user, up to the cap', () => {
    const b = new AuthBackoff(2000, 30_000, 900_000);
    expect([1, 2, 3, 4, 5].map(() => b.fail('1.2.3.4', 'Alice', 0))).toEqual([2000, 4000, 8000, 16000, 30000]);
    expect(b.fail('1.2.3.4', 'bob', 0)).toBe(2000);
    expect(b.fail('5.6.7.8', 'alice', 0)).toBe(2000);
  });

  it('starts over after a success or a quiet period', () => {
    const b = new AuthBackoff(100, 10_000, 1000);
    b.fail('ip', 'u', 0);
    b.fail('ip', 'u', 0);
    b.succeed('ip', 'U');
    expect(b.fail('ip', 'u', 0)).toBe(100);
    expect(b.fail('ip', 'u', 500)).toBe(200);
    expect(b.fail('ip', 'u', 5000)).toBe(100);
  });
});
