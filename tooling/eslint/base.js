// Shared flat ESLint config for every package: typescript-eslint's recommended rules plus the
// few project rules that keep layers apart (see ../../README.md, "Layout").
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.next/**', '**/generated/**', '**/coverage/**', '**/*.tmp.*'] },
  { languageOptions: { globals: { ...globals.node } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
);

/** imap-core is a library: it must not reach into the app or the database layer. */
export const libraryBoundaries = {
  rules: {
    'no-restricted-imports': ['error', { patterns: ['@prisma/*', '**/apps/**', '@letterbox/server'] }],
  },
};
