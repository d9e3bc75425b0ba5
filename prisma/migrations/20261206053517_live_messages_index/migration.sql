-- CreateIndex
-- Partial (hand-written; the schema keeps it as a plain @@index, see the comment there): the live
-- messages' ids, for retention backpressure's oldest live id and bounded count.
CREATE INDEX "messages_live_id_idx" ON "messages"("id") WHERE "deletedAt" IS NULL;
