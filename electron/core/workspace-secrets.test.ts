// Issue 11 item 4: the sealing key and the running policy are out of reach of what runs in the workspace.
import { osUserName } from './identity'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { PolicyView } from '../../shared/api'
import type { PolicyResult } from '../../shared/domain'
import { createCore, type Core } from './core'
import { silentLogger } from './log'
import { aesCipher } from './secrets/cipher'
import { hostKeyCipher, LEGACY_KEY_FILE } from './secrets/key-store'
import { SecretStore } from './secrets/secrets'
import { tempDir } from '../../test/support/temp-workspace'
import { openWorkspace } from './workspace'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
function dirs(): { ws: string; keys: string } {
  const ws = tempDir('opdesk-ws-')
  const keys = tempDir('opdesk-keys-')
  cleanups.push(ws.cleanup, keys.cleanup)
  return { ws: ws.dir, keys: keys.dir }
}
async function open(ws: string, keysDir: string): Promise<Core> {
  const core = await createCore({ workspaceDir: ws, keysDir, log: silentLogger, passive: true })
  cleanups.push(() => core.close())
  return core
}
const mode = (file: string): number => statSync(file).mode & 0o777
const listRecursive = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name))

describe('the secrets key', () => {
  it('is kept in a 0600 file outside the workspace, and secrets still open after a reopen', async () => {
    const { ws, keys } = dirs()
    const core = await open(ws, keys)
    await core.secrets.put('TOKEN', 's3cret-value')
    const keyFiles = readdirSync(keys)
    expect(keyFiles).toHaveLength(1)
    expect(keyFiles[0]).toMatch(/^[0-9a-f-]{36}\.key$/)
    expect(mode(join(keys, keyFiles[0]!))).toBe(0o600)
    const key = readFileSync(join(keys, keyFiles[0]!))
    for (const f of listRecursive(ws)) expect(readFileSync(f).includes(key), f).toBe(false)
    expect(existsSync(join(ws, LEGACY_KEY_FILE))).toBe(false)
    await core.close()
    const again = await open(ws, keys)
    expect(again.secrets.reveal('TOKEN')).toBe('s3cret-value')
  })

  it('is moved out of a workspace that still holds it, and its secrets still decrypt', async () => {
    const { ws, keys } = dirs()
    const oldKey = randomBytes(32)
    const before = openWorkspace(ws)
    await new SecretStore(before.store, aesCipher(oldKey)).put('TOKEN', 'sealed-before')
    before.close()
    writeFileSync(join(ws, LEGACY_KEY_FILE), oldKey, { mode: 0o600 })

    const core = await open(ws, keys)
    expect(existsSync(join(ws, LEGACY_KEY_FILE))).toBe(false)
    const [moved] = readdirSync(keys)
    expect(readFileSync(join(keys, moved!)).equals(oldKey)).toBe(true)
    expect(mode(join(keys, moved!))).toBe(0o600)
    expect(core.secrets.reveal('TOKEN')).toBe('sealed-before')
  })

  it('refuses to open when the workspace holds a different key than the one outside, deleting neither', async () => {
    const { ws, keys } = dirs()
    await (await open(ws, keys)).close()
    writeFileSync(join(ws, LEGACY_KEY_FILE), randomBytes(32))
    await expect(open(ws, keys)).rejects.toThrow(/differs from/)
    expect(existsSync(join(ws, LEGACY_KEY_FILE))).toBe(true)
  })

  it('comes from OPDESK_KEY when set, writing no key file at all', async () => {
    const { ws, keys } = dirs()
    const w = openWorkspace(ws)
    cleanups.push(() => w.close())
    const key = randomBytes(32)
    const cipher = hostKeyCipher(w.store, ws, { keysDir: keys, env: { OPDESK_KEY: key.toString('base64') } })
    const sealed = await cipher.encrypt(Buffer.from('x'))
    expect(aesCipher(key).decrypt(sealed).toString()).toBe('x')
    expect(readdirSync(keys)).toEqual([])
    expect(() => hostKeyCipher(w.store, ws, { keysDir: keys, env: { OPDESK_KEY: 'short' } })).toThrow(/32 bytes/)
  })
})

describe('the database files', () => {
  it('are readable by their owner only', async () => {
    const { ws, keys } = dirs()
    const core = await open(ws, keys)
    await core.secrets.put('A', 'b')
    const files = readdirSync(ws).filter((f) => f.startsWith('opdesk.db'))
    expect(files).toEqual(expect.arrayContaining(['opdesk.db', 'opdesk.db-wal']))
    for (const f of files) expect(mode(join(ws, f)), f).toBe(0o600)
  })
})

describe('the running policy', () => {
  const check = async (core: Core, command: string) =>
    ((await core.router.handle({ method: 'POST', path: '/api/policy-check', body: { command } })).body as PolicyResult).verdict

  it('changes only through POST /api/policy; rewriting policy.yaml on disk changes no verdict', async () => {
    const { ws, keys } = dirs()
    const core = await open(ws, keys)
    const posted = await core.router.handle({ method: 'POST', path: '/api/policy', body: { source: 'commands:\n  extraDeny: ["make"]\n' } })
    expect((posted.body as PolicyView).problems).toEqual([])
    expect(await check(core, 'make test')).toBe('deny')
    writeFileSync(join(ws, 'policy.yaml'), 'commands:\n  allow: ["curl"]\n')
    expect(await check(core, 'make test')).toBe('deny')
    expect(await check(core, 'curl https://x.example')).toBe('requires-approval')
    await core.close()
    const reopened = await open(ws, keys)
    expect(await check(reopened, 'make test')).toBe('deny')
  })

  it('records who changed it (the local operator, by name) and the diff', async () => {
    const { ws, keys } = dirs()
    const core = await open(ws, keys)
    await core.router.handle({ method: 'POST', path: '/api/policy', body: { source: 'commands:\n  extraDeny: ["a"]\n' } })
    await core.router.handle({ method: 'POST', path: '/api/policy', body: { source: 'commands:\n  extraDeny: ["b"]\n' } })
    const view = (await core.router.handle({ method: 'GET', path: '/api/policy' })).body as PolicyView
    expect(view.changes).toHaveLength(2)
    // Never null (issue 13): a caller without a token is the desktop's own user.
    expect(view.changes![1]).toMatchObject({ by: osUserName(), diff: '-  extraDeny: ["a"]\n+  extraDeny: ["b"]' })
  })

  it('is seeded once from the policy.yaml of a workspace made before it moved into the database', async () => {
    const { ws, keys } = dirs()
    writeFileSync(join(ws, 'policy.yaml'), 'commands:\n  extraDeny: ["make"]\n')
    const core = await open(ws, keys)
    expect(await check(core, 'make test')).toBe('deny')
    expect(((await core.router.handle({ method: 'GET', path: '/api/policy' })).body as PolicyView).changes?.[0]?.by).toBe(
      'imported from policy.yaml',
    )
  })
})
