// The TLS key pair for STARTTLS and implicit-TLS listeners (SMTP now, IMAP later): the configured
// PEM files, or a self-signed certificate for localhost generated on first start and kept under
// the data directory so clients that pinned it keep trusting it across restarts.
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsKeyPair {
  key: string;
  cert: string;
  /** Where it came from, for the banner. */
  source: string;
}

/** Long enough that a sandbox's data dir never meets an expired certificate in practice. */
const SELF_SIGNED_VALIDITY_DAYS = 3650;
/** Regenerate a kept certificate this close to expiry. */
const RENEW_BEFORE_EXPIRY_MS = 30 * 86_400_000;
const CERT_FILE = 'tls-cert.pem';
const KEY_FILE = 'tls-key.pem';

export async function loadTlsKeyPair(options: {
  dataDir: string;
  certPath: string | null;
  keyPath: string | null;
}): Promise<TlsKeyPair> {
  if (options.certPath && options.keyPath) {
    const [cert, key] = await Promise.all([readFile(options.certPath, 'utf8'), readFile(options.keyPath, 'utf8')]);
    return { cert, key, source: options.certPath };
  }
  const certFile = join(options.dataDir, CERT_FILE);
  const keyFile = join(options.dataDir, KEY_FILE);
  const kept = await readKept(certFile, keyFile);
  if (kept) return kept;

  const pair = await generateSelfSigned();
  await mkdir(options.dataDir, { recursive: true });
  // Write then rename: a crash mid-write never leaves a half-written key that fails every start.
  await writeFile(`${keyFile}.tmp`, pair.key, { mode: 0o600 });
  await writeFile(`${certFile}.tmp`, pair.cert);
  await rename(`${keyFile}.tmp`, keyFile);
  await rename(`${certFile}.tmp`, certFile);
  return { ...pair, source: `${certFile} (self-signed, generated)` };
}

async function readKept(certFile: string, keyFile: string): Promise<TlsKeyPair | null> {
  try {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    const validTo = Date.parse(new X509Certificate(cert).validTo);
    if (!(validTo - Date.now() > RENEW_BEFORE_EXPIRY_MS)) return null;
    return { cert, key, source: `${certFile} (self-signed)` };
  } catch {
    return null;
  }
}

export async function generateSelfSigned(): Promise<{ key: string; cert: string }> {
  const notBeforeDate = new Date(Date.now() - 86_400_000); // tolerate a client clock a day behind
  const notAfterDate = new Date(Date.now() + SELF_SIGNED_VALIDITY_DAYS * 86_400_000);
  const result = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: result.private, cert: result.cert };
}
