// Where the app finds its SQLite binding, migrations and renderer build — dev vs packaged.
// Plain Node (no electron import) so both cases are unit-tested.
//
// better-sqlite3 is a native module built for one ABI at a time. node_modules keeps the
// build for Node's ABI, because vitest and host mode (`opdesk serve`) run on Node. The
// unpackaged app therefore loads a second copy built for Electron's ABI, which
// scripts/electron-native.mjs writes to .native/electron-<version>/better_sqlite3.node
// (npm start / npm run dev run it first). A packaged app needs neither: electron-builder's
// own rebuild (npmRebuild: true) puts the Electron-ABI build into app.asar.unpacked, where
// better-sqlite3 finds it by itself, so no nativeBinding is passed there.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export interface RuntimeInfo {
  isPackaged: boolean
  /** Folder of the main bundle (out/main, or inside app.asar). */
  mainDir: string
  /** Repository root in dev (mainDir/../..). */
  projectRoot: string
  /** process.resourcesPath in a packaged app. */
  resourcesPath?: string
  electronVersion: string
}

export function nativeBindingPath(projectRoot: string, electronVersion: string): string {
  return join(projectRoot, '.native', `electron-${electronVersion}`, 'better_sqlite3.node')
}

export type NativeBinding = { ok: true; path: string | undefined } | { ok: false; message: string }

export function resolveNativeBinding(info: RuntimeInfo, exists: (p: string) => boolean = existsSync): NativeBinding {
  if (info.isPackaged) return { ok: true, path: undefined }
  const path = nativeBindingPath(info.projectRoot, info.electronVersion)
  if (exists(path)) return { ok: true, path }
  return {
    ok: false,
    message:
      `better-sqlite3 is not built for Electron ${info.electronVersion} yet (${path} is missing).\n\n` +
      'Run `node scripts/electron-native.mjs` (npm start and npm run dev do this for you), then start Opdesk again.',
  }
}

/**
 * The SQL migrations. electron-vite copies them to out/main/migrations; a packaged app also
 * ships them as plain files in resources/migrations (extraResources), preferred there so
 * they are readable without going through asar.
 */
export function resolveMigrationsDir(
  info: RuntimeInfo,
  exists: (p: string) => boolean = existsSync,
): string | undefined {
  const candidates = [
    ...(info.isPackaged && info.resourcesPath ? [join(info.resourcesPath, 'migrations')] : []),
    join(info.mainDir, 'migrations'),
    // `electron-vite dev` before the first full build: the source folder itself.
    ...(info.isPackaged ? [] : [join(info.projectRoot, 'electron', 'core', 'store', 'migrations')]),
  ]
  return candidates.find((dir) => exists(join(dir, 'meta', '_journal.json')))
}

export function preloadPath(mainDir: string): string {
  return join(mainDir, '..', 'preload', 'index.cjs')
}

export function rendererDir(mainDir: string): string {
  return join(mainDir, '..', 'renderer')
}
