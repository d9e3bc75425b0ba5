import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOW_DELAY_MS, parseAddressTags, tagActionsAt } from '../../src/domain/faults/address-tags.ts';
import { combineFaultActions } from '../../src/domain/faults/fault-action.ts';

const summary = (address: string) =>
  parseAddressTags(address).map((a) => ({ stage: a.stage, code: a.reply?.code ?? null, status: a.reply?.enhancedStatus ?? null, delayMs: a.delayMs, disconnect: a.disconnect }));

describe('address tags', () => {
  it.each([
    ['u+reject-550@x.test', [{ stage: 'rcpt_to', code: 550, status: '5.1.1', delayMs: 0, disconnect: false }]],
    ['u+reject-553-5.7.1@x.test', [{ stage: 'rcpt_to', code: 553, status: '5.7.1', delayMs: 0, disconnect: false }]],
    ['u+reject-554-data@x.test', [{ stage: 'data', code: 554, status: '5.7.1', delayMs: 0, disconnect: false }]],
    ['u+tempfail-451@x.test', [{ stage: 'rcpt_to', code: 451, status: '4.3.0', delayMs: 0, disconnect: false }]],
    ['u+tempfail-452-4.2.2-data@x.test', [{ stage: 'data', code: 452, status: '4.2.2', delayMs: 0, disconnect: false }]],
    ['u+delay-5s@x.test', [{ stage: 'data', code: null, status: null, delayMs: 5000, disconnect: false }]],
    ['u+delay-250ms-rcpt@x.test', [{ stage: 'rcpt_to', code: null, status: null, delayMs: 250, disconnect: false }]],
    ['u+delay-2m@x.test', [{ stage: 'data', code: null, status: null, delayMs: 120_000, disconnect: false }]],
    ['u+disconnect@x.test', [{ stage: 'data', code: null, status: null, delayMs: 0, disconnect: true }]],
    ['u+disconnect-rcpt@x.test', [{ stage: 'rcpt_to', code: null, status: null, delayMs: 0, disconnect: true }]],
    ['u+slow@x.test', [
      { stage: 'rcpt_to', code: null, status: null, delayMs: DEFAULT_SLOW_DELAY_MS, disconnect: false },
      { stage: 'data', code: null, status: null, delayMs: DEFAULT_SLOW_DELAY_MS, disconnect: false },
    ]],
    ['U+REJECT-550@X.TEST', [{ stage: 'rcpt_to', code: 550, status: '5.1.1', delayMs: 0, disconnect: false }]],
  ])('%s', (address, expected) => {
    expect(summary(address)).toEqual(expected);
  });

  it.each([
    'plain@x.test', 'u+run-42@x.test', 'u+reject-450@x.test', 'u+tempfail-550@x.test', 'u+reject-550-4.1.1@x.test',
    'u+delay-5@x.test', 'u+delay-5h@x.test', 'u+disconnected@x.test', 'u+rejected-550@x.test',
  ])('%s is not a fault tag', (address) => {
    expect(parseAddressTags(address)).toEqual([]);
  });

  it('tags combine in order: delays add up, the first reply wins, and only the given stage counts', () => {
    const fault = combineFaultActions(tagActionsAt('data', ['a+delay-1s@x.test', 'b+reject-554-data+tempfail-451-data@x.test', 'c+reject-550@x.test']));
    expect(fault).toMatchObject({ delayMs: 1000, outcome: { kind: 'reply', reply: { code: 554 } } });
    expect(combineFaultActions(tagActionsAt('rcpt_to', ['a+delay-1s@x.test']))).toBeNull();
  });

  it('caps delays at the API maximum (10 minutes)', () => {
    expect(parseAddressTags('u+delay-9999999s@x.test')[0]!.delayMs).toBe(10 * 60_000);
  });
});
