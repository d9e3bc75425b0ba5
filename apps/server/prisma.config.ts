// Prisma 7 reads this file (from the directory the CLI runs in) instead of a `url` in the schema.
// Paths are relative to this file. The server itself does not read it: it connects through
// src/db/database.ts and applies migrations with the Wasm schema engine (prisma/README.md).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
  // Only `prisma migrate deploy` / `studio` on a machine that can run Prisma's native engines use
  // this; `generate` needs no database.
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
