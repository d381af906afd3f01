import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RENDERER_CSP } from '../host/static'
import { handleAppRequest, type AppProtocolOptions } from './app-protocol'

let root: string
let opts: AppProtocolOptions
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'opdesk-proto-'))
  mkdirSync(join(root, 'renderer', 'assets'), { recursive: true })
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><div id=root></div>')
  writeFileSync(join(root, 'renderer', 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'outside the build')
  writeFileSync(join(root, 'shot.png'), 'PNGDATA')
  opts = {
    rendererDir: join(root, 'renderer'),
    artifact: async (id) =>
      id === 'art_1'
        ? {
            status: 200,
            body: {},
            file: { path: join(root, 'shot.png'), contentType: 'image/png', fileName: 'shot".png' },
          }
        : { status: 404, body: { error: { code: 'not_found', message: 'no such artifact' } } },
  }
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const get = (url: string, method = 'GET') => handleAppRequest(new Request(url, { method }), opts)

describe('opdesk://app/', () => {
  it('serves the build with the renderer CSP on every response', async () => {
    const html = await get('opdesk://app/')
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toMatch(/text\/html/)
    expect(html.headers.get('content-security-policy')).toBe(RENDERER_CSP)
    expect(await html.text()).toContain('id=root')
    const js = await get('opdesk://app/assets/app.js')
    expect(js.headers.get('content-type')).toMatch(/javascript/)
    expect(js.headers.get('content-security-policy')).toBe(RENDERER_CSP)
    expect((await get('opdesk://app/nope.js')).headers.get('content-security-policy')).toBe(RENDERER_CSP)
  })

  it('answers client routes with index.html but a missing asset with 404', async () => {
    expect(await (await get('opdesk://app/takeover/run_1')).text()).toContain('id=root')
    expect((await get('opdesk://app/assets/missing.js')).status).toBe(404)
  })

  it('never serves files outside the build', async () => {
    for (const url of [
      'opdesk://app/../secret.txt',
      'opdesk://app/%2e%2e/secret.txt',
      'opdesk://app/..%2fsecret.txt',
      'opdesk://app/assets/..%2f..%2fsecret.txt',
      'opdesk://app/%00index.html',
    ]) {
      const res = await get(url)
      expect(await res.text(), url).not.toContain('outside the build')
    }
  })

  it('streams artifacts by id only, sandboxed, and refuses other methods and the API', async () => {
    const art = await get('opdesk://app/artifacts/art_1')
    expect(art.status).toBe(200)
    expect(art.headers.get('content-type')).toBe('image/png')
    expect(art.headers.get('content-security-policy')).toContain('sandbox')
    expect(art.headers.get('content-disposition')).toBe('inline; filename="shot_.png"')
    expect(await art.text()).toBe('PNGDATA')
    expect((await get('opdesk://app/artifacts/art_2')).status).toBe(404)
    expect((await get('opdesk://app/api/tracks')).status).toBe(404)
    expect((await get('opdesk://app/', 'POST')).status).toBe(405)
  })
})
