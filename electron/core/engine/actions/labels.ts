// Short, value-free descriptions of steps for progress, events and error messages:
// `click "text=Export CSV"`, `fill "#password"` (never what was typed).
import { formatDuration, type FlowStep } from '../../../../shared/flow'
import { interpolate } from '../../flows/parse'

/** The step with `${params.x}` filled in everywhere except a fill's value (which may hold secrets). */
export function withParams<S extends FlowStep>(step: S, params: Record<string, string>): S {
  const fill = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return step.action === 'fill' && key === 'value' ? v : interpolate(v, { params })
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fill(x, k)]))
    }
    return v
  }
  return fill(step, '') as S
}

const q = (s: string): string => JSON.stringify(s)

export function stepLabel(step: FlowStep): string {
  if (step.label) return step.label
  switch (step.action) {
    case 'goto':
      return `goto ${step.url}`
    case 'click':
      return `click ${q(step.selector)}`
    case 'fill':
      return `fill ${q(step.selector)}`
    case 'press':
      return step.selector ? `press ${step.key} in ${q(step.selector)}` : `press ${step.key}`
    case 'select':
      return `select ${q(step.value)} in ${q(step.selector)}`
    case 'check':
      return `${step.checked ? 'check' : 'uncheck'} ${q(step.selector)}`
    case 'waitFor':
    case 'expect': {
      const parts: string[] = []
      if (step.url) parts.push(`url ${step.url}`)
      if (step.selector) parts.push(q(step.selector))
      if (step.text) parts.push(`text ${q(step.text)}`)
      const state = step.action === 'waitFor' && step.state ? ` (${step.state})` : ''
      return `${step.action} ${parts.join(', ')}${state}`
    }
    case 'screenshot':
      return `screenshot ${step.name}`
    case 'mfa': {
      const u = step.until
      const parts = u
        ? [u.url && `url ${u.url}`, u.selector && q(u.selector), u.text && `text ${q(u.text)}`].filter(Boolean)
        : []
      return parts.length ? `mfa until ${parts.join(', ')}` : 'mfa'
    }
    case 'approval':
      return `approval ${q(step.reason)}`
    case 'download':
      return `download via ${q(step.click)}`
    case 'extract':
      return `extract ${step.name} from ${q(step.selector)}`
    case 'wait':
      return `wait ${formatDuration(step.ms)}`
  }
}
