// Deterministic "probability": the n-th time a rule is evaluated on a node, it fires when
// hash(seed, n) / 2^32 < probability. The same seed and the same sequence of commands give the
// same hits and misses on every run, so a CI test of retry logic is reproducible.
import { createHash } from 'node:crypto';

const TWO_TO_32 = 2 ** 32;

/** A number in [0, 1) determined by seed and n alone. */
export function seededUniform(seed: number, n: number): number {
  return createHash('sha256').update(`${seed}:${n}`).digest().readUInt32BE(0) / TWO_TO_32;
}

/** Evaluation counters per rule id: state bounded by the number of rules, not by traffic. */
export class SeededDraws {
  private readonly counters = new Map<string, number>();

  fires(ruleId: string, seed: number, probability: number): boolean {
    if (probability >= 1) return true;
    if (probability <= 0) return false;
    const n = this.counters.get(ruleId) ?? 0;
    this.counters.set(ruleId, n + 1);
    return seededUniform(seed, n) < probability;
  }

  /** Forgets counters of rules that no longer exist. */
  keepOnly(ruleIds: ReadonlySet<string>): void {
    for (const id of this.counters.keys()) if (!ruleIds.has(id)) this.counters.delete(id);
  }
}
