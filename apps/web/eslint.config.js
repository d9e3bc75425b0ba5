import base from '@letterbox/eslint-config';
import globals from 'globals';

export default [
  ...base,
  { ignores: ['.next/**', 'next-env.d.ts', 'test-artifacts/**'] },
  // Client components and the e2e tests' in-page callbacks run in the browser.
  { files: ['src/**/*.{ts,tsx}', 'test/e2e/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
];
