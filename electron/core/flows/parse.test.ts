import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { FlowDefinitionSchema, type FlowProblem } from '../../../shared/flow'
import { parseFlow } from './parse'

/** Source from lines, so every test states its line numbers plainly. */
const src = (...lines: string[]): string => lines.join('\n') + '\n'

function problemsOf(source: string, opts?: Parameters<typeof parseFlow>[1]): FlowProblem[] {
  const result = parseFlow(source, opts)
  if (result.ok) throw new Error(`expected problems, got a flow: ${JSON.stringify(result.flow)}`)
  return result.problems
}

/** The single problem of a file that has exactly one. */
function problemOf(source: string, opts?: Parameters<typeof parseFlow>[1]): FlowProblem {
  const problems = problemsOf(source, opts)
  expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1)
  return problems[0] as FlowProblem
}

const DESIGN_EXAMPLE = src(
  'name: Export invoices',
  'profile: acme            # optional persistent browser identity',
  'viewport: { width: 1280, height: 800 }',
  'params: { month: { default: "2026-10" } }',
  'allowedOrigins: ["https://portal.example.com"]',
  'steps:',
  '  - goto: https://portal.example.com/login',
  '  - fill: { selector: "#email", value: "${secrets.acme_user}" }',
  '  - fill: { selector: "#password", value: "${secrets.acme_pass}" }',
  '  - click: "button[type=submit]"',
  '  - mfa: { until: { url: "**/dashboard" }, timeout: 15m }   # explicit takeover point',
  '  - approval: { reason: "Download financial documents" }',
  '  - download: { click: "text=Export CSV", saveAs: "invoices-${params.month}.csv" }',
  '  - screenshot: { name: invoices, fullPage: true }',
  '  - expect: { text: "Export complete" }',
)

/** A valid header for tests about steps: steps start on line 3. */
const HEAD = ['name: Test flow', 'steps:']

describe('parseFlow: the DESIGN.md example', () => {
  it('parses to the normalised flow with source lines', () => {
    const result = parseFlow(DESIGN_EXAMPLE, { secretNames: ['acme_user', 'acme_pass'] })
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    expect(result.flow).toEqual({
      name: 'Export invoices',
      profile: 'acme',
      viewport: { width: 1280, height: 800 },
      params: { month: { default: '2026-10' } },
      allowedOrigins: ['https://portal.example.com'],
      detectMfa: true,
      steps: [
        { action: 'goto', url: 'https://portal.example.com/login', line: 7 },
        { action: 'fill', selector: '#email', value: '${secrets.acme_user}', line: 8 },
        { action: 'fill', selector: '#password', value: '${secrets.acme_pass}', line: 9 },
        { action: 'click', selector: 'button[type=submit]', line: 10 },
        { action: 'mfa', until: { url: '**/dashboard' }, timeout: 900_000, line: 11 },
        { action: 'approval', reason: 'Download financial documents', line: 12 },
        { action: 'download', click: 'text=Export CSV', saveAs: 'invoices-${params.month}.csv', line: 13 },
        { action: 'screenshot', name: 'invoices', fullPage: true, line: 14 },
        { action: 'expect', text: 'Export complete', line: 15 },
      ],
    })
    expect(FlowDefinitionSchema.parse(result.flow)).toEqual(result.flow)
  })

  it('hashes the exact source with sha256', () => {
    const result = parseFlow(DESIGN_EXAMPLE)
    expect(result.ok && result.hash).toBe(createHash('sha256').update(DESIGN_EXAMPLE).digest('hex'))
    const other = parseFlow(DESIGN_EXAMPLE + '# a comment changes the hash\n')
    expect(other.ok && other.hash).not.toBe(result.ok && result.hash)
  })

  it('does not check secret names when none are given', () => {
    expect(parseFlow(DESIGN_EXAMPLE).ok).toBe(true)
  })
})

describe('parseFlow: malformed flows report line, column and a plain message', () => {
  it('unknown action, with a suggestion', () => {
    const p = problemOf(src(...HEAD, '  - goto: https://a.example.com', '  - clik: "#go"'))
    expect(p).toMatchObject({ line: 4, column: 5, path: 'steps[1].clik' })
    expect(p.message).toBe('Unknown action "clik" — did you mean "click"?')
  })

  it('unknown action without a close match lists the actions', () => {
    const p = problemOf(src(...HEAD, '  - frobnicate: x'))
    expect(p).toMatchObject({ line: 3, column: 5 })
    expect(p.message).toContain('Unknown action "frobnicate"; actions are: goto, click')
  })

  it('missing selector', () => {
    const p = problemOf(src(...HEAD, '  - fill: { value: "me@example.com" }'))
    expect(p).toMatchObject({
      line: 3,
      column: 5,
      message: '"fill" needs a "selector"',
      path: 'steps[0].fill.selector',
    })
  })

  it('bad timeout', () => {
    const p = problemOf(src(...HEAD, '  - mfa: { timeout: 15 minutes }'))
    expect(p).toMatchObject({ line: 3, column: 21 })
    expect(p.message).toBe('Bad timeout "15 minutes": use a number of ms or a duration like 30s, 15m')
  })

  it('wrong type: a boolean given as text', () => {
    const p = problemOf(src(...HEAD, '  - screenshot: { name: shot, fullPage: "yes" }'))
    expect(p).toMatchObject({ line: 3, column: 41, message: '"fullPage" must be true or false, not "yes"' })
  })

  it('wrong type: a list where text belongs', () => {
    const p = problemOf(src(...HEAD, '  - click:', '      selector: [a, b]'))
    expect(p).toMatchObject({ line: 4, column: 17, message: '"selector" must be text, not a list' })
  })

  it('wrong type: viewport width', () => {
    const p = problemOf(src('name: x', 'viewport: { width: wide, height: 800 }', 'steps:', '  - wait: 1s'))
    expect(p).toMatchObject({ line: 2, column: 20, message: '"width" must be a whole number, not "wide"' })
  })

  it('tabs in indentation', () => {
    const p = problemOf(src(...HEAD, '\t- goto: https://a.example.com'))
    expect(p).toMatchObject({ line: 3, column: 1, message: 'Tabs are not allowed for indentation in YAML; use spaces' })
  })

  it('duplicate keys at the top', () => {
    const p = problemOf(src('name: One', 'name: Two', 'steps:', '  - wait: 1s'))
    expect(p).toMatchObject({ line: 2, column: 1, message: 'Duplicate key "name"' })
  })

  it('duplicate keys inside a step', () => {
    const p = problemOf(src(...HEAD, '  - fill:', '      selector: "#a"', '      value: x', '      selector: "#b"'))
    expect(p).toMatchObject({ line: 6, column: 7, message: 'Duplicate key "selector"' })
  })

  it('unknown ${params.x}, pointing at the placeholder', () => {
    const p = problemOf(
      src(
        'name: x',
        'params: { month: { default: "2026-10" } }',
        'steps:',
        '  - goto: https://a.example.com/${params.monht}',
      ),
    )
    expect(p).toMatchObject({ line: 4, column: 33 })
    expect(p.message).toContain('Unknown parameter "monht"')
    expect(p.message).toContain('did you mean "month"?')
  })

  it('unknown ${secrets.y} when the secret names are known', () => {
    const p = problemOf(src(...HEAD, '  - fill: { selector: "#pw", value: "${secrets.acme_pas}" }'), {
      secretNames: ['acme_user', 'acme_pass'],
    })
    expect(p).toMatchObject({ line: 3, column: 38 })
    expect(p.message).toContain('Unknown secret "acme_pas"')
    expect(p.message).toContain('did you mean "acme_pass"?')
  })

  it('a placeholder with an unknown namespace', () => {
    const p = problemOf(src(...HEAD, '  - fill: { selector: "#q", value: "hi ${foo}" }'))
    expect(p).toMatchObject({ line: 3, column: 40 })
    expect(p.message).toBe('Unknown placeholder "${foo}": use ${params.NAME} or ${secrets.NAME}')
  })

  it('secrets outside a fill value', () => {
    const p = problemOf(src(...HEAD, '  - goto: https://a.example.com/?token=${secrets.token}'))
    expect(p).toMatchObject({ line: 3, column: 40 })
    expect(p.message).toContain('Secrets can only be used in a "fill" value')
  })

  it('syntax error: an unclosed quote points at where it opens', () => {
    const p = problemOf(src(...HEAD, '  - click: "#go', '  - wait: 1s'))
    expect(p).toMatchObject({ line: 3, column: 12 })
    expect(p.message).toContain('Missing closing "')
  })

  it('syntax error: a colon inside an unquoted value', () => {
    const p = problemOf(src(...HEAD, '  - click: text=Export: CSV'))
    expect(p).toMatchObject({ line: 3, column: 12 })
    expect(p.message).toContain('put a value that contains ": " in quotes')
  })

  it('syntax error: an unclosed { … }', () => {
    const problems = problemsOf(src(...HEAD, '  - fill: { selector: "#a", value: b', '  - wait: 1s'))
    expect(problems[0]).toMatchObject({ line: 3, column: 11 })
    expect(problems[0]?.message).toContain('Missing closing "}"')
  })

  it('empty steps list', () => {
    const p = problemOf(src('name: x', 'steps: []'))
    expect(p).toMatchObject({ line: 2, column: 8 })
    expect(p.message).toContain('"steps" is empty')
  })

  it('steps with nothing after the key', () => {
    const p = problemOf(src('name: x', 'steps:'))
    expect(p).toMatchObject({ line: 2, column: 1 })
    expect(p.message).toContain('"steps" is empty')
  })

  it('two actions in one step', () => {
    const p = problemOf(src(...HEAD, '  - goto: https://a.example.com', '    click: "#go"'))
    expect(p).toMatchObject({ line: 4, column: 5 })
    expect(p.message).toBe('One action per step: found "goto" and "click" — start each with its own "- "')
  })

  it('unknown top-level key', () => {
    const p = problemOf(src('name: x', 'author: me', 'steps:', '  - wait: 1s'))
    expect(p).toMatchObject({ line: 2, column: 1, path: 'author' })
    expect(p.message).toContain('Unknown key "author" in the flow')
  })

  it('a misspelt top-level key is suggested, without also "needs steps"', () => {
    const p = problemOf(src('name: x', 'stpes:', '  - wait: 1s'))
    expect(p).toMatchObject({ line: 2, column: 1, message: 'Unknown key "stpes" in the flow — did you mean "steps"?' })
  })

  it('goto without a URL', () => {
    const p = problemOf(src(...HEAD, '  - goto:', '  - wait: 1s'))
    expect(p).toMatchObject({ line: 3, column: 5, message: '"goto" needs a URL' })
  })

  it('goto with something that is not a URL', () => {
    const p = problemOf(src(...HEAD, '  - goto: portal.example.com/login'))
    expect(p).toMatchObject({ line: 3, column: 11 })
    expect(p.message).toContain('Bad URL "portal.example.com/login"')
  })

  it('goto with a non-web scheme', () => {
    const p = problemOf(src(...HEAD, '  - goto: "javascript:alert(1)"'))
    expect(p.message).toContain('only http:// and https://')
  })

  it('bad allowedOrigins entry', () => {
    const p = problemOf(
      src(
        'name: x',
        'allowedOrigins:',
        '  - https://ok.example.com',
        '  - https://portal.example.com/login',
        'steps:',
        '  - wait: 1s',
      ),
    )
    expect(p).toMatchObject({ line: 4, column: 5, path: 'allowedOrigins[1]' })
    expect(p.message).toBe(
      '"https://portal.example.com/login" is not an origin: drop everything after the host, i.e. https://portal.example.com',
    )
  })

  it('allowedOrigins entry without a scheme', () => {
    const p = problemOf(src('name: x', 'allowedOrigins: [portal.example.com]', 'steps:', '  - wait: 1s'))
    expect(p).toMatchObject({ line: 2, column: 18 })
    expect(p.message).toContain('is not an origin')
  })

  it('goto outside allowedOrigins', () => {
    const p = problemOf(
      src('name: x', 'allowedOrigins: ["https://a.example.com"]', 'steps:', '  - goto: https://b.example.com/'),
    )
    expect(p).toMatchObject({ line: 4, column: 11 })
    expect(p.message).toBe('"https://b.example.com/" is outside allowedOrigins (https://a.example.com)')
  })

  it('fields indented level with the action instead of under it', () => {
    const problems = problemsOf(src(...HEAD, '  - fill:', '    selector: "#a"', '    value: b'))
    expect(problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [3, 5, '"fill" needs a "selector"'],
      [3, 5, '"fill" needs a "value"'],
      [4, 5, '"selector" belongs inside "fill": indent it under "fill"'],
      [5, 5, '"value" belongs inside "fill": indent it under "fill"'],
    ])
  })

  it('more than one YAML document', () => {
    const problems = problemsOf(src('name: x', 'steps:', '  - wait: 1s', '---', 'name: y'))
    expect(problems[0]).toMatchObject({ line: 4, column: 1 })
    expect(problems[0]?.message).toContain('one YAML document')
  })

  it('aliases are refused', () => {
    const p = problemOf(src('name: &n x', 'steps:', '  - fill: { selector: "#a", value: *n }'))
    expect(p).toMatchObject({ line: 3, column: 36 })
    expect(p.message).toContain('Aliases (*n) are not supported')
  })

  it('an empty file', () => {
    expect(problemOf('')).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('empty') })
    expect(problemOf('# only a comment\n').message).toContain('empty')
  })

  it('a file that is a list, not a map', () => {
    expect(problemOf('- goto: https://a.example.com\n').message).toContain('must be a map with "name:" and "steps:"')
  })

  it('a flow with no name', () => {
    expect(problemOf(src('steps:', '  - wait: 1s'))).toMatchObject({
      line: 1,
      column: 1,
      message: 'A flow needs a "name"',
    })
  })
})

describe('parseFlow: several problems at once', () => {
  it('reports all three problems of one file, in source order', () => {
    const problems = problemsOf(
      src(
        'name: Three problems',
        'timeout: soon',
        'steps:',
        '  - goto: https://a.example.com',
        '  - clik: "#go"',
        '  - fill: { value: x }',
      ),
    )
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [2, 10],
      [5, 5],
      [6, 5],
    ])
    expect(problems[0]?.message).toContain('Bad timeout "soon"')
    expect(problems[1]?.message).toContain('Unknown action "clik"')
    expect(problems[2]?.message).toBe('"fill" needs a "selector"')
  })

  it('keeps problems read before a syntax error and drops guesses after it', () => {
    const problems = problemsOf(src('name: x', 'trace: maybe', 'steps:', '  - click: "#go', '  - wait: 1s'))
    expect(problems.map((p) => p.line)).toEqual([2, 4])
    expect(problems[0]?.message).toBe('"trace" must be true or false, not "maybe"')
  })

  it('reports every tab, and only the tabs', () => {
    const problems = problemsOf(src('name: x', 'steps:', '  - fill:', '  \t  selector: a', '  \t  value: b'))
    expect(problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [4, 3, 'Tabs are not allowed for indentation in YAML; use spaces'],
      [5, 3, 'Tabs are not allowed for indentation in YAML; use spaces'],
    ])
  })
})
