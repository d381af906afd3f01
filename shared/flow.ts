// Flow files: the normalised shape the YAML parser produces and the engine runs.
// Pure TypeScript (zod only) so the API, the renderer and the core share one definition.
// The YAML form (one key per step, shorthands) lives only in electron/core/flows/.
import { z } from 'zod'

export const FLOW_ACTIONS = [
  'goto',
  'click',
  'fill',
  'press',
  'select',
  'check',
  'waitFor',
  'expect',
  'screenshot',
  'mfa',
  'approval',
  'download',
  'extract',
  'wait',
] as const
export type FlowAction = (typeof FLOW_ACTIONS)[number]

export const FLOW_KEYS = [
  'name',
  'description',
  'profile',
  'viewport',
  'params',
  'allowedOrigins',
  'detectMfa',
  'onFailure',
  'timeout',
  'stepTimeout',
  'trace',
  'steps',
] as const

export const WAIT_STATES = ['attached', 'detached', 'visible', 'hidden'] as const
export type WaitState = (typeof WAIT_STATES)[number]

export const DEFAULT_MFA_TIMEOUT_MS = 15 * 60_000
/** Node's timers overflow above 2^31-1 ms and then fire at once, so no duration may exceed it. */
export const MAX_DURATION_MS = 2_147_483_647

// ── durations ────────────────────────────────────────────────────────────────

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const
const UNIT_ORDER = ['h', 'm', 's', 'ms'] as const
// `ms` before `m`/`s` so "500ms" is not read as "500m" followed by junk.
const PART = /(\d+(?:\.\d+)?)\s*(ms|h|m|s)\s*/y

/**
 * Milliseconds for a duration: a number (ms), or a string such as "500", "500ms", "30s",
 * "15m", "1h", "1m30s", "1h 30m", "1.5s". Units are lower-case, largest first, each once.
 * Returns null when malformed, negative, or longer than `max` (default MAX_DURATION_MS).
 */
export function parseDuration(input: string | number, opts: { max?: number } = {}): number | null {
  const max = opts.max ?? MAX_DURATION_MS
  const total = typeof input === 'number' ? input : measure(input)
  if (total === null || !Number.isFinite(total) || total < 0) return null
  const ms = Math.round(total)
  return ms > max ? null : ms
}

function measure(text: string): number | null {
  const s = text.trim()
  if (s === '') return null
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s)
  PART.lastIndex = 0
  let total = 0
  let lastRank = -1
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s)
    if (!m) return null
    const unit = m[2] as keyof typeof UNIT_MS
    const rank = UNIT_ORDER.indexOf(unit)
    if (rank <= lastRank) return null
    lastRank = rank
    total += Number(m[1]) * UNIT_MS[unit]
  }
  return total
}

/** "1m30s" style text for messages and UI. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  let rest = ms
  let out = ''
  for (const unit of UNIT_ORDER) {
    const n = Math.floor(rest / UNIT_MS[unit])
    if (n > 0) out += `${n}${unit}`
    rest -= n * UNIT_MS[unit]
  }
  return out
}

// ── problems ─────────────────────────────────────────────────────────────────

/** One thing wrong with a flow file; line and column are 1-based. */
export const FlowProblemSchema = z.object({
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  message: z.string(),
  /** Where in the document, e.g. `steps[2].fill.selector`. */
  path: z.string().optional(),
})
export type FlowProblem = z.infer<typeof FlowProblemSchema>

// ── steps ────────────────────────────────────────────────────────────────────

const text = z.string()
const someText = z.string().min(1)
const timeoutMs = z.number().int().positive().max(MAX_DURATION_MS)

/** Fields every step carries; `line` is the step's line in the source file. */
const StepBase = z.object({
  label: someText.optional(),
  timeout: timeoutMs.optional(),
  /** false: the prompt watcher leaves this step alone (a flow that checks a login page). */
  detect: z.boolean().optional(),
  line: z.number().int().positive(),
})

export const MfaUntilSchema = z.object({
  /** Glob over the page URL: `**` any characters, `*` any except `/`. */
  url: someText.optional(),
  selector: someText.optional(),
  text: someText.optional(),
})
export type MfaUntil = z.infer<typeof MfaUntilSchema>

export const GotoStepSchema = StepBase.extend({ action: z.literal('goto'), url: someText })
export const ClickStepSchema = StepBase.extend({ action: z.literal('click'), selector: someText })
export const FillStepSchema = StepBase.extend({
  action: z.literal('fill'),
  selector: someText,
  /** May hold `${secrets.NAME}`: the only field that may. */
  value: text,
})
export const PressStepSchema = StepBase.extend({
  action: z.literal('press'),
  selector: someText.optional(),
  key: someText,
})
export const SelectStepSchema = StepBase.extend({
  action: z.literal('select'),
  selector: someText,
  value: text,
})
export const CheckStepSchema = StepBase.extend({
  action: z.literal('check'),
  selector: someText,
  checked: z.boolean(),
})
export const WaitForStepSchema = StepBase.extend({
  action: z.literal('waitFor'),
  selector: someText.optional(),
  /** URL glob, as for `mfa.until.url`. */
  url: someText.optional(),
  text: someText.optional(),
  state: z.enum(WAIT_STATES).optional(),
})
export const ExpectStepSchema = StepBase.extend({
  action: z.literal('expect'),
  /** With `selector`: that element contains the text; alone: the page does. */
  text: someText.optional(),
  selector: someText.optional(),
  url: someText.optional(),
})
export const ScreenshotStepSchema = StepBase.extend({
  action: z.literal('screenshot'),
  name: someText,
  fullPage: z.boolean(),
  selector: someText.optional(),
})
export const MfaStepSchema = StepBase.extend({
  action: z.literal('mfa'),
  until: MfaUntilSchema.optional(),
  /** Always set for mfa: DEFAULT_MFA_TIMEOUT_MS unless the file says otherwise. */
  timeout: timeoutMs,
})
export const ApprovalStepSchema = StepBase.extend({
  action: z.literal('approval'),
  reason: someText,
  /**
   * The values this approval agrees to, by name (`${params.x}` filled at run time): a
   * standing approval is reused only while every one of them is the same.
   */
  terms: z.record(z.string(), text).optional(),
})
export const DownloadStepSchema = StepBase.extend({
  action: z.literal('download'),
  /** Selector of the element whose click starts the download. */
  click: someText,
  saveAs: someText.optional(),
})
export const ExtractStepSchema = StepBase.extend({
  action: z.literal('extract'),
  /** Key of the run output that receives the value. */
  name: someText,
  selector: someText,
  attribute: someText.optional(),
  all: z.boolean(),
})
export const WaitStepSchema = StepBase.extend({
  action: z.literal('wait'),
  ms: z.number().int().nonnegative().max(MAX_DURATION_MS),
})

export const FlowStepSchema = z.discriminatedUnion('action', [
  GotoStepSchema,
  ClickStepSchema,
  FillStepSchema,
  PressStepSchema,
  SelectStepSchema,
  CheckStepSchema,
  WaitForStepSchema,
  ExpectStepSchema,
  ScreenshotStepSchema,
  MfaStepSchema,
  ApprovalStepSchema,
  DownloadStepSchema,
  ExtractStepSchema,
  WaitStepSchema,
])
export type FlowStep = z.infer<typeof FlowStepSchema>
export type FlowStepOf<A extends FlowAction> = Extract<FlowStep, { action: A }>

// ── flow ─────────────────────────────────────────────────────────────────────

export const FlowParamSchema = z.object({
  default: text.optional(),
  description: text.optional(),
  required: z.boolean().optional(),
})
export type FlowParam = z.infer<typeof FlowParamSchema>

export const FlowDefinitionSchema = z.object({
  name: someText,
  description: text.optional(),
  /** Folder name under `profiles/` holding a persistent browser identity. */
  profile: someText.optional(),
  viewport: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
  params: z.record(z.string(), FlowParamSchema).optional(),
  /** Normalised origins, e.g. `https://portal.example.com` (no trailing slash). */
  allowedOrigins: z.array(someText).optional(),
  /** Look for MFA/login prompts after each step without an explicit `mfa` step. */
  detectMfa: z.boolean(),
  /** A failing step waits for a person (assist) or ends the run (fail); absent: the run's setting. */
  onFailure: z.enum(['assist', 'fail']).optional(),
  /** Whole-run deadline, ms. */
  timeout: timeoutMs.optional(),
  /** Default per-step deadline, ms; a step's own `timeout` wins. */
  stepTimeout: timeoutMs.optional(),
  trace: z.boolean().optional(),
  steps: z.array(FlowStepSchema).min(1),
})
export type FlowDefinition = z.infer<typeof FlowDefinitionSchema>

export type ParseFlowResult = { ok: true; flow: FlowDefinition; hash: string } | { ok: false; problems: FlowProblem[] }
