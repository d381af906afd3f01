// Renderer-only build, for when the Electron main/preload entries are not there yet
// (electron-vite builds all three and fails on a missing one). Mirrors the renderer
// section of electron.vite.config.ts: `npx vite build --config renderer/vite.config.mjs`.
// Plain .mjs so tsconfig.web.json (DOM types only, no node) does not type-check it.
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const here = dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  resolve: { alias: { '@shared': resolve(here, '../shared') } },
  build: {
    outDir: resolve(here, '../out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: { index: resolve(here, 'index.html') } },
  },
})
