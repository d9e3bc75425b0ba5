/**
 * Per (client IP, user name) exponential backoff of authentication failure replies (IMAP.md §4):
 * the n-th consecutive failure waits `base × 2^(n-1)`, capped. A success, or a quiet period, resets it.
 * Kept per server process; it slows guessing, it does not lock accounts.
 */
export class AuthBackoff {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly forgetAfterMs: number,
  ) {}

  private static key(ip: string, user: string): string {
    return `${ip}\0${user.toLowerCase()}`;
  }

  /** Records a failure and returns how long to wait before replying. */
  fail(ip: string, user: string, now = Date.now()): number {
    const key = AuthBackoff.key(ip, user);
    const entry = this.failures.get(key);
    const count = entry && now - entry.last < this.forgetAfterMs ? entry.count + 1 : 1;
    this.failures.set(key, { count, last: now });
    if (this.failures.size > 100_000) this.prune(now);
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(count - 1, 30));
  }

  succeed(ip: string, user: string): void {
    this.failures.delete(AuthBackoff.key(ip, user));
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.last >= this.forgetAfterMs) this.failures.delete(key);
  }
}
