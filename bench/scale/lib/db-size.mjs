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
                (SELECT count(*) FROM accounts)::bigint AS accounts,
                pg_database_size(current_database())::bigint AS bytes`);
      const row = r.rows[0];
      return { messages: Number(row.messages), accounts: Number(row.accounts), bytes: Number(row.bytes) };
    },
    close: () => client.end(),
  };
}
