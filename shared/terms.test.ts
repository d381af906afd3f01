// The terms comparison behind standing approvals: same, changed, reordered, missing.
import { describe, expect, it } from 'vitest'
import { compareTerms, parseRemember, termsText, type ApprovalTerms } from './terms'

const base: ApprovalTerms = {
  flowHash: 'sha256:aaa',
  command: null,
  cwd: null,
  origins: ['https://bank.example', 'https://portal.example'],
  params: { amount: '100', payee: 'ACME', month: '2026-11' },
  values: { amount: '100 EUR', payee: 'ACME' },
  point: 'approval step at line 9',
}
const clone = (t: ApprovalTerms): ApprovalTerms => JSON.parse(JSON.stringify(t)) as ApprovalTerms

describe('compareTerms', () => {
  it('same: identical terms compare the same and match by text', () => {
    expect(compareTerms(base, clone(base))).toEqual({ same: true, changes: [] })
    expect(termsText(base)).toBe(termsText(clone(base)))
  })

  it('reordered: params, step terms and origins in another order are still the same', () => {
    const reordered: ApprovalTerms = {
      ...base,
      origins: ['https://portal.example', 'https://bank.example'],
      params: { month: '2026-11', payee: 'ACME', amount: '100' },
      values: { payee: 'ACME', amount: '100 EUR' },
    }
    expect(compareTerms(base, reordered)).toEqual({ same: true, changes: [] })
    expect(termsText(reordered)).toBe(termsText(base))
  })

  it('changed: a different value is reported per key with before and after', () => {
    const now = { ...clone(base), params: { ...base.params, amount: '250' }, values: { ...base.values, amount: '250 EUR' } }
    const cmp = compareTerms(base, now)
    expect(cmp.same).toBe(false)
    expect(cmp.changes).toEqual([
      { key: 'params.amount', change: 'changed', before: '100', after: '250' },
      { key: 'terms.amount', change: 'changed', before: '100 EUR', after: '250 EUR' },
    ])
    expect(termsText(now)).not.toBe(termsText(base))
    expect(compareTerms(base, { ...clone(base), flowHash: 'sha256:bbb' }).changes).toEqual([
      { key: 'flowHash', change: 'changed', before: 'sha256:aaa', after: 'sha256:bbb' },
    ])
  })

  it('missing: a term on one side only is removed or added, origins one by one', () => {
    const now = clone(base)
    delete now.params.month
    now.values.iban = 'NL01BANK0123'
    now.origins = ['https://portal.example', 'https://evil.example']
    expect(compareTerms(base, now).changes).toEqual([
      { key: 'origin https://bank.example', change: 'removed', before: 'allowed', after: null },
      { key: 'origin https://evil.example', change: 'added', before: null, after: 'allowed' },
      { key: 'params.month', change: 'removed', before: '2026-11', after: null },
      { key: 'terms.iban', change: 'added', before: null, after: 'NL01BANK0123' },
    ])
    // Terms stored before a field existed compare as that field missing, never as a crash.
    expect(compareTerms({ flowHash: 'sha256:aaa' }, { flowHash: 'sha256:aaa', values: { amount: '1' } }).changes).toEqual([
      { key: 'terms.amount', change: 'added', before: null, after: '1' },
    ])
  })

  it('an empty value is a value: "" and a missing term differ', () => {
    const now = { ...clone(base), params: { ...base.params, note: '' } }
    expect(compareTerms(base, now).changes).toEqual([{ key: 'params.note', change: 'added', before: null, after: '' }])
  })
})

describe('parseRemember', () => {
  it('takes ISO-8601 weeks, days, hours and minutes up to P90D', () => {
    expect(parseRemember('P7D')).toEqual({ ok: true, ms: 7 * 86_400_000 })
    expect(parseRemember('P2W')).toEqual({ ok: true, ms: 14 * 86_400_000 })
    expect(parseRemember('PT12H')).toEqual({ ok: true, ms: 12 * 3_600_000 })
    expect(parseRemember('P1DT6H')).toEqual({ ok: true, ms: 30 * 3_600_000 })
    expect(parseRemember('P90D').ok).toBe(true)
  })
  it('refuses what is not a bounded duration', () => {
    for (const bad of ['P91D', 'P13W', 'P1Y', 'P1M', '7d', 'P', 'PT', 'P0D', '', 'P-1D', 'P7DT']) {
      expect(parseRemember(bad).ok, bad).toBe(false)
    }
  })
})
