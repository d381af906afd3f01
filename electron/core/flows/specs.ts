// What each action accepts in YAML. One table drives reading, "needs a …" messages and
// did-you-mean hints, so adding a field is one line here plus one in shared/flow.ts
// (whose zod schema checks the parser's output, so the two cannot drift unnoticed).
import { DEFAULT_MFA_TIMEOUT_MS, type FlowAction } from '../../../shared/flow'

export type FieldKind =
  | 'text' // any text; params allowed
  | 'url' // absolute http(s) URL, checked against allowedOrigins
  | 'glob' // URL glob
  | 'filename' // a file name, no folders
  | 'identifier' // names a run output
  | 'duration'
  | 'boolean'
  | 'state' // waitFor state
  | 'until' // mfa.until
  | 'terms' // approval.terms: a list of parameter names or `name: value` entries

export interface FieldSpec {
  kind: FieldKind
  required?: boolean
  allowEmpty?: boolean
  /** Only fields typed into the page may hold secrets; anything else ends up in events or files. */
  secrets?: boolean
  /** Key in the normalised step when it differs from the YAML key. */
  out?: string
  /** Words for "needs …" when `"x" needs a "field"` would read badly. */
  needs?: string
}

export interface ActionSpec {
  fields: Record<string, FieldSpec>
  /** A bare value (`- click: "#go"`) fills this field. */
  shorthand?: string
  /** At least one of these must be present. */
  anyOf?: string[]
  defaults?: Record<string, unknown>
  /** Shown when the value has the wrong shape. */
  example: string
}

const text: FieldSpec = { kind: 'text' }
const required: FieldSpec = { kind: 'text', required: true }

export const ACTION_SPECS: Record<FlowAction, ActionSpec> = {
  goto: {
    shorthand: 'url',
    fields: { url: { kind: 'url', required: true, needs: 'a URL' } },
    example: '"- goto: https://portal.example.com/login"',
  },
  click: { shorthand: 'selector', fields: { selector: required }, example: '"- click: \\"button[type=submit]\\""' },
  fill: {
    fields: { selector: required, value: { kind: 'text', required: true, allowEmpty: true, secrets: true } },
    example: '"- fill: { selector: \\"#email\\", value: \\"…\\" }"',
  },
  press: {
    shorthand: 'key',
    fields: { selector: text, key: required },
    example: '"- press: { selector: \\"#q\\", key: Enter }"',
  },
  select: {
    fields: { selector: required, value: { kind: 'text', required: true, allowEmpty: true } },
    example: '"- select: { selector: \\"#country\\", value: NL }"',
  },
  check: {
    shorthand: 'selector',
    fields: { selector: required, checked: { kind: 'boolean' } },
    defaults: { checked: true },
    example: '"- check: { selector: \\"#agree\\", checked: true }"',
  },
  waitFor: {
    shorthand: 'selector',
    fields: { selector: text, url: { kind: 'glob' }, text, state: { kind: 'state' } },
    anyOf: ['selector', 'url', 'text'],
    example: '"- waitFor: { selector: \\"#done\\", state: visible }"',
  },
  expect: {
    shorthand: 'text',
    fields: { text, selector: text, url: { kind: 'glob' } },
    anyOf: ['text', 'selector', 'url'],
    example: '"- expect: { text: \\"Export complete\\" }"',
  },
  screenshot: {
    shorthand: 'name',
    fields: { name: { kind: 'filename', required: true }, fullPage: { kind: 'boolean' }, selector: text },
    defaults: { fullPage: false },
    example: '"- screenshot: { name: invoices, fullPage: true }"',
  },
  mfa: {
    fields: { until: { kind: 'until' } },
    defaults: { timeout: DEFAULT_MFA_TIMEOUT_MS },
    example: '"- mfa: { until: { url: \\"**/dashboard\\" }, timeout: 15m }"',
  },
  approval: {
    shorthand: 'reason',
    fields: { reason: required, terms: { kind: 'terms' } },
    example: '"- approval: { reason: \\"Pay the invoice\\", terms: [amount, { payee: \\"${params.payee}\\" }] }"',
  },
  download: {
    fields: { click: { kind: 'text', required: true }, saveAs: { kind: 'filename' } },
    example: '"- download: { click: \\"text=Export CSV\\", saveAs: invoices.csv }"',
  },
  extract: {
    fields: {
      name: { kind: 'identifier', required: true },
      selector: required,
      attribute: text,
      all: { kind: 'boolean' },
    },
    defaults: { all: false },
    example: '"- extract: { name: total, selector: \\"#total\\" }"',
  },
  wait: {
    shorthand: 'duration',
    fields: { duration: { kind: 'duration', required: true, out: 'ms', needs: 'a duration like 5s' } },
    example: '"- wait: 5s"',
  },
}

/** Keys any step may carry, beside its action or inside its map. */
export const STEP_MODIFIERS = ['name', 'label', 'timeout', 'detect'] as const

export const UNTIL_FIELDS = ['url', 'selector', 'text'] as const
