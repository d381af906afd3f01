// Hash routes: host mode answers index.html for any path, but Electron loads a file, and a
// hash works the same in both without server help.
import { useSyncExternalStore } from 'react'
import { RUN_STATUSES, type RunStatus } from '@shared/domain'

/** The Runs view's filters, exactly as the address holds them (GET /api/runs's query names). */
export interface RunsFilter {
  status?: RunStatus
  trackId?: string
  flowId?: string
  q?: string
  from?: string
  to?: string
}
export const RUNS_FILTER_KEYS = ['status', 'trackId', 'flowId', 'q', 'from', 'to'] as const

export type Route =
  | { name: 'execution' }
  | { name: 'runs'; filter: RunsFilter }
  | { name: 'run'; id: string }
  | { name: 'approvals' }
  | { name: 'alerts' }
  | { name: 'flows'; id?: string }
  | { name: 'schedules' }
  | { name: 'profiles' }
  | { name: 'analytics' }
  | { name: 'settings' }
  | { name: 'takeover'; runId: string }
  /** The run's one trace in the viewer; `step` selects that flow step's group. */
  | { name: 'trace'; runId: string; step: number | null }

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?')
  const parts = path.split('/').filter(Boolean).map(safeDecode)
  const [head, arg, sub] = parts
  switch (head) {
    case 'runs': {
      if (arg && sub === 'trace') {
        const step = Number(new URLSearchParams(search).get('step'))
        return { name: 'trace', runId: arg, step: Number.isInteger(step) && step > 0 ? step : null }
      }
      if (arg) return { name: 'run', id: arg }
      return { name: 'runs', filter: parseRunsFilter(search) }
    }
    case 'takeover':
      return arg ? { name: 'takeover', runId: arg } : { name: 'runs', filter: {} }
    case 'flows':
      return arg ? { name: 'flows', id: arg } : { name: 'flows' }
    case 'approvals':
    case 'alerts':
    case 'schedules':
    case 'profiles':
    case 'analytics':
    case 'settings':
      return { name: head }
    default:
      return { name: 'execution' }
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** Only values the API accepts survive: a hand-edited address cannot make the list fail. */
export function parseRunsFilter(search: string): RunsFilter {
  const p = new URLSearchParams(search)
  const f: RunsFilter = {}
  const status = p.get('status')
  if (status && (RUN_STATUSES as readonly string[]).includes(status)) f.status = status as RunStatus
  // `track` is what older links wrote.
  const trackId = p.get('trackId') ?? p.get('track')
  if (trackId) f.trackId = trackId
  const flowId = p.get('flowId')
  if (flowId) f.flowId = flowId
  const q = p.get('q')?.trim()
  if (q) f.q = q.slice(0, 200)
  for (const k of ['from', 'to'] as const) {
    const v = p.get(k)
    if (v && DAY.test(v)) f[k] = v
  }
  return f
}

export function runsHref(f: RunsFilter): string {
  const p = new URLSearchParams()
  for (const k of RUNS_FILTER_KEYS) {
    const v = f[k]
    if (v) p.set(k, v)
  }
  const qs = p.toString()
  return qs ? `#/runs?${qs}` : '#/runs'
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

export const href = {
  execution: '#/execution',
  runs: '#/runs',
  /** Exactly this track's runs: no other filter rides along. */
  trackRuns: (trackId: string) => runsHref({ trackId }),
  run: (id: string) => `#/runs/${encodeURIComponent(id)}`,
  trace: (runId: string, step?: number) =>
    `#/runs/${encodeURIComponent(runId)}/trace${step !== undefined ? `?step=${step}` : ''}`,
  takeover: (runId: string) => `#/takeover/${encodeURIComponent(runId)}`,
  approvals: '#/approvals',
  alerts: '#/alerts',
  flows: '#/flows',
  flow: (id: string) => `#/flows/${encodeURIComponent(id)}`,
  schedules: '#/schedules',
  profiles: '#/profiles',
  analytics: '#/analytics',
  settings: '#/settings',
}

const subscribeHash = (cb: () => void) => {
  window.addEventListener('hashchange', cb)
  return () => window.removeEventListener('hashchange', cb)
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash)
  return parseHash(hash)
}
