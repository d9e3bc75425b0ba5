// Backpressure from retention: with a message limit, new messages wait before their group commit
// while the store holds more than the limit plus RETENTION_SLACK live messages, so a sender faster
// than retention is slowed down instead of growing the store without bound. A message that waited
// MAX_RETENTION_HOLD_MS is refused with a temporary error (SMTP 451): nothing is acknowledged that
// was not committed, and the client retries later.
//
// The estimate is read from PostgreSQL, so every node sees what retention (on whichever node) and
// API deletions removed. Each node adds what it admitted since its last reading and has not seen
// committed; what other nodes admitted meanwhile is not known here (the store may exceed the
// ceiling by what the other nodes admit in one reading interval).
import type pg from 'pg';

/**
 * Above the limit before ingest waits: retention removes mail in sweeps (expunge, then purge one
 * sweep later), so the store normally runs up to a sweep's worth above the limit; a slack too
 * small would hold ingest at every sweep. 10% of the limit, at least 100 messages (a limit of 50
 * in the tests would otherwise flip between held and released with every message).
 */
export function retentionSlack(maxMessages: number): number {
  return Math.max(Math.ceil(maxMessages / 10), 100);
}
/** How old a reading may be before the next message triggers a new one. */
export const RETENTION_READING_INTERVAL_MS = 250;
/**
 * Longest wait for retention before answering 451: SMTP clients wait minutes for the reply to
 * DATA (RFC 5321 4.5.3.2.6: 10 minutes), 30 s is long enough to ride out a sweep and short enough
 * that a stuck retention (none running, or a wrong limit) shows up as temporary failures soon.
 */
export const MAX_RETENTION_HOLD_MS = 30_000;

export class RetentionHoldTimeout extends Error {
  constructor() {
    super('retention backpressure: the store stayed above its message limit');
  }
}

/** Live messages at most, read in one snapshot; exact when their ids have no gaps. */
const RANGE_SQL = `SELECT (SELECT max(id) FROM messages) - (SELECT min(id) FROM messages WHERE "deletedAt" IS NULL) + 1 AS n`;
/**
 * Exact, but bounded: walks at most `ceiling` live ids from the newest. Only when the range says
 * hold: API deletions and rolled-back ids leave gaps that would otherwise hold ingest for good.
 */
const BOUNDED_COUNT_SQL = `SELECT count(*)::int AS n FROM (SELECT 1 FROM messages WHERE "deletedAt" IS NULL ORDER BY id DESC LIMIT $1) s`;

export class RetentionBackpressure {
  readonly ceiling: number;
  /** Live messages at the last reading (an upper bound); null before the first one. */
  private estimate: number | null = null;
  private readAt = 0;
  private reading: Promise<void> | null = null;
  /** Admitted on this node, not yet committed or failed. */
  private unsettled = 0;
  /** Admitted here and maybe not in `estimate`: unsettled at the reading's start, plus admitted since. */
  private uncounted = 0;
  /** Total time messages spent waiting (statistics). */
  heldSeconds = 0;

  constructor(private readonly pool: pg.Pool, maxMessages: number) {
    this.ceiling = maxMessages + retentionSlack(maxMessages);
  }

  /** Resolves when a message may be committed; call the returned function once it settled. */
  async admit(): Promise<() => void> {
    const started = performance.now();
    let held = false;
    for (;;) {
      if (this.reading) await this.reading;
      else if (this.estimate === null || performance.now() - this.readAt >= RETENTION_READING_INTERVAL_MS) await this.read();
      if (holdDecision(this.estimate!, this.uncounted, this.ceiling) === 'admit') break;
      held = true;
      if (performance.now() - started >= MAX_RETENTION_HOLD_MS) {
        this.heldSeconds += (performance.now() - started) / 1000;
        throw new RetentionHoldTimeout();
      }
      await new Promise((resolve) => setTimeout(resolve, RETENTION_READING_INTERVAL_MS));
    }
    // Only a message that was held counts: the wait for an ordinary reading is not backpressure.
    if (held) this.heldSeconds += (performance.now() - started) / 1000;
    this.uncounted++;
    this.unsettled++;
    let settled = false;
    return () => {
      if (!settled) this.unsettled--;
      settled = true;
    };
  }

  private read(): Promise<void> {
    // No admission while a reading is in flight: what is admitted from here on is counted on top.
    this.uncounted = this.unsettled;
    this.reading = (async () => {
      try {
        const range = await this.pool.query<{ n: string | null }>(RANGE_SQL);
        let live = Number(range.rows[0]?.n ?? 0);
        if (holdDecision(live, this.uncounted, this.ceiling) === 'hold') {
          const counted = await this.pool.query<{ n: number }>(BOUNDED_COUNT_SQL, [this.ceiling]);
          live = Math.min(live, counted.rows[0]!.n);
        }
        this.estimate = live;
        this.readAt = performance.now();
      } catch (error) {
        this.estimate = null;
        throw error;
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}

/** Admit one more message while the live ones plus those not yet counted stay within the ceiling. */
export function holdDecision(liveEstimate: number, uncounted: number, ceiling: number): 'admit' | 'hold' {
  return liveEstimate + uncounted + 1 <= ceiling ? 'admit' : 'hold';
}
