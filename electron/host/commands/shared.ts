import { parseArgs } from 'node:util'
import { createCore, type Core } from '../../core/core'
import { consoleLogger, silentLogger } from '../../core/log'
import { defaultWorkspaceDir } from '../../core/paths'

export function workspaceArg(values: { workspace?: string }): string {
  return values.workspace ?? process.env.OPDESK_WORKSPACE ?? defaultWorkspaceDir(false)
}

export async function openCore(dir: string, opts: { passive?: boolean; quiet?: boolean; requeue?: boolean } = {}): Promise<Core> {
  return createCore({
    workspaceDir: dir,
    passive: opts.passive,
    requeue: opts.requeue,
    log: opts.quiet ? silentLogger : consoleLogger(),
  })
}

export { parseArgs }

export function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n - 1) + '…' : s + ' '.repeat(n - s.length)
}

export function formatEvent(e: { seq: number; ts: string; type: string; data: Record<string, unknown> }): string {
  const d = e.data
  let text: string
  switch (e.type) {
    case 'stdout':
    case 'stderr':
      text = String(d.text ?? '').replace(/\n$/, '')
      break
    case 'run.status':
      text = `${d.from ?? '∅'} → ${d.to}${d.reason ? ` (${d.reason})` : ''}`
      break
    case 'step.started':
      text = `step ${String(d.index)}: ${String(d.label ?? d.action)}`
      break
    case 'log':
      text = String(d.message ?? '')
      break
    default:
      text = JSON.stringify(d)
  }
  return `${String(e.seq).padStart(5)} ${e.ts.slice(11, 23)} ${pad(e.type, 18)} ${text}`
}
