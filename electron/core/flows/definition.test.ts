import { describe, expect, it } from 'vitest'
import type { FlowDefinition } from '../../../shared/flow'
import { parseFlow } from './parse'

const src = (...lines: string[]): string => lines.join('\n') + '\n'
const STEPS = ['steps:', '  - wait: 1s']

function flow(...lines: string[]): FlowDefinition {
  const result = parseFlow(src(...lines))
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2))
  return result.flow
}

function messages(...lines: string[]): string[] {
  const result = parseFlow(src(...lines))
  if (result.ok) throw new Error('expected problems')
  return result.problems.map((p) => p.message)
}

describe('top-level fields', () => {
  it('reads every switch and duration', () => {
    expect(
      flow(
        'name: All options',
        'description: Everything set',
        'detectMfa: false',
        'trace: true',
        'timeout: 1h',
        'stepTimeout: 30s',
        ...STEPS,
      ),
    ).toEqual({
      name: 'All options',
      description: 'Everything set',
      detectMfa: false,
      trace: true,
      timeout: 3_600_000,
      stepTimeout: 30_000,
      steps: [{ action: 'wait', ms: 1000, line: 8 }],
    })
  })

  it('detectMfa defaults to true', () => {
    expect(flow('name: x', ...STEPS).detectMfa).toBe(true)
  })

  it('params: full form, default shorthand, bare declaration', () => {
    const f = flow(
      'name: x',
      'params:',
      '  month: { default: "2026-10", description: Billing month, required: true }',
      '  year: 2026',
      '  note:',
      'steps:',
      '  - fill: { selector: "#m", value: "${params.month}/${params.year}${params.note}" }',
    )
    expect(f.params).toEqual({
      month: { default: '2026-10', description: 'Billing month', required: true },
      year: { default: '2026' },
      note: {},
    })
  })

  it('a parameter name a placeholder could not reach is refused', () => {
    expect(messages('name: x', 'params: { "start date": {} }', ...STEPS)).toEqual([
      'Parameter name "start date" must start with a letter and use only letters, digits, _ and -',
    ])
    expect(messages('name: x', 'params: { m: { defualt: x } }', ...STEPS)).toEqual([
      'Unknown key "defualt" in parameter "m" — did you mean "default"?',
    ])
  })

  it('a "__proto__" parameter cannot reshape the params object', () => {
    expect(messages('name: x', 'params: { __proto__: { default: x } }', ...STEPS)[0]).toContain(
      'must start with a letter',
    )
  })

  it('allowedOrigins are normalised; a single origin needs no list', () => {
    expect(
      flow('name: x', 'allowedOrigins: ["https://A.example.com/", "http://b.example.com:8080"]', ...STEPS)
        .allowedOrigins,
    ).toEqual(['https://a.example.com', 'http://b.example.com:8080'])
    expect(flow('name: x', 'allowedOrigins: https://a.example.com', ...STEPS).allowedOrigins).toEqual([
      'https://a.example.com',
    ])
  })

  it('allowedOrigins refuses what is not an origin', () => {
    expect(messages('name: x', 'allowedOrigins: []', ...STEPS)[0]).toContain('"allowedOrigins" is empty')
    expect(messages('name: x', 'allowedOrigins: ["https://*.example.com"]', ...STEPS)[0]).toContain(
      'wildcards are not supported',
    )
    expect(messages('name: x', 'allowedOrigins: ["ftp://a.example.com"]', ...STEPS)[0]).toContain(
      'only http:// and https://',
    )
    expect(messages('name: x', 'allowedOrigins: ["https://a.example.com?x"]', ...STEPS)[0]).toContain(
      'drop everything after the host',
    )
  })

  it('goto is checked against allowedOrigins unless a parameter sits in the host', () => {
    const head = ['name: x', 'params: { tenant: {}, path: {} }', 'allowedOrigins: ["https://a.example.com"]', 'steps:']
    expect(flow(...head, '  - goto: "https://${params.tenant}.example.com/"').steps).toHaveLength(1)
    expect(flow(...head, '  - goto: "https://a.example.com/${params.path}"').steps).toHaveLength(1)
    expect(messages(...head, '  - goto: "https://b.example.com/${params.path}"')[0]).toContain(
      'is outside allowedOrigins',
    )
  })

  it('profile must be a plain folder name', () => {
    expect(flow('name: x', 'profile: acme-2.prod', ...STEPS).profile).toBe('acme-2.prod')
    expect(messages('name: x', 'profile: ../../home', ...STEPS)[0]).toContain('"profile" must be a plain name')
  })

  it('viewport needs both sides within sensible bounds', () => {
    expect(messages('name: x', 'viewport: { width: 1280 }', ...STEPS)).toEqual(['"viewport" needs a "height"'])
    expect(messages('name: x', 'viewport: { width: 10, height: 800 }', ...STEPS)).toEqual([
      '"width" must be between 100 and 10000',
    ])
    expect(messages('name: x', 'viewport: 1280x800', ...STEPS)[0]).toContain(
      '"viewport" must be a map like { width: 1280, height: 800 }',
    )
  })

  it('an action at the top level is pointed back to steps', () => {
    expect(messages('name: x', 'goto: https://a.example.com', ...STEPS)).toEqual([
      '"goto" is an action; put it in a step under "steps:"',
    ])
  })

  it('steps must be a list', () => {
    expect(messages('name: x', 'steps:', '  goto: https://a.example.com')).toEqual([
      '"steps" must be a list of steps, each starting with "- "',
    ])
  })

  it('name must be text', () => {
    expect(messages('name: [a]', ...STEPS)).toEqual(['"name" must be text, not a list'])
    expect(messages('name:', ...STEPS)).toEqual(['A flow needs a "name"'])
  })

  it('bad stepTimeout', () => {
    expect(messages('name: x', 'stepTimeout: 10 sec', ...STEPS)).toEqual([
      'Bad stepTimeout "10 sec": use a number of ms or a duration like 30s, 15m',
    ])
  })
})

describe('YAML details', () => {
  it('tabs inside block text and { } are content, not indentation', () => {
    const f = flow(
      'name: x',
      'steps:',
      '  - fill:',
      '      selector: "#a"',
      '      value: |',
      '        line one',
      '        \tindented',
      '  - expect: {\ttext: ok }',
    )
    expect(f.steps[0]).toMatchObject({ value: 'line one\n\tindented\n' })
  })

  it('tabs after a colon are fine', () => {
    expect(flow('name:\tx', ...STEPS).name).toBe('x')
  })

  it('Windows line endings and a byte-order mark', () => {
    const result = parseFlow('\uFEFFname: x\r\nsteps:\r\n  - wait: 1s\r\n  - clik: a\r\n')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems[0]).toMatchObject({ line: 4, column: 5 })
  })

  it('odd input that once crashed the syntax pass is reported, not thrown', () => {
    expect(() => parseFlow('name: x\nsteps:\n  - fill: { selector: "#a", value:! "x" }\n')).not.toThrow()
    expect(parseFlow('name: x\nsteps:\n  - fill: { selector: "#a", value:! "x" }\n').ok).toBe(false)
  })

  it('unknown tags are reported', () => {
    expect(messages('name: !secret x', ...STEPS)).toEqual(['Unknown tag "!secret"; flow files do not use tags'])
  })

  it('a double-quoted backslash gets a plain message', () => {
    expect(messages('name: x', 'steps:', '  - click: "#a\\:b"')[0]).toContain('Invalid escape')
  })

  it('a list item indented out of line', () => {
    expect(messages('name: x', 'steps:', '  - wait: 1s', '   - wait: 2s')[0]).toContain('Wrong indentation')
  })
})
