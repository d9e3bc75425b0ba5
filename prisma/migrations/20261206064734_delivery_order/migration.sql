-- Delivery order moves from the catch-all INBOX's UIDs to messages."deliverySeq", numbered under
-- the one delivery_counter row's lock; ingest no longer writes catch-all INBOX entries, and every
-- INBOX (the catch-all's too) is filled lazily up to its "deliveredThrough" deliverySeq
-- (apps/server/src/imap/deliver-to-inbox.ts).

-- AlterTable
ALTER TABLE "mailboxes" ADD COLUMN     "isCatchAll" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "deliveredThrough" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "deliverySeq" BIGINT;

-- CreateTable
CREATE TABLE "delivery_counter" (
    "id" INTEGER NOT NULL,
    "last" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "delivery_counter_pkey" PRIMARY KEY ("id")
);

-- Backfill (hand-written): the old order was the catch-all INBOX's UIDs, and every recipient
-- INBOX's watermark counts in them, so a message's deliverySeq is its catch-all UID (the first, if
-- an IMAP COPY put it there twice) and the watermarks stay valid. The catch-all INBOX is the one
-- with the highest uidNext (as in 20261206040423_lazy_inboxes); it holds everything up to it.
CREATE TEMPORARY TABLE "catch_all_inbox" AS
  SELECT id, "uidNext" - 1 AS through FROM "mailboxes" WHERE name = 'INBOX' ORDER BY "uidNext" DESC, id LIMIT 1;

UPDATE "messages" m SET "deliverySeq" = e.uid
  FROM (SELECT x."messageId", min(x.uid) AS uid
          FROM "mailbox_messages" x JOIN "catch_all_inbox" c ON x."mailboxId" = c.id
         GROUP BY x."messageId") e
 WHERE m.id = e."messageId";

UPDATE "mailboxes" mb SET "deliveredThrough" = c.through, "isCatchAll" = true FROM "catch_all_inbox" c WHERE mb.id = c.id;

INSERT INTO "delivery_counter" (id, last) SELECT 1, coalesce((SELECT through FROM "catch_all_inbox"), 0);
DROP TABLE "catch_all_inbox";

-- CreateIndex
CREATE INDEX "messages_deliverySeq_idx" ON "messages"("deliverySeq");
