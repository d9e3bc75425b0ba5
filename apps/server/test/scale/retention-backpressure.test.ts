// Retention backpressure (issue 7): with a message limit, senders faster than retention are held
// before their commit while the store is above the limit plus its slack; every 250 is a committed
// message, and the store never holds more live messages than limit + slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdDecision, retentionSlack } from '../../src/domain/messages/retention-backpressure.ts';
import { dataPayload, RawSmtpClient } from '../smtp/support/raw-smtp-client.ts';
import { startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';

const LIMIT = 50;
const CONNECTIONS = 4;
/** Twelve times the ceiling of 150: without backpressure the store outgrows it between sweeps. */
const MESSAGES_PER_CONNECTION = 450;

describe('the hold/release decision', () => {
  it('admits while the live messages plus those not yet counted stay within the ceiling', () => {
    expect(retentionSlack(50)).toBe(100);
    expect(retentionSlack(100_000)).toBe(10_000);
    expect(holdDecision(100, 49, 150)).toBe('admit');
    expect(holdDecision(100, 50, 150)).toBe('hold');
    expect(holdDecision(150, 0, 150)).toBe('hold');
    expect(holdDecision(0, 0, 150)).toBe('admit');
  });
});

describe('SMTP ingest above the retention limit', () => {
  let server: TestLetterbox;
  beforeAll(async () => {
    server = await startTestLetterbox({ retentionMaxMessages: LIMIT });
    // Every committed message id, whatever retention deletes later: inserted by the ingest
    // transaction itself, so an id here is an id that was committed.
    await server.db.query(`CREATE TABLE committed_ids (id bigint PRIMARY KEY)`);
    await server.db.query(`CREATE FUNCTION note_committed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO committed_ids VALUES (NEW.id); RETURN NEW; END $$`);
    await server.db.query(`CREATE TRIGGER note_committed AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION note_committed()`);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('holds the replies while the store is full, acknowledges only committed messages and completes', async () => {
    const ceiling = LIMIT + retentionSlack(LIMIT);
    let sending = true;
    // The highest live count seen and how many samples: a list of every sample overflowed the
    // stack in Math.max(...) on a run that took long enough to collect ~10^5 of them.
    let samples = 0;
    let highest = 0;
    const sampler = (async () => {
      while (sending) {
        const live = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE "deletedAt" IS NULL`);
        samples += 1;
        highest = Math.max(highest, live.rows[0]!.n);
      }
    })();

    const acknowledged: string[] = [];
    const otherReplies: string[] = [];
    try {
      await Promise.all(Array.from({ length: CONNECTIONS }, async (_, c) => {
        const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
        await client.command('EHLO bp.test');
        for (let m = 0; m < MESSAGES_PER_CONNECTION; m++) {
          client.write(Buffer.concat([
            Buffer.from(`MAIL FROM:<s@bp.test>\r\nRCPT TO:<r${c}-${m}@bp.test>\r\nDATA\r\n`),
            dataPayload(`Subject: ${c}-${m}\r\n\r\nbody\r\n`),
          ]));
          const codes = [(await client.read()).code, (await client.read()).code, (await client.read()).code];
          expect(codes).toEqual([250, 250, 354]);
          const reply = await client.read();
          const id = /stored as (\d+)/.exec(reply.text)?.[1];
          if (reply.code === 250 && id !== undefined) acknowledged.push(id);
          else otherReplies.push(`${reply.code} ${reply.text}`);
        }
        await client.quit();
      }));
    } finally {
      sending = false;
      await sampler;
    }

    expect(otherReplies).toEqual([]);
    expect(acknowledged).toHaveLength(CONNECTIONS * MESSAGES_PER_CONNECTION);
    const committed = await server.db.query<{ id: string }>('SELECT c.id::text AS id FROM committed_ids c ORDER BY c.id');
    expect(committed.rows.map((r) => r.id)).toEqual([...acknowledged].sort((a, b) => Number(a) - Number(b)));
    expect(samples).toBeGreaterThan(0);
    expect(highest).toBeLessThanOrEqual(ceiling);
    // The store did fill up, so the bound above is backpressure's doing, and the time held shows.
    expect(highest).toBeGreaterThan(LIMIT);
    const metrics = await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/metrics`).then((r) => r.text());
    const held = Number(/^letterbox_ingest_retention_held_seconds_total (\S+)$/m.exec(metrics)?.[1]);
    expect(held).toBeGreaterThan(0);
  });
});
