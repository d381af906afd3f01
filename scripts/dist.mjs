#!/usr/bin/env node
// Packages the app with electron-builder, then puts Node's better-sqlite3 build back.
//
// electron-builder (npmRebuild: true) rebuilds native modules for Electron *in place* in
// node_modules — that is how the packaged app gets the Electron-ABI binary in
// app.asar.unpacked. It also leaves node_modules/better-sqlite3 unusable for Node, so
// vitest and `opdesk serve` would fail with NODE_MODULE_VERSION errors afterwards. We keep
// a copy of the Node-ABI binary and restore it whatever the builder's outcome.
//
//   node scripts/dist.mjs [electron-builder args…]      e.g. --linux AppImage
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const binary = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node')
const saved = join(root, '.native', `node-${process.versions.modules}`, 'better_sqlite3.node')

if (existsSync(binary)) {
  mkdirSync(dirname(saved), { recursive: true })
  copyFileSync(binary, saved)
}

const builder = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js')
const res = spawnSync(process.execPath, [builder, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })

if (existsSync(saved)) {
  mkdirSync(dirname(binary), { recursive: true })
  copyFileSync(saved, binary)
  process.stdout.write(
    `dist: restored the Node build of better-sqlite3 (ABI ${process.versions.modules}) for tests and host mode\n`,
  )
}
process.exit(res.status ?? 1)
