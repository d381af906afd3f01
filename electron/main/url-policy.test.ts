import { describe, expect, it } from 'vitest'
import {
  appOrigins,
  devRendererUrl,
  isAppUrl,
  isSafeExternalUrl,
  originOf,
  routeAppUrl,
  takeoverRunIdOf,
} from './url-policy'

describe('originOf / isAppUrl', () => {
  it('gives scheme://host even for schemes Node does not know', () => {
    expect(originOf('opdesk://app/index.html#/x')).toBe('opdesk://app')
    expect(originOf('http://localhost:5173/a')).toBe('http://localhost:5173')
    expect(originOf('about:blank')).toBeNull()
    expect(originOf('::')).toBeNull()
  })

  it('matches whole origins only', () => {
    const o = appOrigins(undefined)
    expect(isAppUrl('opdesk://app/#/tracks', o)).toBe(true)
    expect(isAppUrl('opdesk://app.example/', o)).toBe(false)
    expect(isAppUrl('https://example.com/', o)).toBe(false)
    expect(appOrigins('http://localhost:5173/')).toEqual(['opdesk://app', 'http://localhost:5173'])
  })
})

describe('isSafeExternalUrl', () => {
  it.each(['https://example.com/docs', 'http://intranet.local:8080/x?y=1'])('opens %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true)
  })
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'opdesk://app/',
    'vscode://file/x',
    'https://user:pass@example.com/',
    'https://example.com/' + 'a'.repeat(3000),
    'not a url',
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false)
  })
})

describe('devRendererUrl', () => {
  it('uses a loopback dev server only when unpackaged', () => {
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173/')
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeUndefined()
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeUndefined()
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/x' }, false)).toBeUndefined()
    expect(devRendererUrl({}, false)).toBeUndefined()
  })
})

describe('routeAppUrl', () => {
  it('routes artifacts by id and everything else to the build', () => {
    expect(routeAppUrl('opdesk://app/artifacts/art_01abc')).toEqual({ kind: 'artifact', id: 'art_01abc' })
    expect(routeAppUrl('opdesk://app/assets/index-x.js')).toEqual({ kind: 'static', path: '/assets/index-x.js' })
    expect(routeAppUrl('opdesk://app/')).toEqual({ kind: 'static', path: '/' })
  })

  it('refuses artifact ids that are paths, other hosts and the API', () => {
    for (const url of [
      'opdesk://app/artifacts/..%2F..%2Fopdesk.db',
      'opdesk://app/artifacts/a/b',
      'opdesk://app/artifacts/',
      'opdesk://app/artifacts/%E0%A4%A',
      'opdesk://other/index.html',
      'https://app/index.html',
      'opdesk://app/api/tracks',
    ]) {
      expect(routeAppUrl(url).kind, url).toBe('refused')
    }
  })
})

describe('takeoverRunIdOf', () => {
  const o = appOrigins(undefined)
  it('recognises our takeover route', () => {
    expect(takeoverRunIdOf('opdesk://app/#/takeover/run_01abc', o)).toBe('run_01abc')
    expect(takeoverRunIdOf('opdesk://app/#/takeover/run%5F1', o)).toBe('run_1')
  })
  it('ignores other routes, origins and odd ids', () => {
    expect(takeoverRunIdOf('opdesk://app/#/runs/run_1', o)).toBeNull()
    expect(takeoverRunIdOf('https://evil.example/#/takeover/run_1', o)).toBeNull()
    expect(takeoverRunIdOf('opdesk://app/#/takeover/run_1/x', o)).toBeNull()
    expect(takeoverRunIdOf('opdesk://app/#/takeover/%2e%2e%2f', o)).toBeNull()
  })
})
