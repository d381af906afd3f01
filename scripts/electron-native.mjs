#!/usr/bin/env node
// Builds better-sqlite3 for the installed Electron into .native/electron-<version>/.
//
// Why a second build: a native module is compiled for one ABI. node_modules keeps the build
// for Node's ABI, because vitest and host mode (`opdesk serve`) run on Node; rebuilding it in
// place for Electron (what electron-rebuild normally does) would break them until the next
// `npm rebuild`. So the Electron build lives apart, and the unpackaged app passes its path
// to better-sqlite3 as `nativeBinding` (electron/main/runtime-paths.ts). `npm start` and
// `npm test` then work in either order. Packaged apps do not use this: electron-builder
// rebuilds node_modules for Electron itself (npmRebuild: true, see scripts/dist.mjs).
//
//   node scripts/electron-native.mjs                 build if missing or stale; exit 1 if Electron is absent
//   node scripts/electron-native.mjs --if-possible   same, but exit 0 when Electron is absent
//   node scripts/electron-native.mjs --force         rebuild even when up to date
//   OPDESK_ELECTRON_HEADERS_URL=https://mirror/…     fetch Electron headers from a mirror
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const flags = new Set(process.argv.slice(2))
const ifPossible = flags.has('--if-possible')
const force = flags.has('--force')

const say = (msg) => process.stdout.write(`electron-native: ${msg}\n`)
const fail = (msg) => {
  process.stderr.write(`electron-native: ${msg}\n`)
  process.exit(1)
}
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))

/** The electron package throws on require when its binary was never downloaded. */
function electronBinary() {
  try {
    const path = require('electron')
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

let electronVersion
try {
  electronVersion = readJson(require.resolve('electron/package.json')).version
} catch {
  fail('the electron package is not installed; run `npm install` first.')
}

if (!electronBinary()) {
  const msg =
    `Electron ${electronVersion} is installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD was set, or the download failed), ` +
    'so the desktop app cannot run here.\n' +
    '  To get it: `node node_modules/electron/install.js` (or `npm rebuild electron`) on a machine that can reach the Electron downloads.\n' +
    '  Without it you can still use host mode: `npm run serve` serves the same UI in your browser.'
  if (ifPossible) {
    say(`skipped. ${msg}`)
    process.exit(0)
  }
  fail(msg)
}

const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
const sqliteVersion = readJson(join(sqliteDir, 'package.json')).version
const outDir = join(root, '.native', `electron-${electronVersion}`)
const target = join(outDir, 'better_sqlite3.node')
const stampFile = join(outDir, 'build.json')
const stamp = {
  electron: electronVersion,
  betterSqlite3: sqliteVersion,
  platform: process.platform,
  arch: process.arch,
}

function upToDate() {
  if (!existsSync(target) || !existsSync(stampFile)) return false
  try {
    const old = readJson(stampFile)
    return Object.entries(stamp).every(([k, v]) => old[k] === v)
  } catch {
    return false
  }
}

if (!force && upToDate()) {
  say(`better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} is up to date (${relative(root, target)})`)
  process.exit(0)
}

// Build in a throw-away copy so node_modules/better-sqlite3 keeps its Node-ABI binary.
const work = mkdtempSync(join(tmpdir(), 'opdesk-native-'))
let failure
try {
  const moduleDir = join(work, 'node_modules', 'better-sqlite3')
  const oldBuild = join(sqliteDir, 'build') + sep
  cpSync(sqliteDir, moduleDir, { recursive: true, filter: (src) => !(src + sep).startsWith(oldBuild) })
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({
      name: 'opdesk-native-build',
      version: '0.0.0',
      private: true,
      dependencies: { 'better-sqlite3': sqliteVersion },
    }),
  )
  // With prebuild-install beside it, @electron/rebuild first tries better-sqlite3's prebuilt
  // Electron binary (no compiler needed) and compiles only when none fits.
  try {
    const prebuild = dirname(require.resolve('prebuild-install/package.json'))
    symlinkSync(prebuild, join(work, 'node_modules', 'prebuild-install'), 'junction')
  } catch {
    // Not installed (an npm that skipped optional bits): compiling still works.
  }
  say(`building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})…`)
  // An npm-level nodedir (set on some machines for offline Node builds) would make node-gyp
  // compile against Node's headers instead of Electron's: a binary Electron then refuses.
  for (const k of Object.keys(process.env)) if (k.toLowerCase() === 'npm_config_nodedir') delete process.env[k]
  const { rebuild } = await import('@electron/rebuild')
  await rebuild({
    buildPath: work,
    electronVersion,
    arch: process.arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
    ...(process.env.OPDESK_ELECTRON_HEADERS_URL ? { headerURL: process.env.OPDESK_ELECTRON_HEADERS_URL } : {}),
  })
  const built = join(moduleDir, 'build', 'Release', 'better_sqlite3.node')
  if (!existsSync(built)) throw new Error(`the rebuild finished but ${built} is missing`)
  mkdirSync(outDir, { recursive: true })
  copyFileSync(built, target)
  writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + '\n')
  say(`wrote ${relative(root, target)}`)
} catch (err) {
  failure = err
} finally {
  rmSync(work, { recursive: true, force: true })
}
// Reported after the finally block: process.exit() inside catch would skip the clean-up.
if (failure) {
  fail(
    `could not build better-sqlite3 for Electron ${electronVersion}: ${failure instanceof Error ? failure.message : String(failure)}\n` +
      '  It needs the Electron headers (downloaded from electronjs.org, or a prebuilt binary from GitHub) and, when no\n' +
      '  prebuilt binary fits, Python 3 and a C++ toolchain (build-essential / Xcode CLT / VS Build Tools).',
  )
}
