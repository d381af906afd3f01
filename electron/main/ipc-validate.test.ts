// Plain-Node tests of the IPC boundary checks; nothing here may import electron.
import { describe, expect, it } from 'vitest'
import { APP_ORIGIN } from './channels'
import { artifactIdOf, isTrustedSender, parseBridgeRequest, toBridgeResponse, UNTRUSTED_SENDER } from './ipc-validate'

const origins = [APP_ORIGIN]
const ok = { frameUrl: 'opdesk://app/#/tracks', isMainFrame: true, isOurWindow: true }

describe('isTrustedSender', () => {
  it('accepts the main frame of our window on our origin', () => {
    expect(isTrustedSender(ok, origins)).toBe(true)
    expect(isTrustedSender({ ...ok, frameUrl: 'opdesk://app/index.html?x=1' }, origins)).toBe(true)
  })

  it('refuses sub-frames, foreign windows and frames that are gone', () => {
    expect(isTrustedSender({ ...ok, isMainFrame: false }, origins)).toBe(false)
    expect(isTrustedSender({ ...ok, isOurWindow: false }, origins)).toBe(false)
    expect(isTrustedSender({ ...ok, frameUrl: undefined }, origins)).toBe(false)
  })

  it('refuses any other origin, including look-alikes', () => {
    for (const frameUrl of [
      'https://evil.example/',
      'opdesk://evil/',
      'opdesk://app.evil/',
      'http://app/',
      'file:///work/main/out/renderer/index.html',
      'about:blank',
      'data:text/html,<p>x',
      'not a url',
    ]) {
      expect(isTrustedSender({ ...ok, frameUrl }, origins), frameUrl).toBe(false)
    }
  })

  it('accepts the dev server only when it is listed', () => {
    const dev = { ...ok, frameUrl: 'http://localhost:5173/' }
    expect(isTrustedSender(dev, origins)).toBe(false)
    expect(isTrustedSender(dev, [...origins, 'http://localhost:5173'])).toBe(true)
    expect(isTrustedSender({ ...dev, frameUrl: 'http://localhost:5174/' }, [...origins, 'http://localhost:5173'])).toBe(
      false,
    )
  })
})

describe('parseBridgeRequest', () => {
  it('accepts a well-formed request', () => {
    const res = parseBridgeRequest({ method: 'GET', path: '/api/tracks', query: { state: 'blocked' } })
    expect(res).toEqual({ ok: true, value: { method: 'GET', path: '/api/tracks', query: { state: 'blocked' } } })
    expect(parseBridgeRequest({ method: 'POST', path: '/api/tracks', body: { title: 'x' } }).ok).toBe(true)
  })

  it.each([
    ['no object', null],
    ['a string', 'GET /api/tracks'],
    ['unknown method', { method: 'PUT', path: '/api/tracks' }],
    ['lower-case method', { method: 'get', path: '/api/tracks' }],
    ['path outside /api/', { method: 'GET', path: '/etc/passwd' }],
    ['relative path', { method: 'GET', path: 'api/tracks' }],
    ['bare /api', { method: 'GET', path: '/api' }],
    ['query in the path', { method: 'GET', path: '/api/tracks?state=done' }],
    ['non-string path', { method: 'GET', path: 42 }],
    ['non-string query value', { method: 'GET', path: '/api/tracks', query: { limit: 5 } }],
    ['array query', { method: 'GET', path: '/api/tracks', query: ['a'] }],
    ['extra keys', { method: 'GET', path: '/api/tracks', headers: { authorization: 'x' } }],
    ['huge path', { method: 'GET', path: '/api/' + 'a'.repeat(5000) }],
  ])('refuses %s with a 400 as data', (_name, raw) => {
    const res = parseBridgeRequest(raw)
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.response.status).toBe(400)
      expect(res.response.body).toMatchObject({ error: { code: 'bad_request' } })
    }
  })

  it('refuses too many query parameters', () => {
    const query = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))
    expect(parseBridgeRequest({ method: 'GET', path: '/api/runs', query }).ok).toBe(false)
  })
})

describe('responses', () => {
  it('passes JSON answers through', () => {
    expect(toBridgeResponse({ status: 404, body: { error: { code: 'not_found', message: 'x' } } })).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'x' } },
    })
  })

  it('turns a file answer into a description with an app URL and no local path', () => {
    const res = toBridgeResponse(
      {
        status: 200,
        body: {},
        file: { path: '/home/op/ws/evidence/r/shot.png', contentType: 'image/png', fileName: 'shot.png' },
      },
      'art_1',
    )
    expect(res).toEqual({
      status: 200,
      body: { contentType: 'image/png', fileName: 'shot.png', url: 'opdesk://app/artifacts/art_1' },
    })
    expect(JSON.stringify(res)).not.toContain('/home/op')
  })

  it('finds the artifact id of a content request', () => {
    expect(artifactIdOf({ method: 'GET', path: '/api/artifacts/art_1/content' })).toBe('art_1')
    expect(artifactIdOf({ method: 'GET', path: '/api/artifacts/art%5F1/content' })).toBe('art_1')
    expect(artifactIdOf({ method: 'GET', path: '/api/runs/run_1' })).toBeUndefined()
  })

  it('has an untrusted-sender answer shaped like an API error', () => {
    expect(UNTRUSTED_SENDER).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } })
  })
})
