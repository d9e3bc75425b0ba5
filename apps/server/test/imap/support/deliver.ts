// Delivers a message through the real ingest transaction (message row, delivery order, NOTIFY).
import type pg from 'pg';
import { storeMessageBatch, type StoredMessage } from '../../../src/domain/messages/store-message-batch.ts';

export const TEST_CATCH_ALL = 'catchall';

export async function deliver(pool: pg.Pool, rcptTo: string[], raw: Buffer): Promise<StoredMessage> {
  const client = await pool.connect();
  try {
    const [stored] = await storeMessageBatch(
      client,
      [
        {
          raw,
          receivedAt: new Date(),
          mailFrom: 'sender@example.test',
          rcptTo,
          authUser: null,
          clientAddress: '127.0.0.1',
          heloName: 'test',
          tls: false,
          run: null,
        },
      ],
      TEST_CATCH_ALL,
    );
    return stored!;
  } finally {
    client.release();
  }
}
