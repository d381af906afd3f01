import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'

const alias = { '@shared': resolve(__dirname, 'shared') }

/**
 * The SQL migrations are data the bundle reads at run time, not modules: copy them next to
 * out/main/index.js, where main (and core's defaultMigrationsDir) look for them. Runs after
 * the bundle is written, since emptyOutDir clears out/main first.
 */
function copyMigrations(): Plugin {
  return {
    name: 'opdesk-copy-migrations',
    apply: 'build',
    closeBundle() {
      cpSync(resolve(__dirname, 'electron/core/store/migrations'), resolve(__dirname, 'out/main/migrations'), {
        recursive: true,
      })
    },
  }
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin(), copyMigrations()],
    resolve: { alias },
    build: {
      outDir: 'out/main',
      // core-process.js is the core's own process (a utilityProcess main forks), so SQLite
      // and Playwright stay off the main process's event loop.
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'core-process': resolve(__dirname, 'electron/core-process/entry.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // Sandboxed preloads cannot load ES modules; emit CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    resolve: { alias },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite leaves the renderer unminified; a smaller bundle parses faster in the
      // app and in host mode's browser tab alike.
      minify: 'esbuild',
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
})
