-- Lazy recipient INBOXes: ingest records each message's recipients on the message and delivers
-- only to the catch-all INBOX; a recipient's INBOX is filled from the catch-all when it is read
-- (apps/server/src/imap/deliver-to-inbox.ts), up to its "deliveredThrough" catch-all UID.

-- AlterTable
ALTER TABLE "mailboxes" ADD COLUMN     "deliveredThrough" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "recipients" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- Backfill (hand-written): envelope recipients as account addresses (account-address.ts: the
-- domain, after the last "@", lower-cased; NULs dropped as ingest does), each once, in RCPT order.
UPDATE "messages" m SET "recipients" = r.addresses
  FROM (
    SELECT m2.id, array_agg(a.address ORDER BY a.first) AS addresses
      FROM "messages" m2
      CROSS JOIN LATERAL (
        SELECT x.address, min(x.n) AS first
          FROM (
            SELECT CASE WHEN position('@' IN t.v) = 0 THEN t.v
                        ELSE left(t.v, length(t.v) - position('@' IN reverse(t.v)) + 1)
                             || lower(right(t.v, position('@' IN reverse(t.v)) - 1))
                   END AS address, t.n
              FROM unnest(m2."rcptTo") WITH ORDINALITY AS t(v, n)
          ) x
         GROUP BY x.address
      ) a
     GROUP BY m2.id
  ) r
 WHERE r.id = m.id;

-- Backfill (hand-written): recipient INBOXes that exist were delivered to eagerly, so they are up
-- to date through everything the catch-all INBOX has. Which INBOX is the catch-all is
-- configuration (--catch-all-address), not data; it is the INBOX that got an entry for every
-- message, so take the INBOX with the highest uidNext (ties: the oldest). It keeps 0.
WITH catch_all AS (
  SELECT id, "uidNext" - 1 AS through FROM "mailboxes" WHERE name = 'INBOX' ORDER BY "uidNext" DESC, id LIMIT 1
)
UPDATE "mailboxes" mb SET "deliveredThrough" = c.through
  FROM catch_all c
 WHERE mb.name = 'INBOX' AND mb.id <> c.id;

-- CreateIndex
CREATE INDEX "messages_recipients_idx" ON "messages" USING GIN ("recipients");

-- Partial indexes (hand-written; the schema keeps them as plain @@index, see the comment there):
-- these columns are null, parsed or empty for most rows, so ingest should not pay for entries.
DROP INDEX "messages_deletedAt_idx";
CREATE INDEX "messages_deletedAt_idx" ON "messages"("deletedAt") WHERE "deletedAt" IS NOT NULL;
DROP INDEX "messages_parseState_id_idx";
CREATE INDEX "messages_parseState_id_idx" ON "messages"("parseState", "id") WHERE "parseState" = 'pending';
DROP INDEX "messages_run_id_idx";
CREATE INDEX "messages_run_id_idx" ON "messages"("run", "id") WHERE "run" IS NOT NULL;
