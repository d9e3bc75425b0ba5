-- AlterTable
ALTER TABLE "messages" DROP COLUMN "imapBodyStructure",
DROP COLUMN "imapEnvelope";

-- CreateTable
CREATE TABLE "message_imap_structures" (
    "messageId" BIGINT NOT NULL,
    "size" INTEGER NOT NULL,
    "envelope" JSONB,
    "bodyStructure" JSONB,

    CONSTRAINT "message_imap_structures_pkey" PRIMARY KEY ("messageId")
);

-- AddForeignKey
ALTER TABLE "message_imap_structures" ADD CONSTRAINT "message_imap_structures_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
