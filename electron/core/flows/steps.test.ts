import { describe, expect, it } from 'vitest'
import { DEFAULT_MFA_TIMEOUT_MS, FlowStepSchema, type FlowProblem, type FlowStep } from '../../../shared/flow'
import { parseFlow } from './parse'

/** Parse steps (given from line 3 on) and return them; fails the test on any problem. */
function steps(...lines: string[]): FlowStep[] {
  const result = parseFlow(['name: t', 'params: { p: { default: x } }', 'steps:', ...lines].join('\n'))
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2))
  for (const step of result.flow.steps) FlowStepSchema.parse(step)
  return result.flow.steps
}

function step(line: string): Omit<FlowStep, 'line'> {
  const { line: _line, ...rest } = steps(line)[0] as FlowStep
  return rest
}

/** Problems for steps given from line 3 on. */
function problems(...lines: string[]): FlowProblem[] {
  const result = parseFlow(['name: t', 'steps:', ...lines].join('\n'))
  if (result.ok) throw new Error('expected problems')
  return result.problems
}

const messages = (...lines: string[]): string[] => problems(...lines).map((p) => p.message)

describe('step forms', () => {
  it('goto: a URL or a map', () => {
    expect(step('  - goto: https://a.example.com/x?y=1')).toEqual({
      action: 'goto',
      url: 'https://a.example.com/x?y=1',
    })
    expect(step('  - goto: { url: "https://a.example.com", timeout: 10s }')).toEqual({
      action: 'goto',
      url: 'https://a.example.com',
      timeout: 10_000,
    })
  })

  it('click: a selector or a map; label and timeout beside the action', () => {
    expect(step('  - click: "#go"')).toEqual({ action: 'click', selector: '#go' })
    expect(step('  - click: { selector: "#go", timeout: 5s, label: Submit }')).toEqual({
      action: 'click',
      selector: '#go',
      timeout: 5000,
      label: 'Submit',
    })
    expect(steps('  - click: "#go"', '    name: Submit the form', '    timeout: 2500')[0]).toEqual({
      action: 'click',
      selector: '#go',
      label: 'Submit the form',
      timeout: 2500,
      line: 4,
    })
  })

  it('fill keeps the spelling of numbers and allows an empty value', () => {
    expect(step('  - fill: { selector: "#zip", value: 0123 }')).toEqual({
      action: 'fill',
      selector: '#zip',
      value: '0123',
    })
    expect(step('  - fill: { selector: "#q", value: "" }')).toEqual({ action: 'fill', selector: '#q', value: '' })
  })

  it('press: a key, optionally on a selector', () => {
    expect(step('  - press: Enter')).toEqual({ action: 'press', key: 'Enter' })
    expect(step('  - press: { selector: "#q", key: Control+A }')).toEqual({
      action: 'press',
      selector: '#q',
      key: 'Control+A',
    })
  })

  it('select and check', () => {
    expect(step('  - select: { selector: "#c", value: NL }')).toEqual({ action: 'select', selector: '#c', value: 'NL' })
    expect(step('  - check: "#agree"')).toEqual({ action: 'check', selector: '#agree', checked: true })
    expect(step('  - check: { selector: "#news", checked: false }')).toEqual({
      action: 'check',
      selector: '#news',
      checked: false,
    })
  })

  it('waitFor: a selector, or url / text / state', () => {
    expect(step('  - waitFor: "#done"')).toEqual({ action: 'waitFor', selector: '#done' })
    expect(step('  - waitFor: { url: "**/done", timeout: 1m }')).toEqual({
      action: 'waitFor',
      url: '**/done',
      timeout: 60_000,
    })
    expect(step('  - waitFor: { selector: "#spinner", state: hidden }')).toEqual({
      action: 'waitFor',
      selector: '#spinner',
      state: 'hidden',
    })
  })

  it('expect: text, selector or url', () => {
    expect(step('  - expect: Export complete')).toEqual({ action: 'expect', text: 'Export complete' })
    expect(step('  - expect: { selector: "#status", text: Done }')).toEqual({
      action: 'expect',
      selector: '#status',
      text: 'Done',
    })
    expect(step('  - expect: { url: "**/done" }')).toEqual({ action: 'expect', url: '**/done' })
  })

  it('screenshot: a name or a map; "name" is the file, "label" the label', () => {
    expect(step('  - screenshot: after-login')).toEqual({ action: 'screenshot', name: 'after-login', fullPage: false })
    expect(step('  - screenshot: { name: s, selector: "#chart", label: Chart }')).toEqual({
      action: 'screenshot',
      name: 's',
      selector: '#chart',
      fullPage: false,
      label: 'Chart',
    })
  })

  it('mfa: bare, empty, or with until and timeout (default 15m)', () => {
    const bare = { action: 'mfa', timeout: DEFAULT_MFA_TIMEOUT_MS }
    expect(step('  - mfa')).toEqual(bare)
    expect(step('  - mfa:')).toEqual(bare)
    expect(step('  - mfa: {}')).toEqual(bare)
    expect(step('  - mfa: { until: "**/home", timeout: 2m }')).toEqual({
      action: 'mfa',
      until: { url: '**/home' },
      timeout: 120_000,
    })
    expect(step('  - mfa: { until: { selector: "#avatar", text: Welcome } }')).toEqual({
      action: 'mfa',
      until: { selector: '#avatar', text: 'Welcome' },
      timeout: DEFAULT_MFA_TIMEOUT_MS,
    })
  })

  it('approval: a reason as text or map', () => {
    expect(step('  - approval: Pay the invoice')).toEqual({ action: 'approval', reason: 'Pay the invoice' })
    expect(step('  - approval: { reason: Pay }')).toEqual({ action: 'approval', reason: 'Pay' })
  })

  it('download and extract', () => {
    expect(step('  - download: { click: "text=CSV" }')).toEqual({ action: 'download', click: 'text=CSV' })
    expect(step('  - extract: { name: total, selector: "#total" }')).toEqual({
      action: 'extract',
      name: 'total',
      selector: '#total',
      all: false,
    })
    expect(step('  - extract: { name: links, selector: a, attribute: href, all: true }')).toEqual({
      action: 'extract',
      name: 'links',
      selector: 'a',
      attribute: 'href',
      all: true,
    })
  })

  it('wait: a duration, zero included', () => {
    expect(step('  - wait: 1m30s')).toEqual({ action: 'wait', ms: 90_000 })
    expect(step('  - wait: 250')).toEqual({ action: 'wait', ms: 250 })
    expect(step('  - wait: 0')).toEqual({ action: 'wait', ms: 0 })
    expect(step('  - wait: { duration: 2s, label: settle }')).toEqual({ action: 'wait', ms: 2000, label: 'settle' })
  })

  it("keeps each step's source line, block style included", () => {
    const lines = steps(
      '  - goto: https://a.example.com',
      '',
      '  # a comment',
      '  - fill:',
      '      selector: "#a"',
      '      value: b',
      '  - wait: 1s',
    )
    expect(lines.map((s) => s.line)).toEqual([4, 7, 10])
  })

  it('params may appear in any text field', () => {
    expect(step('  - click: "text=${params.p}"')).toEqual({ action: 'click', selector: 'text=${params.p}' })
    // A URL that starts with a parameter can only be checked when it is filled in.
    expect(step('  - goto: "${params.p}/login"')).toEqual({ action: 'goto', url: '${params.p}/login' })
  })
})

describe('step problems', () => {
  it('misspelt field, modifier and state get suggestions', () => {
    expect(messages('  - click: { selectr: "#a" }')).toEqual([
      'Unknown key "selectr" in "click" — did you mean "selector"?',
    ])
    expect(messages('  - click: "#a"', '    timout: 5s')).toEqual([
      'Unknown key "timout" in a "click" step — did you mean "timeout"?',
    ])
    expect(messages('  - waitFor: { selector: "#a", state: visble }')).toEqual([
      '"state" must be one of attached, detached, visible, hidden, not "visble" — did you mean "visible"?',
    ])
  })

  it('keys named like Object.prototype members are just unknown keys', () => {
    expect(messages('  - click: { selector: a, constructor: x }')[0]).toContain('Unknown key "constructor" in "click"')
    expect(messages('  - click: a', '    toString: x')[0]).toContain('Unknown key "toString" in a "click" step')
    expect(messages('  - constructor: x')[0]).toContain('Unknown action "constructor"')
  })

  it('action names are case-sensitive, with a hint', () => {
    expect(messages('  - waitfor: "#a"')).toEqual(['Unknown action "waitfor" — did you mean "waitFor"?'])
  })

  it('a step written without a colon', () => {
    expect(messages('  - goto https://a.example.com')).toEqual([
      'A step must look like "- action: value", e.g. "- click: \\"#submit\\"" — did you mean "goto: https://a.example.com"?',
    ])
  })

  it('empty steps, list steps and steps with only a label', () => {
    expect(problems('  -', '  - wait: 1s')[0]).toMatchObject({
      line: 3,
      message: expect.stringContaining('Empty step'),
    })
    expect(messages('  - [a, b]')).toEqual(['A step must look like "- action: value", not a list'])
    expect(messages('  - label: hi')[0]).toContain('A step needs an action: goto, click')
  })

  it('shapes an action does not take', () => {
    expect(messages('  - fill: "#a"')[0]).toContain('"fill" needs a map like')
    expect(messages('  - click: [a]')[0]).toContain('"click" takes a value or a map like')
  })

  it('waitFor and expect need something to wait for', () => {
    expect(messages('  - waitFor: {}')).toEqual(['"waitFor" needs "selector", "url" or "text"'])
    expect(messages('  - expect: { timeout: 5s }')).toEqual(['"expect" needs "text", "selector" or "url"'])
    expect(messages('  - waitFor: { url: "**/x", state: visible }')).toEqual([
      '"state" only applies together with a "selector"',
    ])
  })

  it('mfa until needs a condition and timeouts must be positive', () => {
    expect(messages('  - mfa: { until: {} }')).toEqual(['"until" needs a "url", "selector" or "text"'])
    expect(messages('  - mfa: { until: { path: "/x" } }')[0]).toContain('Unknown key "path" in "until"')
    expect(messages('  - mfa: { timeout: 0 }')).toEqual(['Bad timeout "0": must be more than zero'])
    expect(messages('  - mfa: { timeout: 30d }')[0]).toContain('Bad timeout "30d"')
    expect(messages('  - mfa: { timeout: 9999999999 }')).toEqual([
      'Bad timeout "9999999999": the longest allowed is 596h31m23s647ms',
    ])
  })

  it('file names may not leave the evidence folder', () => {
    expect(messages('  - screenshot: ../../etc/x')).toEqual([
      '"name" must be a file name without folders, not "../../etc/x"',
    ])
    expect(messages('  - download: { click: a, saveAs: "..\\\\x.csv" }')[0]).toContain(
      'must be a file name without folders',
    )
    expect(messages('  - screenshot: ".."')[0]).toContain('must be a file name without folders')
  })

  it('extract names one output', () => {
    expect(messages('  - extract: { name: "a b", selector: x }')[0]).toContain('"name" must be one word')
  })

  it('label and timeout given twice', () => {
    expect(messages('  - click: { selector: a, label: x }', '    name: y')).toEqual([
      'Give a step one "name" or "label", not both',
    ])
    expect(messages('  - click: { selector: a, timeout: 1s }', '    timeout: 2s')).toEqual([
      '"timeout" is given twice for this step',
    ])
  })

  it('empty values', () => {
    expect(messages('  - fill: { selector: "", value: x }')).toEqual(['"selector" must not be empty'])
    expect(messages('  - fill: { selector: , value: x }')).toEqual(['"fill" needs a "selector"'])
    expect(messages('  - click: "#a"', '    label:')).toEqual(['"label" needs a value'])
  })

  it('bad wait duration', () => {
    expect(messages('  - wait: soon')).toEqual(['Bad duration "soon": use a number of ms or a duration like 30s, 15m'])
    expect(messages('  - wait:')).toEqual(['"wait" needs a duration like 5s'])
  })

  it('a placeholder with no name, or never closed', () => {
    expect(messages('  - click: "${params}"')).toEqual(['Placeholder "${params}" needs a name, e.g. ${params.NAME}'])
    expect(messages('  - click: "a ${params.x"')).toEqual(['"${params.x" is missing its closing "}"'])
  })
})
