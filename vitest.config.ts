import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default defineConfig({
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Real Chromium and real SQLite files: give browser tests room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // In CI the results are also written as JUnit XML, a record that tools can read without
    // parsing the console output.
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'reports/junit-unit.xml' },
    // Host-mode secrets keys live in the user's config folder; tests must never touch the real one.
    env: { XDG_CONFIG_HOME: join(tmpdir(), 'opdesk-test-config') },
  },
})
