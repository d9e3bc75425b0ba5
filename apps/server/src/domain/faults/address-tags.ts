// Fault tags in a recipient's local part: `user+reject-550@example.test` fails that recipient and
// no other. Grammar (case-insensitive; each `+`-separated part of the local part is one tag;
// anything that is not a tag, like `+run-42`, is ignored):
//
//   reject-<5xx>[-<5.x.x>][-data]    answer <5xx> (permanent)   default stage: RCPT TO
//   tempfail-<4xx>[-<4.x.x>][-data]  answer <4xx> (temporary)   default stage: RCPT TO
//   delay-<n>(ms|s|m)[-rcpt]         wait, then the normal reply default stage: end of DATA
//   disconnect[-rcpt]                drop the connection, no reply default stage: end of DATA
//   slow[-<n>(ms|s|m)]               wait (default 1s) before the RCPT TO reply AND before the
//                                    end-of-DATA reply
//
// `-data` / `-rcpt` moves a tag to the other stage. At RCPT TO only that recipient is affected; at
// end of DATA the one reply covers the whole message (SMTP has one DATA reply per message), so a
// rejecting tag on any recipient rejects it for all and nothing is stored.
import { MAX_FAULT_DELAY_MS } from '@letterbox/contracts';
import { faultReply, type FaultAction } from './fault-action.ts';

export type TagStage = 'rcpt_to' | 'data';

export interface TagAction extends FaultAction {
  stage: TagStage;
}

/** `+slow` without a duration: long enough to show in any client's timing, short enough for CI. */
export const DEFAULT_SLOW_DELAY_MS = 1_000;

const DURATION = '(\\d{1,7})(ms|s|m)';
const REPLY_TAG = /^(reject|tempfail)-(\d{3})(?:-(\d\.\d{1,3}\.\d{1,3}))?(?:-(data|rcpt))?$/;
const DELAY_TAG = new RegExp(`^delay-${DURATION}(?:-(data|rcpt))?$`);
const DISCONNECT_TAG = /^disconnect(?:-(data|rcpt))?$/;
const SLOW_TAG = new RegExp(`^slow(?:-${DURATION})?$`);
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000 };

function stageOf(suffix: string | undefined, fallback: TagStage): TagStage {
  return suffix === 'data' ? 'data' : suffix === 'rcpt' ? 'rcpt_to' : fallback;
}

function duration(amount: string, unit: string): number {
  return Math.min(Number(amount) * UNIT_MS[unit]!, MAX_FAULT_DELAY_MS);
}

/** Tags of one recipient address, in the order they appear. */
export function parseAddressTags(address: string): TagAction[] {
  const at = address.lastIndexOf('@');
  const local = (at === -1 ? address : address.slice(0, at)).toLowerCase();
  if (!local.includes('+')) return [];
  const actions: TagAction[] = [];
  for (const tag of local.split('+').slice(1)) {
    const source = `tag +${tag}`;
    let m: RegExpExecArray | null;
    if ((m = REPLY_TAG.exec(tag))) {
      const code = Number(m[2]);
      const wanted = m[1] === 'reject' ? 5 : 4;
      // reject-4xx / tempfail-5xx contradict themselves: not a tag.
      if (Math.floor(code / 100) !== wanted || (m[3] !== undefined && Number(m[3][0]) !== wanted)) continue;
      actions.push({ stage: stageOf(m[4], 'rcpt_to'), delayMs: 0, reply: faultReply(code, m[3], null, source), disconnect: false, source });
    } else if ((m = DELAY_TAG.exec(tag))) {
      actions.push({ stage: stageOf(m[3], 'data'), delayMs: duration(m[1]!, m[2]!), reply: null, disconnect: false, source });
    } else if ((m = DISCONNECT_TAG.exec(tag))) {
      actions.push({ stage: stageOf(m[1], 'data'), delayMs: 0, reply: null, disconnect: true, source });
    } else if ((m = SLOW_TAG.exec(tag))) {
      const delayMs = m[1] === undefined ? DEFAULT_SLOW_DELAY_MS : duration(m[1], m[2]!);
      actions.push({ stage: 'rcpt_to', delayMs, reply: null, disconnect: false, source });
      actions.push({ stage: 'data', delayMs, reply: null, disconnect: false, source });
    }
  }
  return actions;
}

/** The tag actions of the given recipients at one stage, in recipient order. */
export function tagActionsAt(stage: TagStage, recipients: readonly string[]): FaultAction[] {
  const actions: FaultAction[] = [];
  for (const recipient of recipients) {
    for (const action of parseAddressTags(recipient)) if (action.stage === stage) actions.push(action);
  }
  return actions;
}
