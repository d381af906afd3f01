import { describe, expect, it } from 'vitest'
import { globToRegExp, urlMatches } from './glob'

describe('globToRegExp', () => {
  it('** crosses slashes, * does not', () => {
    expect(urlMatches('**/dashboard', 'https://portal.example.com/dashboard')).toBe(true)
    expect(urlMatches('**/dashboard', 'https://portal.example.com/app/dashboard')).toBe(true)
    expect(urlMatches('https://portal.example.com/*/dashboard', 'https://portal.example.com/app/dashboard')).toBe(true)
    expect(urlMatches('https://portal.example.com/*/dashboard', 'https://portal.example.com/a/b/dashboard')).toBe(false)
    expect(urlMatches('https://*.example.com/**', 'https://portal.example.com/x/y')).toBe(true)
  })

  it('matches the whole URL', () => {
    expect(urlMatches('**/dashboard', 'https://portal.example.com/dashboard/settings')).toBe(false)
    expect(urlMatches('/dashboard', 'https://portal.example.com/dashboard')).toBe(false)
  })

  it('a glob without ? or # also holds with a query or fragment appended', () => {
    expect(urlMatches('**/dashboard', 'https://portal.example.com/dashboard?welcome=1')).toBe(true)
    expect(urlMatches('**/dashboard', 'https://portal.example.com/dashboard#top')).toBe(true)
    expect(urlMatches('**/dashboard?tab=1', 'https://portal.example.com/dashboard?tab=1')).toBe(true)
    expect(urlMatches('**/dashboard?tab=1', 'https://portal.example.com/dashboard?tab=2')).toBe(false)
  })

  it('matches origin and path only when the glob names no query', () => {
    // A login page names where it returns to in its query: that is not being there.
    expect(urlMatches('**/admin/', 'http://127.0.0.1:8000/admin/login/?next=/admin/')).toBe(false)
    expect(urlMatches('**/admin/', 'http://127.0.0.1:8000/admin/')).toBe(true)
    expect(urlMatches('**/dashboard', 'https://a.example.com/login?next=/dashboard')).toBe(false)
    expect(urlMatches('**/dashboard', 'https://a.example.com/login#/dashboard')).toBe(false)
    expect(urlMatches('https://a.example.com/*', 'https://a.example.com/login?x=/y')).toBe(true)
    expect(urlMatches('**/login?next=**', 'https://a.example.com/login?next=/admin/')).toBe(true)
  })

  it('treats regex characters, ? included, literally', () => {
    expect(urlMatches('https://a.example.com/x?y=(1)', 'https://a.example.com/x?y=(1)')).toBe(true)
    expect(urlMatches('https://a.example.com/x?y=(1)', 'https://a.example.com/xzy=(1)')).toBe(false)
    expect(urlMatches('https://a.example.com/a.b', 'https://a.example.com/aXb')).toBe(false)
    expect(urlMatches('**/[id]+$', 'https://a.example.com/[id]+$')).toBe(true)
  })

  it('collapses runs of stars', () => {
    expect(globToRegExp('***/x').source).toBe(globToRegExp('**/x').source)
  })

  it('returns a plain RegExp', () => {
    const re = globToRegExp('**/done')
    expect(re).toBeInstanceOf(RegExp)
    expect(re.test('https://a.example.com/done')).toBe(true)
  })
})
