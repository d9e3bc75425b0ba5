-- Hand-written (the schema language has no storage parameters; see prisma/README.md).
-- Keep rows of up to 4 KB whole in the heap instead of moving `raw` out of line as soon as a row
-- passes PostgreSQL's default 2 KB target. A small message then costs one heap tuple instead of
-- a heap tuple plus two TOAST chunks and their index entries: measured with 2 KB messages, about
-- a quarter less PostgreSQL CPU per stored message, and the parser reads and rewrites the row
-- cheaper too. Bigger messages still go out of line (compressed where the server has lz4).
ALTER TABLE "messages" SET (toast_tuple_target = 4096);
