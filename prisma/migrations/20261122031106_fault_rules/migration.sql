-- CreateEnum
CREATE TYPE "fault_stage" AS ENUM ('connect', 'ehlo', 'auth', 'mail_from', 'rcpt_to', 'data');

-- CreateTable
CREATE TABLE "fault_rules" (
    "id" BIGSERIAL NOT NULL,
    "run" TEXT,
    "stage" "fault_stage" NOT NULL,
    "replyCode" INTEGER,
    "enhancedStatus" TEXT,
    "replyMessage" TEXT,
    "delayMs" INTEGER NOT NULL DEFAULT 0,
    "disconnect" BOOLEAN NOT NULL DEFAULT false,
    "probability" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "seed" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fault_rules_pkey" PRIMARY KEY ("id")
);
