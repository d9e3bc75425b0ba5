-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "imapFoldersCreatedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "imapBodyStructure" JSONB,
ADD COLUMN     "imapEnvelope" JSONB;
