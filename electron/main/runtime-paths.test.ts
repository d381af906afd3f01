import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { preloadPath, rendererDir, resolveMigrationsDir, resolveNativeBinding, type RuntimeInfo } from './runtime-paths'

const dev: RuntimeInfo = {
  isPackaged: false,
  mainDir: '/repo/out/main',
  projectRoot: '/repo',
  electronVersion: '38.8.6',
}
const packaged: RuntimeInfo = {
  isPackaged: true,
  mainDir: '/opt/Opdesk/resources/app.asar/out/main',
  projectRoot: '/opt/Opdesk/resources/app.asar',
  resourcesPath: '/opt/Opdesk/resources',
  electronVersion: '38.8.6',
}
const only =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p)

describe('resolveNativeBinding', () => {
  it('uses the Electron-ABI build under .native in dev', () => {
    const file = '/repo/.native/electron-38.8.6/better_sqlite3.node'
    expect(resolveNativeBinding(dev, only(file))).toEqual({ ok: true, path: file })
  })

  it('says how to build it when it is missing', () => {
    const res = resolveNativeBinding(dev, only())
    expect(res.ok).toBe(false)
    if (!res.ok) expect(res.message).toContain('scripts/electron-native.mjs')
  })

  it('passes nothing in a packaged app (electron-builder rebuilt node_modules for Electron)', () => {
    expect(resolveNativeBinding(packaged, only())).toEqual({ ok: true, path: undefined })
  })
})

describe('resolveMigrationsDir', () => {
  const journal = (dir: string) => join(dir, 'meta', '_journal.json')

  it('prefers resources/migrations when packaged, then the copy beside the bundle', () => {
    expect(
      resolveMigrationsDir(
        packaged,
        only(journal('/opt/Opdesk/resources/migrations'), journal(packaged.mainDir + '/migrations')),
      ),
    ).toBe('/opt/Opdesk/resources/migrations')
    expect(resolveMigrationsDir(packaged, only(journal(packaged.mainDir + '/migrations')))).toBe(
      packaged.mainDir + '/migrations',
    )
  })

  it('uses out/main/migrations in dev, or the source folder before the first build', () => {
    expect(resolveMigrationsDir(dev, only(journal('/repo/out/main/migrations')))).toBe('/repo/out/main/migrations')
    expect(resolveMigrationsDir(dev, only(journal('/repo/electron/core/store/migrations')))).toBe(
      '/repo/electron/core/store/migrations',
    )
    expect(resolveMigrationsDir(dev, only())).toBeUndefined()
  })

  it('finds the preload and the renderer beside out/main', () => {
    expect(preloadPath('/repo/out/main')).toBe('/repo/out/preload/index.cjs')
    expect(rendererDir('/repo/out/main')).toBe('/repo/out/renderer')
  })
})
