import { describe, expect, it } from 'vitest';
import { describeFaultRule } from '~/lib/fault-rule-text';

describe('describeFaultRule', () => {
  it.each([
    [{ stage: 'rcpt_to', run: 'ci-1', reply: { code: 451, enhancedStatus: '4.3.0', message: 'Try later' }, delayMs: 0, disconnect: false, probability: 0.25 },
      'RCPT TO, run ci-1: answer 451 4.3.0 Try later (25% of commands)'],
    [{ stage: 'data', run: null, reply: null, delayMs: 1500, disconnect: true, probability: 1 }, 'End of DATA, every session: wait 1500 ms, drop the connection'],
    [{ stage: 'connect', run: null, reply: null, delayMs: 2000, disconnect: false, probability: 1 }, 'Connect, every session: wait 2 s, then proceed normally'],
  ] as const)('%j', (rule, text) => {
    expect(describeFaultRule(rule)).toBe(text);
  });
});
