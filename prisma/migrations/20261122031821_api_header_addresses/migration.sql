-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "headerAddresses" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "messages_headerAddresses_idx" ON "messages" USING GIN ("headerAddresses");

-- Hand-written: messages parsed before this migration get their keys from the parsed address
-- columns (the parser writes them for every message parsed from now on).
UPDATE "messages" m SET "headerAddresses" = ARRAY(
  SELECT DISTINCT k FROM (
    SELECT 'from:' || lower(x->>'address') AS k
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m."fromAddress") = 'array' THEN m."fromAddress" ELSE '[]'::jsonb END) x
    UNION ALL
    SELECT 'to:' || lower(x->>'address')
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m."toAddresses") = 'array' THEN m."toAddresses" ELSE '[]'::jsonb END) x
    UNION ALL
    SELECT 'cc:' || lower(x->>'address')
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m."ccAddresses") = 'array' THEN m."ccAddresses" ELSE '[]'::jsonb END) x
  ) keys WHERE k IS NOT NULL ORDER BY k)
WHERE m."parseState" = 'parsed';
