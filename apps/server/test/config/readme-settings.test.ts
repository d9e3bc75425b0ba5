import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { settingDescriptions, settingsMarkdownTable } from '../../src/config.ts';

const README = new URL('../../../../README.md', import.meta.url);
const START = '<!-- settings:start -->';
const END = '<!-- settings:end -->';

describe('README configuration table', () => {
  it('is exactly the table config.ts describes (regenerate: node --import tsx apps/server/scripts/print-settings-table.ts)', async () => {
    const readme = await readFile(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, 'README has the settings markers').toBeGreaterThan(0);
    expect(readme.slice(start + START.length, end).trim()).toBe(settingsMarkdownTable());
  });

  it('names every setting by flag and environment variable', async () => {
    const readme = await readFile(README, 'utf8');
    for (const setting of settingDescriptions) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${setting.flag}\` |`));
      expect(row, setting.flag).toContain(`\`${setting.env}\``);
    }
  });
});
