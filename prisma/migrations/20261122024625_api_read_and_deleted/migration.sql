-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "deletedAt" TIMESTAMPTZ(3),
ADD COLUMN     "readAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "messages_deletedAt_idx" ON "messages"("deletedAt");
