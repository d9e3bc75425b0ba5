import { defaultConfig, type LetterboxConfig } from '../../src/config.ts';

/** A node's config for tests: loopback, every listener on port 0, quiet, on the given database. */
export function testLetterboxConfig(databaseUrl: string, dataDir: string, overrides: Partial<LetterboxConfig> = {}): LetterboxConfig {
  return {
    ...defaultConfig(),
    host: '127.0.0.1',
    smtpPort: 0,
    imapPort: 0,
    imapsPort: 0,
    httpPort: 0,
    databaseUrl,
    dataDir,
    logLevel: 'silent',
    ...overrides,
  };
}
