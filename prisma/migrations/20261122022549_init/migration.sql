-- CreateEnum
CREATE TYPE "parse_state" AS ENUM ('pending', 'parsed', 'failed');

-- CreateTable
CREATE TABLE "messages" (
    "id" BIGSERIAL NOT NULL,
    "raw" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mailFrom" TEXT NOT NULL DEFAULT '',
    "rcptTo" TEXT[],
    "authUser" TEXT,
    "clientAddress" TEXT,
    "heloName" TEXT,
    "tls" BOOLEAN NOT NULL DEFAULT false,
    "run" TEXT,
    "parseState" "parse_state" NOT NULL DEFAULT 'pending',
    "parseError" TEXT,
    "parsedAt" TIMESTAMPTZ(3),
    "subject" TEXT,
    "fromAddress" JSONB,
    "toAddresses" JSONB,
    "ccAddresses" JSONB,
    "replyTo" JSONB,
    "date" TIMESTAMPTZ(3),
    "messageIdHeader" TEXT,
    "inReplyTo" TEXT,
    "references" TEXT[],
    "headers" JSONB,
    "text" TEXT,
    "html" TEXT,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attachments" (
    "id" BIGSERIAL NOT NULL,
    "messageId" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "filename" TEXT,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "contentId" TEXT,
    "disposition" TEXT,
    "sha256" CHAR(64) NOT NULL,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" BIGSERIAL NOT NULL,
    "address" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mailboxes" (
    "id" BIGSERIAL NOT NULL,
    "accountId" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "uidValidity" INTEGER NOT NULL,
    "uidNext" INTEGER NOT NULL DEFAULT 1,
    "highestModseq" BIGINT NOT NULL DEFAULT 1,
    "specialUse" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mailboxes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mailbox_messages" (
    "mailboxId" BIGINT NOT NULL,
    "uid" INTEGER NOT NULL,
    "messageId" BIGINT NOT NULL,
    "modseq" BIGINT NOT NULL,
    "flags" TEXT[],
    "recent" BOOLEAN NOT NULL DEFAULT true,
    "internalDate" TIMESTAMPTZ(3) NOT NULL,
    "expungedModseq" BIGINT,

    CONSTRAINT "mailbox_messages_pkey" PRIMARY KEY ("mailboxId","uid")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "accountId" BIGINT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("accountId","name")
);

-- CreateIndex
CREATE INDEX "messages_receivedAt_idx" ON "messages"("receivedAt");

-- CreateIndex
CREATE INDEX "messages_parseState_id_idx" ON "messages"("parseState", "id");

-- CreateIndex
CREATE INDEX "messages_run_id_idx" ON "messages"("run", "id");

-- CreateIndex
CREATE UNIQUE INDEX "attachments_messageId_position_key" ON "attachments"("messageId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_address_key" ON "accounts"("address");

-- CreateIndex
CREATE UNIQUE INDEX "mailboxes_accountId_name_key" ON "mailboxes"("accountId", "name");

-- CreateIndex
CREATE INDEX "mailbox_messages_messageId_idx" ON "mailbox_messages"("messageId");

-- CreateIndex
CREATE INDEX "mailbox_messages_mailboxId_modseq_idx" ON "mailbox_messages"("mailboxId", "modseq");

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mailbox_messages" ADD CONSTRAINT "mailbox_messages_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mailbox_messages" ADD CONSTRAINT "mailbox_messages_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below this line: what schema.prisma cannot express (see prisma/README.md).

-- UIDVALIDITY values for new mailboxes (RFC 9051 2.3.1.1: never reused for a mailbox name).
-- Starting at the epoch seconds of this migration means a wiped and re-created database does
-- not hand out values an IMAP client may still have cached from the previous one.
-- `integer` because mailboxes."uidValidity" is; it lasts until 2038.
CREATE SEQUENCE "uid_validity_seq" AS integer;
SELECT setval('uid_validity_seq', extract(epoch from now())::bigint);

-- Raw messages are large; PostgreSQL's default TOAST compression (pglz) costs ~2-3 ms of CPU per
-- 50 KB message on the ingest path, lz4 a fraction of that. The embedded-postgres binaries are
-- built without lz4 (feature_not_supported): there the bytes are stored out of line uncompressed,
-- trading disk for ingest speed.
DO $$
BEGIN
  ALTER TABLE "messages" ALTER COLUMN "raw" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  ALTER TABLE "messages" ALTER COLUMN "raw" SET STORAGE EXTERNAL;
END
$$;
