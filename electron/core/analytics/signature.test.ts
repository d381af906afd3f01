import { describe, expect, it } from 'vitest'
import { errorSignature } from './analytics'

describe('errorSignature', () => {
  it('keeps the closing parenthesis after a URL', () => {
    expect(errorSignature('page.goto: net::ERR_CONNECTION_REFUSED (at http://127.0.0.1:4312/login)')).toBe(
      'page.goto: net::ERR_CONNECTION_REFUSED (at <url>)',
    )
    expect(errorSignature('Blocked navigation (https://evil.example/x?y=1) by policy')).toBe('Blocked navigation (<url>) by policy')
  })

  it('balances every bracket it was given', () => {
    for (const e of [
      'Timeout 30000ms exceeded (waiting for locator("#go") at https://a.example/b)',
      'Step 3 failed [see https://a.example/c]',
      'expect: text "Export complete" not found (https://a.example/d)',
    ]) {
      const s = errorSignature(e)
      expect(s.split('(').length, s).toBe(s.split(')').length)
      expect(s.split('[').length, s).toBe(s.split(']').length)
    }
  })

  it('still groups errors that differ only in particulars', () => {
    expect(errorSignature('Timeout 30000ms waiting for #a (at https://x.example/1)')).toBe(
      errorSignature('Timeout 5000ms waiting for #b (at https://y.example/2)'),
    )
  })
})
