-- AlterTable
-- The message's sha256 is written by the background parser with the parsed fields, off the SMTP
-- acknowledgement path; until then it is NULL.
ALTER TABLE "messages" ALTER COLUMN "sha256" DROP NOT NULL;
