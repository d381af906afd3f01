import { describe, expect, it } from 'vitest'
import { interpolate, parseFlow, referencedParams, referencedSecrets, resolveParams } from './parse'
import { scanPlaceholders } from './placeholders'

const secrets = (name: string): string => `<${name}>`

describe('interpolate', () => {
  it('fills params and secrets', () => {
    expect(interpolate('invoices-${params.month}.csv', { params: { month: '2026-10' } })).toBe('invoices-2026-10.csv')
    expect(interpolate('${secrets.user}:${params.a}', { params: { a: 'A' }, secrets })).toBe('<user>:A')
    expect(interpolate('${ params.a }', { params: { a: 'spaces ok' } })).toBe('spaces ok')
  })

  it('leaves text without placeholders alone, and $${ is a literal ${', () => {
    expect(interpolate('plain $ text {}', { params: {} })).toBe('plain $ text {}')
    expect(interpolate('cost: $${params.a}', { params: { a: 'x' } })).toBe('cost: ${params.a}')
  })

  it('never expands a substituted value again', () => {
    expect(interpolate('${params.a}', { params: { a: '${secrets.pw}' }, secrets })).toBe('${secrets.pw}')
  })

  it('throws on what it cannot fill', () => {
    expect(() => interpolate('${params.missing}', { params: {} })).toThrow('No value for parameter "missing"')
    expect(() => interpolate('${params.constructor}', { params: {} })).toThrow('No value for parameter')
    expect(() => interpolate('${secrets.pw}', { params: {} })).toThrow('Secret "pw" is not available')
    expect(() => interpolate('${env.HOME}', { params: {} })).toThrow('Unknown placeholder "${env.HOME}"')
    expect(() => interpolate('${params.a', { params: { a: 'x' } })).toThrow('missing its closing "}"')
  })
})

describe('scanPlaceholders', () => {
  it('splits text and references with their positions', () => {
    expect(scanPlaceholders('a${params.x}b${secrets.y}')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'ref', namespace: 'params', name: 'x', raw: '${params.x}', index: 1 },
      { kind: 'text', text: 'b' },
      { kind: 'ref', namespace: 'secrets', name: 'y', raw: '${secrets.y}', index: 13 },
    ])
  })
})

describe('referencedSecrets and referencedParams', () => {
  const source = [
    'name: x',
    'params: { month: {}, who: {} }',
    'steps:',
    '  - fill: { selector: "#u", value: "${secrets.user}" }',
    '  - fill: { selector: "#p", value: "${secrets.pass}${secrets.user}" }',
    '  - mfa: { until: { url: "**/${params.who}" } }',
    '  - screenshot: "s-${params.month}"',
  ].join('\n')

  it('lists each name once, in order of first use, nested fields included', () => {
    const result = parseFlow(source)
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    expect(referencedSecrets(result.flow)).toEqual(['user', 'pass'])
    expect(referencedParams(result.flow)).toEqual(['who', 'month'])
  })

  it('is empty for a flow without placeholders', () => {
    expect(referencedSecrets({ steps: [{ action: 'wait', ms: 1, line: 1 }] })).toEqual([])
  })
})

describe('resolveParams', () => {
  const flow = {
    params: {
      month: { default: '2026-10' },
      account: {},
      note: { required: false },
      region: { required: true, default: 'eu' },
    },
  }

  it('given values win over defaults; optional params without a default are empty', () => {
    expect(resolveParams(flow, { account: 'acme', month: '2026-11' })).toEqual({
      ok: true,
      params: { month: '2026-11', account: 'acme', note: '', region: 'eu' },
    })
  })

  it('reports missing and unknown parameters together', () => {
    expect(resolveParams(flow, { mnth: 'x' })).toEqual({
      ok: false,
      errors: [
        'Unknown parameter "mnth"; this flow takes: month, account, note, region',
        'Parameter "account" needs a value',
      ],
    })
  })

  it('a flow without params takes none', () => {
    expect(resolveParams({}, {})).toEqual({ ok: true, params: {} })
    expect(resolveParams({}, { a: '1' })).toMatchObject({
      ok: false,
      errors: ['Unknown parameter "a"; this flow takes no parameters'],
    })
  })
})
