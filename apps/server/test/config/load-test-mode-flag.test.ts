import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function config(argv: string[], env: Record<string, string> = {}) {
  const result = loadConfig(argv, env);
  if (result.kind !== 'config') throw new Error('expected a configuration');
  return result.config;
}

describe('--load-test-mode', () => {
  it('is off by default, on as a bare flag (also before another flag), and takes on/off values', () => {
    expect(config([]).loadTestMode).toBe(false);
    expect(config(['--load-test-mode']).loadTestMode).toBe(true);
    expect(config(['--load-test-mode', '--smtp-port', '2525'])).toMatchObject({ loadTestMode: true, smtpPort: 2525 });
    expect(config(['--load-test-mode', 'off']).loadTestMode).toBe(false);
    expect(config(['--load-test-mode=on']).loadTestMode).toBe(true);
    expect(config([], { LETTERBOX_LOAD_TEST_MODE: 'true' }).loadTestMode).toBe(true);
    expect(config(['--load-test-mode=off'], { LETTERBOX_LOAD_TEST_MODE: 'on' }).loadTestMode).toBe(false);
  });

  it('refuses other values', () => {
    expect(() => config(['--load-test-mode', 'maybe'])).toThrow(ConfigError);
  });
});
