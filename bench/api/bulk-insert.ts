// Fills `messages` with N parsed messages in SQL (generate_series), in batches: the list
// benchmark needs a million stored messages, which SMTP would take far too long to deliver.
// Rows look like parsed mail: subject, From/To JSON and keys (headerAddresses), text; one of RUNS runs and one of
// RECIPIENTS recipients each, round robin; received 1 ms apart, ending now.
import type pgType from 'pg';

export const RUNS = 1_000;
export const RECIPIENTS = 1_000;
/** Rows per INSERT: one transaction of this size takes a few seconds on a shared 2-core machine. */
const BATCH = 100_000;

export async function bulkInsert(pool: pgType.Pool, total: number, log: (line: string) => void): Promise<void> {
  for (let from = 1; from <= total; from += BATCH) {
    const to = Math.min(total, from + BATCH - 1);
    const started = Date.now();
    await pool.query(
      `INSERT INTO messages (raw, size, sha256, "receivedAt", "mailFrom", "rcptTo", run, "parseState", "parsedAt", subject,
                             "fromAddress", "toAddresses", "ccAddresses", "headerAddresses", headers, text, "references")
       SELECT convert_to('Subject: Bulk message ' || g || E'\\r\\nTo: u' || (g % $4) || E'@bench.test\\r\\n\\r\\nbody ' || g || E'\\r\\n', 'UTF8'),
              60, repeat('0', 64), now() - ($3::int - g) * interval '1 millisecond', 'bulk@bench.test',
              ARRAY['u' || (g % $4) || '@bench.test'], 'run-' || (g % $5), 'parsed', now(), 'Bulk message ' || g,
              '[{"name":"Bulk","address":"bulk@bench.test"}]'::jsonb,
              jsonb_build_array(jsonb_build_object('name', '', 'address', 'u' || (g % $4) || '@bench.test')),
              '[]'::jsonb, ARRAY['from:bulk@bench.test', 'to:u' || (g % $4) || '@bench.test'], '[]'::jsonb, 'body ' || g, '{}'
         FROM generate_series($1::int, $2::int) g`,
      [from, to, total, RECIPIENTS, RUNS],
    );
    log(`  inserted ${to.toLocaleString('en')} / ${total.toLocaleString('en')} (${Date.now() - started} ms)`);
  }
  await pool.query('ANALYZE messages');
}
