/**
 * LIST patterns (RFC 3501 §6.3.8): `*` matches anything, `%` anything but the delimiter `/`.
 *
 * Matched by simulating the pattern's automaton with bitsets, not with a RegExp: a pattern such as
 * `*a*a*a*a*a*a*b` turned into `.*a.*a…` backtracks exponentially against a long mailbox name and
 * would stall the whole process. Here the cost is O(name length × pattern length / 32).
 */
const STAR = -1;
const PERCENT = -2;
const DELIMITER = 0x2f;

export type NameMatcher = (name: string) => boolean;

export function compileListPattern(pattern: string): NameMatcher {
  // `INBOX` at the start is case-insensitive (IMAP.md M13).
  const normalised = /^inbox(?=$|\/)/i.test(pattern) ? 'INBOX' + pattern.slice(5) : pattern;
  const tokens: number[] = [];
  for (let i = 0; i < normalised.length; i++) {
    const c = normalised.charCodeAt(i);
    const token = c === 0x2a ? STAR : c === 0x25 ? PERCENT : c;
    const last = tokens[tokens.length - 1];
    // Adjacent wildcards collapse: `**` is `*`, `%*`/`*%` is `*`, `%%` is `%`.
    if (token < 0 && last !== undefined && last < 0) tokens[tokens.length - 1] = token === STAR || last === STAR ? STAR : PERCENT;
    else tokens.push(token);
  }
  const states = tokens.length + 1; // state i: the next token to match is tokens[i]; the last state accepts
  const words = Math.ceil(states / 32);
  const mask = (): Uint32Array => new Uint32Array(words);
  const set = (m: Uint32Array, i: number): void => void (m[i >>> 5]! |= 1 << (i & 31));
  const literal = new Map<number, Uint32Array>();
  const star = mask();
  const percent = mask();
  let literalCount = 0;
  tokens.forEach((t, i) => {
    if (t === STAR) set(star, i);
    else if (t === PERCENT) set(percent, i);
    else {
      literalCount++;
      let m = literal.get(t);
      if (!m) literal.set(t, (m = mask()));
      set(m, i);
    }
  });
  const wildcard = mask();
  for (let w = 0; w < words; w++) wildcard[w] = star[w]! | percent[w]!;
  const acceptWord = tokens.length >>> 5;
  const acceptBit = 1 << (tokens.length & 31);

  /** Adds state i+1 for every active wildcard state i (a wildcard may match nothing). */
  const closure = (s: Uint32Array): void => {
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const shifted = ((s[w]! & wildcard[w]!) << 1) | carry;
      carry = (s[w]! & wildcard[w]!) >>> 31;
      s[w] = s[w]! | shifted;
    }
  };

  return (name: string): boolean => {
    if (name.length < literalCount) return false;
    let current = mask();
    let next = mask();
    current[0] = 1;
    closure(current);
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      const lit = literal.get(c);
      let carry = 0;
      let any = 0;
      for (let w = 0; w < words; w++) {
        const advanced = lit ? current[w]! & lit[w]! : 0;
        let v = ((advanced << 1) | carry) | (current[w]! & star[w]!);
        if (c !== DELIMITER) v |= current[w]! & percent[w]!;
        carry = advanced >>> 31;
        next[w] = v;
        any |= v;
      }
      if (any === 0) return false;
      closure(next);
      [current, next] = [next, current];
    }
    return (current[acceptWord]! & acceptBit) !== 0;
  };
}
