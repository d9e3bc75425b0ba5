import { describe, expect, it } from 'vitest';
import { compileListPattern } from '../src/commands/list-pattern.ts';

describe('LIST patterns (M14)', () => {
  it.each([
    ['*', 'INBOX', true],
    ['*', 'P/2025/Q1', true],
    ['%', 'P', true],
    ['%', 'P/2025', false],
    ['P/%', 'P/2025', true],
    ['P/%', 'P/2025/Q1', false],
    ['P/*', 'P/2025/Q1', true],
    ['P/*', 'P', false],
    ['inbox', 'INBOX', true],
    ['Inbox/%', 'INBOX/sub', true],
    ['inbox', 'Inbox', false],
    ['Entw*', 'Entwürfe', true],
    ['%/%', 'a/b', true],
    ['%/%', 'a/b/c', false],
    ['a%c', 'abc', true],
    ['a%c', 'a/c', false],
    ['a*c', 'a/c', true],
    ['a%*%c', 'a/x/c', true],
    ['', '', true],
    ['', 'x', false],
    ['x', '', false],
    ['*x', 'axbx', true],
    ['*x', 'axb', false],
    ['A.B', 'AxB', false],
    ['(a)[b]', '(a)[b]', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(compileListPattern(pattern)(name)).toBe(expected);
  });

  it('handles patterns that make a backtracking matcher explode', () => {
    const name = 'a'.repeat(1024);
    expect(compileListPattern('*a'.repeat(40) + 'b')(name)).toBe(false);
    expect(compileListPattern('%a'.repeat(40) + '%')(name)).toBe(true);
    expect(compileListPattern('*'.repeat(5000))(name)).toBe(true);
  });

  it('works across more than 32 pattern states', () => {
    const name = 'x'.repeat(100) + '/end';
    expect(compileListPattern('x'.repeat(100) + '/%')(name)).toBe(true);
    expect(compileListPattern('x'.repeat(99) + '%/e*')(name)).toBe(true);
    expect(compileListPattern('x'.repeat(101) + '*')(name)).toBe(false);
  });
});
