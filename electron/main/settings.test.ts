import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { initialWorkspace, readSettings, settingsFile, writeSettings } from './settings'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'opdesk-settings-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('settings file', () => {
  it('round-trips the last workspace', () => {
    const file = settingsFile(tmp())
    expect(readSettings(file)).toEqual({})
    writeSettings(file, { lastWorkspace: '/srv/ws' })
    expect(readSettings(file)).toEqual({ lastWorkspace: '/srv/ws' })
  })

  it('ignores a broken or hostile file', () => {
    const file = settingsFile(tmp())
    writeFileSync(file, '{not json')
    expect(readSettings(file)).toEqual({})
    writeFileSync(file, JSON.stringify({ lastWorkspace: '../relative' }))
    expect(readSettings(file)).toEqual({})
  })
})

describe('initialWorkspace', () => {
  const yes = () => true
  it('lets --workspace win', () => {
    expect(initialWorkspace({ workspace: '/w', demo: true }, '/ud', '/demo', { lastWorkspace: '/last' }, yes)).toBe(
      '/w',
    )
  })
  it('never opens the real workspace for --demo', () => {
    expect(initialWorkspace({ demo: true }, '/ud', '/demo', { lastWorkspace: '/last' }, yes)).toBe('/demo')
    expect(initialWorkspace({ demo: true, userDataDir: '/t' }, '/t', '/demo', {}, yes)).toBe('/t/demo-workspace')
  })
  it('reopens the last picked folder while it exists, else userData/workspace', () => {
    expect(initialWorkspace({ demo: false }, '/ud', '/demo', { lastWorkspace: '/last' }, yes)).toBe('/last')
    expect(initialWorkspace({ demo: false }, '/ud', '/demo', { lastWorkspace: '/last' }, () => false)).toBe(
      '/ud/workspace',
    )
  })
})
