#!/usr/bin/env -S node --import tsx
/**
 * A runnable IMAP server on the in-memory backend, to try the library with any client:
 *
 *   pnpm --filter @letterbox/imap-core memserver -- --port 1143 --user alice:pw --eml-dir ./mails [--tls]
 *
 * --tls generates a self-signed certificate and offers STARTTLS; add --implicit-tls for a 993-style port.
 * Plaintext LOGIN is allowed when TLS is off (loopback dev mode) or with --allow-insecure-auth.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ImapServer } from '../src/index.ts';
import { MemoryBackend } from '../src/testing/memory-backend.ts';

const argv = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const { values } = parseArgs({
  args: argv,
  options: {
    port: { type: 'string', default: '1143' },
    host: { type: 'string', default: '127.0.0.1' },
    user: { type: 'string', multiple: true, default: ['user@sandbox.test:pw'] },
    'eml-dir': { type: 'string' },
    tls: { type: 'boolean', default: false },
    'implicit-tls': { type: 'boolean', default: false },
    'allow-insecure-auth': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('imap-memserver [--port 1143] [--host 127.0.0.1] [--user name:password]... [--eml-dir DIR] [--tls] [--implicit-tls] [--allow-insecure-auth]');
  process.exit(0);
}

const backend = new MemoryBackend();
const users = values.user.map((spec) => {
  const i = spec.indexOf(':');
  if (i <= 0) throw new Error(`--user expects name:password, got ${spec}`);
  return { name: spec.slice(0, i), password: spec.slice(i + 1) };
});
for (const u of users) backend.addUser(u.name, u.password);

let loaded = 0;
// pnpm runs scripts in the package directory; resolve paths against where the user typed the command.
const emlDir = values['eml-dir'] && path.resolve(process.env.INIT_CWD ?? process.cwd(), values['eml-dir']);
if (emlDir) for (const u of users) loaded = await backend.loadEmlDirectory(u.name, emlDir);

const useTls = values.tls || values['implicit-tls'];
let tls: { key: string; cert: string } | undefined;
if (useTls) {
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: values.host }], { keySize: 2048, algorithm: 'sha256' });
  tls = { key: pems.private, cert: pems.cert };
}

const server = new ImapServer({
  backend,
  ...(tls ? { tls } : {}),
  implicitTls: values['implicit-tls'],
  allowInsecureAuth: !useTls || values['allow-insecure-auth'],
});
const address = await server.listen(Number(values.port), values.host);
console.log(
  `imap-memserver listening on ${address.address}:${address.port}` +
    (values['implicit-tls'] ? ' (implicit TLS)' : tls ? ' (STARTTLS)' : ' (plaintext)') +
    `; users: ${users.map((u) => u.name).join(', ')}; ${loaded} message(s) loaded per user`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close('Server shutting down').then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
