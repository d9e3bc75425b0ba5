// How big the store is: messages, database bytes, and bytes per message.
import { importFromServer } from '../../smtp-ingest/lib/deps.mjs';

export async function openDb(url) {
  const pg = await importFromServer('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async size() {
      const r = await client.query(
        `SELECT (SELECT count(*) FROM messages)::bigint AS messages,
                (SELECT count(*) FROM messages WHERE "deletedAt" IS NULL)::bigint AS live,
                (SELECT count(*) FROM accounts)::bigint AS accounts,
                pg_database_size(current_database())::bigint AS bytes`);
      const row = r.rows[0];
      return { messages: Number(row.messages), live: Number(row.live), accounts: Number(row.accounts), bytes: Number(row.bytes) };
    },
    /** Bytes per table (heap + TOAST + indexes), biggest first. */
    async tables() {
      const r = await client.query(
        `SELECT c.relname AS name, pg_total_relation_size(c.oid)::bigint AS bytes FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 2 DESC`);
      return r.rows.map((row) => ({ name: row.name, bytes: Number(row.bytes) }));
    },
    close: () => client.end(),
  };
}
