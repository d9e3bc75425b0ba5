import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig, parseByteSize, parseCredentials, parseDuration, settingDescriptions } from '../../src/config.ts';

function config(argv: string[], env: Record<string, string> = {}) {
  const result = loadConfig(argv, env);
  if (result.kind !== 'config') throw new Error('expected a configuration');
  return result.config;
}

describe('loadConfig', () => {
  it('gives the documented defaults with no flags and no environment', () => {
    expect(config([])).toEqual(defaultConfig());
    expect(config([])).toMatchObject({ host: '127.0.0.1', smtpPort: 1025, smtpsPort: null, httpPort: 8025, imapPort: 1143, imapsPort: 1993, maxMessageSize: 52428800, smtpAuth: 'open', catchAllAddress: 'catchall' });
  });

  it('reads environment variables and lets flags override them', () => {
    const env = { LETTERBOX_SMTP_PORT: '2525', DATABASE_URL: 'postgres://db/x', LETTERBOX_RETENTION_MAX_AGE: '7d' };
    expect(config([], env)).toMatchObject({ smtpPort: 2525, databaseUrl: 'postgres://db/x', retentionMaxAgeMs: 7 * 86_400_000 });
    expect(config(['--smtp-port', '3525', '--retention-max-age=12h'], env)).toMatchObject({ smtpPort: 3525, retentionMaxAgeMs: 12 * 3_600_000 });
  });

  it('turns on the implicit-TLS port and auth checking', () => {
    const c = config(['--smtps-port', '1465', '--smtp-auth', 'required', '--smtp-credentials', 'ci:pa:ss,bot:x']);
    expect(c.smtpsPort).toBe(1465);
    expect(c.smtpCredentials).toEqual([{ username: 'ci', password: 'pa:ss' }, { username: 'bot', password: 'x' }]);
  });

  it('refuses unknown flags, bad values and inconsistent settings with a ConfigError', () => {
    expect(() => config(['--smpt-port', '1'])).toThrow(ConfigError);
    expect(() => config(['--smtp-port', '70000'])).toThrow(/port/);
    expect(() => config(['--smtp-port'])).toThrow(/needs a value/);
    expect(() => config(['--smtp-auth', 'required'])).toThrow(/credentials/);
    expect(() => config(['--tls-cert', 'a.pem'])).toThrow(/go together/);
    expect(() => config([], { LETTERBOX_SMTP_AUTH: 'closed' })).toThrow(ConfigError);
  });

  it('prints help listing every flag', () => {
    const result = loadConfig(['--help'], {});
    expect(result.kind).toBe('help');
    for (const s of settingDescriptions) expect(result.kind === 'help' && result.text).toContain(s.flag);
  });
});

describe('value syntax', () => {
  it('parses sizes, durations and credentials', () => {
    expect(parseByteSize('x', '50mb')).toBe(52428800);
    expect(parseByteSize('x', '512k')).toBe(524288);
    expect(parseByteSize('x', '1000')).toBe(1000);
    expect(() => parseByteSize('x', '-1')).toThrow(ConfigError);
    expect(parseDuration('x', '90s')).toBe(90_000);
    expect(parseDuration('x', '2w')).toBe(14 * 86_400_000);
    expect(parseDuration('x', 'off')).toBeNull();
    expect(() => parseDuration('x', '5 years')).toThrow(ConfigError);
    expect(parseCredentials('x', '')).toEqual([]);
    expect(() => parseCredentials('x', 'nocolon')).toThrow(ConfigError);
  });
});
