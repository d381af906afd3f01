// ESLint flat config. Besides the usual recommended sets it guards the layering of
// STYLE.md: only the Electron shell (electron/main, electron/preload) may import electron,
// so the core stays plain Node — shared by host mode, the CLI and vitest — and the
// renderer stays a web page. The e2e spec drives Electron through Playwright, not imports.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

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

/**
 * The layers (docs/architecture.md): shared ← store ← services ← api ← shells, and the
 * renderer beside them speaking only HTTP/IPC. Each entry forbids the imports that would
 * cross a layer the wrong way; together with no-cycle they keep the graph a DAG.
 */
const layer = (message, ...group) => ({ group, message })
const RENDERER = layer('The renderer talks to the core only through the API client (renderer/src/api); share types through shared/.', '**/electron/**')
const SHARED = layer('shared/ holds types and pure helpers for every side; it imports nothing of the app.', '**/electron/**', '**/renderer/**')
const NO_SHELL = layer('The core knows no shell: pass what it needs in through core.ts.', '**/host/**', '**/main/**', '**/preload/**', '**/renderer/**')
const NO_API = layer(
  'Services raise domain errors (core/errors.ts) and know nothing of routes or HTTP; only the router, its handlers and core.ts see api/.',
  '**/api/**',
)
const STORE = layer(
  'The store is the bottom layer: it maps rows and raises domain errors (core/errors.ts), never HTTP errors or service calls.',
  '**/api/**',
  '**/runs/**',
  '**/engine/**',
  '**/takeover/**',
  '**/commands/**',
  '**/sandbox/**',
)
const SHELL = layer('Shells wire the core; reach data through the core (core.ts) and its API, not the store.', '**/core/store/**', '**/core/store')
// A later no-restricted-imports entry replaces an earlier one for the same file, so each
// file matches exactly one of these, carrying every rule of its layer.
const LAYERS = [
  { files: ['renderer/**'], patterns: [RENDERER] },
  { files: ['shared/**'], patterns: [SHARED] },
  {
    files: ['electron/core/**'],
    ignores: ['electron/core/store/**', 'electron/core/api/**', 'electron/core/core.ts', '**/*.test.ts'],
    patterns: [NO_SHELL, NO_API],
  },
  { files: ['electron/core/api/**', 'electron/core/core.ts', 'electron/core/**/*.test.ts'], ignores: ['electron/core/store/**'], patterns: [NO_SHELL] },
  { files: ['electron/core/store/**'], patterns: [NO_SHELL, STORE] },
  { files: ['electron/host/**', 'electron/main/**', 'electron/preload/**'], ignores: ['**/*.test.ts'], patterns: [SHELL] },
]

/** no-restricted-syntax entries; one entry per file wins, so the handlers' entry repeats these. */
const SQL_IN_STORE = [
  {
    selector: "MemberExpression[property.name='sqlite'], ObjectPattern > Property[key.name='sqlite']",
    message: 'SQL lives in electron/core/store/: call (or add) a store function instead of using store.sqlite.',
  },
  {
    selector: "CallExpression[callee.property.name='prepare']",
    message: 'SQL lives in electron/core/store/: prepare statements there, through cached().',
  },
  {
    selector: 'ImportDeclaration[source.value=/^(better-sqlite3|drizzle-orm)/]',
    message: 'Only electron/core/store/ talks to the database library; import store functions instead.',
  },
]
const HANDLERS_CALL_SERVICES = [
  {
    selector: "CallExpression[callee.property.name='emit']",
    message: 'Handlers emit no bus events: the service method that makes the change emits it.',
  },
  {
    selector:
      'ImportDeclaration[source.value=/^(node:)?fs($|.promises$)/] > ImportSpecifier[imported.name=/^(write|append|rename|rm|unlink|mkdir|copy|cp|truncate|createWriteStream)/]',
    message: 'Handlers write no files: the service that owns the file writes it.',
  },
]

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
  ...LAYERS.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // The Electron rule applies everywhere outside the shell, so it is repeated here:
          // a later no-restricted-imports entry replaces an earlier one for the same file.
          ...(files.some((f) => f.startsWith('electron/main') || f.startsWith('electron/preload'))
            ? { patterns }
            : { paths: electronOnlyInShell.paths, patterns: [...electronOnlyInShell.patterns, ...patterns] }),
        },
      ],
    },
  })),
  {
    // All SQL lives in electron/core/store/ (issue 12): services call store functions, which
    // prepare statements through cached() and group writes with transaction(). So outside the
    // store no code reaches the connection (store.sqlite), prepares a statement or imports the
    // database libraries. Tests, bench/ and test support seed and inspect rows directly.
    files: ['electron/**/*.ts'],
    ignores: [
      'electron/core/store/**',
      'electron/core/api/handlers/**',
      '**/*.test.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', ...SQL_IN_STORE] },
  },
  {
    // Handlers translate requests into service calls (issue 12): the service that writes also
    // emits the bus event and writes any file, so no other caller can forget either.
    files: ['electron/core/api/handlers/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...SQL_IN_STORE, ...HANDLERS_CALL_SERVICES] },
  },
  {
    // Import cycles make start-up order matter and hide layering mistakes.
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json', noWarnOnMultipleProjects: true })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Test support (fixture sites, harnesses) lives in test/support, outside the product; the
    // product never imports it.
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    plugins: { 'import-x': importX },
    settings: { ...importX.flatConfigs.typescript.settings },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [{ target: ['./electron', './shared', './renderer'], from: './test', message: 'Test support stays out of the product tree.' }] },
      ],
    },
  },
)
