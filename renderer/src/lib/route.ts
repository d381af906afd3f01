// Hash routes: host mode answers index.html for any path, but Electron loads a file, and a
// hash works the same in both without server help.
import { useSyncExternalStore } from 'react'

export type Route =
  | { name: 'execution' }
  | { name: 'runs'; trackId?: string }
  | { name: 'run'; id: string }
  | { name: 'approvals' }
  | { name: 'alerts' }
  | { name: 'flows' }
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
      const trackId = new URLSearchParams(search).get('track')
      return trackId ? { name: 'runs', trackId } : { name: 'runs' }
    }
    case 'takeover':
      return arg ? { name: 'takeover', runId: arg } : { name: 'runs' }
    case 'approvals':
    case 'alerts':
    case 'flows':
    case 'analytics':
    case 'settings':
      return { name: head }
    default:
      return { name: 'execution' }
  }
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
  trackRuns: (trackId: string) => `#/runs?track=${encodeURIComponent(trackId)}`,
  run: (id: string) => `#/runs/${encodeURIComponent(id)}`,
  trace: (runId: string, step?: number) =>
    `#/runs/${encodeURIComponent(runId)}/trace${step !== undefined ? `?step=${step}` : ''}`,
  takeover: (runId: string) => `#/takeover/${encodeURIComponent(runId)}`,
  approvals: '#/approvals',
  alerts: '#/alerts',
  flows: '#/flows',
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
