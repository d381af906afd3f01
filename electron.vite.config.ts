import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { build, type Plugin } from 'vite'

const alias = { '@shared': resolve(__dirname, 'shared') }

/**
 * The SQL migrations are data the bundle reads at run time, not modules: copy them next to
 * out/main/index.js, where main (and core's defaultMigrationsDir) look for them. Runs after
 * the bundle is written, since emptyOutDir clears out/main first.
 */
function copyMigrations(outDir: string): Plugin {
  return {
    name: 'opdesk-copy-migrations',
    apply: 'build',
    closeBundle() {
      cpSync(resolve(__dirname, 'electron/core/store/migrations'), resolve(__dirname, outDir, 'migrations'), {
        recursive: true,
      })
    },
  }
}

/**
 * The `opdesk` CLI (bin/opdesk.mjs runs out/cli/opdesk.mjs) is a plain Node program, not
 * part of the Electron app, so it gets its own build for Node's target with its own chunks;
 * sharing the main build would split chunks out of the app's bundle. It rides on the main
 * build so that every `electron-vite build` (npm run build, serve, test:e2e) makes it too.
 * Chunks sit beside the entry: core resolves its data files (migrations, resources, the
 * renderer) relative to the module that asks.
 */
function buildCli(): Plugin {
  return {
    name: 'opdesk-build-cli',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: __dirname,
        logLevel: 'warn',
        resolve: { alias },
        plugins: [copyMigrations('out/cli')],
        build: {
          // SSR build: a Node bundle whose node_modules imports stay imports.
          ssr: resolve(__dirname, 'electron/host/main.ts'),
          outDir: resolve(__dirname, 'out/cli'),
          emptyOutDir: true,
          target: 'node20',
          minify: false,
          reportCompressedSize: false,
          rollupOptions: {
            output: { format: 'es', entryFileNames: 'opdesk.mjs', chunkFileNames: '[name]-[hash].mjs' },
          },
        },
      })
    },
  }
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin(), copyMigrations('out/main'), buildCli()],
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
