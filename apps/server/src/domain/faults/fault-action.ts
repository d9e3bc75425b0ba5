// What fault injection does to one SMTP command: wait, then answer with an error, drop the
// connection, or carry on normally. Address tags and API rules both produce FaultActions; the
// SMTP handlers apply the combined Fault.
import type { FaultStage } from '@letterbox/contracts';

export type { FaultStage };

export interface FaultReply {
  code: number;
  enhancedStatus: string;
  message: string;
}

export interface FaultAction {
  delayMs: number;
  reply: FaultReply | null;
  disconnect: boolean;
  /** Where it came from, e.g. `tag +reject-550` or `rule 12`: named in the reply text and the metrics. */
  source: string;
}

export type FaultOutcome = { kind: 'continue' } | { kind: 'reply'; reply: FaultReply } | { kind: 'disconnect' };

export interface Fault {
  /** Sum of the delays of every action that fired. */
  delayMs: number;
  /** The first reply or disconnect among them, in order; else the command proceeds normally. */
  outcome: FaultOutcome;
  sources: string[];
}

/** Combines actions in order; null when there is nothing to do. */
export function combineFaultActions(actions: readonly FaultAction[]): Fault | null {
  if (actions.length === 0) return null;
  let delayMs = 0;
  let outcome: FaultOutcome = { kind: 'continue' };
  const sources: string[] = [];
  for (const action of actions) {
    delayMs += action.delayMs;
    sources.push(action.source);
    if (action.reply) {
      outcome = { kind: 'reply', reply: action.reply };
      break;
    }
    if (action.disconnect) {
      outcome = { kind: 'disconnect' };
      break;
    }
  }
  return { delayMs, outcome, sources };
}

/**
 * RFC 3463 enhanced status for a code when none was given: the usual pairing at the RCPT and DATA
 * stages (what real servers send), else the class's generic X.0.0.
 */
const USUAL_ENHANCED_STATUS: Readonly<Record<number, string>> = {
  421: '4.3.2', // service not available, closing
  450: '4.2.1', // mailbox temporarily unavailable
  451: '4.3.0', // local error in processing
  452: '4.2.2', // mailbox full / insufficient storage
  550: '5.1.1', // no such mailbox
  551: '5.1.6', // user not local
  552: '5.2.2', // mailbox over quota
  553: '5.1.3', // mailbox name not allowed
  554: '5.7.1', // transaction failed / refused by policy
};

export function defaultEnhancedStatus(code: number): string {
  return USUAL_ENHANCED_STATUS[code] ?? `${Math.floor(code / 100)}.0.0`;
}

export function faultReply(code: number, enhancedStatus: string | null | undefined, message: string | null | undefined, source: string): FaultReply {
  return {
    code,
    enhancedStatus: enhancedStatus ?? defaultEnhancedStatus(code),
    message: message ?? `Injected fault (${source})`,
  };
}
