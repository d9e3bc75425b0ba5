// One transaction on a pooled connection; the callback's SQL and the COMMIT (with any NOTIFY
// statements before it) share the connection.
import type pg from 'pg';

export interface Transaction {
  client: pg.PoolClient;
  /** SQL (simple-query protocol, e.g. NOTIFY statements) sent in the same round trip as COMMIT. */
  beforeCommit: string[];
}

export async function inTransaction<T>(pool: pg.Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const tx: Transaction = { client, beforeCommit: [] };
    try {
      const result = await work(tx);
      await client.query(`${tx.beforeCommit.join(' ')} COMMIT`);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  } finally {
    client.release();
  }
}
