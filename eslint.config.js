// ESLint flat config. Besides the usual recommended sets it guards the layering of
// STYLE.md: only the Electron shell (electron/main, electron/preload) may import electron,
// so the core stays plain Node — shared by host mode, the CLI and vitest — and the
// renderer stays a web page. The e2e spec drives Electron through Playwright, not imports.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const electronOnlyInShell = {
  paths: [
    {
      name: 'electron',
      message:
        'Only electron/main and electron/preload may import electron; pass what the core needs through a small interface.',
    },
  ],
  patterns: [{ group: ['electron/*'], message: 'Only electron/main and electron/preload may import electron.' }],
}

export default tseslint.config(
  {
    ignores: [
      'out/',
      'dist/',
      'node_modules/',
      '.native/',
      'test-results/',
      'playwright-report/',
      '.workspaces/',
      '.bench/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading _ marks a parameter a callback signature forces on us; `catch (err) {}`
      // that ignores the error on purpose is fine.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Scripts, bin/ and config files run on Node.
    files: ['**/*.{js,mjs,cjs}', '*.config.ts', 'scripts/**', 'bin/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // The offline demo site's scripts run in the page the demo flow drives.
    files: ['resources/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Playwright fixtures must destructure their first argument, even when they use none.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': ['error', electronOnlyInShell] },
  },
)
