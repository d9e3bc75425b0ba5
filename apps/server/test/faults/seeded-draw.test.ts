import { describe, expect, it } from 'vitest';
import { SeededDraws, seededUniform } from '../../src/domain/faults/seeded-draw.ts';

describe('seeded draws', () => {
  it('give the same hits for the same seed, different ones for another seed', () => {
    const run = (seed: number) => {
      const draws = new SeededDraws();
      return Array.from({ length: 64 }, () => draws.fires('1', seed, 0.5));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('fire for about the requested share of evaluations', () => {
    const draws = new SeededDraws();
    const hits = Array.from({ length: 10_000 }, () => draws.fires('1', 3, 0.2)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(1_800);
    expect(hits).toBeLessThan(2_200);
  });

  it('probability 1 always fires and 0 never, without consuming the sequence', () => {
    const draws = new SeededDraws();
    expect(draws.fires('1', 0, 1)).toBe(true);
    expect(draws.fires('1', 0, 0)).toBe(false);
    expect(draws.fires('1', 0, 0.5)).toBe(seededUniform(0, 0) < 0.5);
  });

  it('keeps counters per rule and forgets deleted rules', () => {
    const draws = new SeededDraws();
    const first = Array.from({ length: 8 }, () => draws.fires('a', 1, 0.5));
    draws.keepOnly(new Set());
    expect(Array.from({ length: 8 }, () => draws.fires('a', 1, 0.5))).toEqual(first);
  });
});
