import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Run } from '../../../shared/domain'
import { TERMINAL_RUN_STATUSES } from '../../../shared/domain'
import { DomainError } from '../../core/errors'
import { startHost, type Host } from '../server'
import { defaultRendererDir } from './serve'
import { formatEvent, openCore, parseArgs, workspaceArg } from './shared'

/** DESIGN.md: 0 succeeded, 1 failed, 2 bad input, 3 canceled or blocked. */
export function exitCodeFor(status: Run['status']): number {
  if (status === 'succeeded') return 0
  if (status === 'canceled' || status === 'blocked') return 3
  return 1
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      param: { type: 'string', multiple: true },
      track: { type: 'string' },
      step: { type: 'string' },
      json: { type: 'boolean' },
      command: { type: 'string' },
    },
  })
  const file = positionals[0]
  if (!file && !values.command) {
    process.stderr.write('usage: opdesk run FLOW.yaml [--param k=v] [--track ID] [--json]\n')
    return 2
  }
  const params: Record<string, string> = {}
  for (const p of values.param ?? []) {
    const eq = p.indexOf('=')
    if (eq <= 0) {
      process.stderr.write(`opdesk run: --param takes name=value, not "${p}"\n`)
      return 2
    }
    params[p.slice(0, eq)] = p.slice(eq + 1)
  }
  let source: string | undefined
  if (file) {
    try {
      source = readFileSync(resolve(file), 'utf8')
    } catch (err) {
      process.stderr.write(`opdesk run: cannot read ${file}: ${(err as Error).message}\n`)
      return 2
    }
  }

  const out = (s: string) => (values.json ? process.stderr : process.stdout).write(s)
  const core = await openCore(workspaceArg(values), { requeue: false, quiet: true })
  let host: Host | null = null
  try {
    let run: Run
    try {
      run = await core.router.call('createRun', {
        body: source !== undefined ? { flow: source, params, trackId: values.track, stepId: values.step } : { command: values.command, trackId: values.track },
      })
    } catch (err) {
      if (err instanceof DomainError) {
        const problems = err.problems
        if (problems) for (const p of problems) process.stderr.write(`${file}:${p.line}:${p.column}: ${p.message}\n`)
        else process.stderr.write(`opdesk run: ${err.message}\n`)
        return err.code === 'bad_request' || err.code === 'not_found' ? 2 : 1
      }
      throw err
    }
    out(`Run ${run.id} (${run.flowName ?? run.command}) ${run.status}\n`)

    let printed = 0
    const printNew = () => {
      for (const e of core.runs.events.list(run.id, printed, 1000)) {
        printed = e.seq
        out(formatEvent(e) + '\n')
      }
    }
    const ensureHost = async () => {
      // The person needs a page to take over from: serve the UI on loopback for this run only.
      host ??= await startHost({ core, rendererDir: defaultRendererDir() })
      return host
    }
    const onSigint = () => {
      out('Canceling…\n')
      try {
        // Through the router, so the cancel is recorded as this person's.
        void core.router.call('cancelRun', { params: { id: run.id } }).catch(() => {})
      } catch {
        // Already finished.
      }
    }
    process.on('SIGINT', onSigint)
    // Woken by the core's bus (the same notifications the UI gets), not by polling: a change
    // that lands while the loop prints sets `dirty`, so none is missed between checks.
    let dirty = true
    let wake: (() => void) | null = null
    const unsubscribe = core.bus.subscribe((m) => {
      if ((m.type === 'run.changed' || m.type === 'run.event') && 'runId' in m.data && m.data.runId === run.id) {
        dirty = true
        wake?.()
      }
    })
    const nextChange = () =>
      dirty
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            wake = resolve
          })
    try {
      let announced = ''
      for (;;) {
        await nextChange()
        dirty = false
        wake = null
        printNew()
        const cur = core.runs.mustRun(run.id)
        if (cur.status === 'waiting-mfa' && announced !== cur.status) {
          const h = await ensureHost()
          out(`Waiting for a person. Take over at: ${h.origin}/?token=${h.token}#/takeover/${run.id}\n`)
        }
        if (cur.status === 'waiting-assist' && announced !== cur.status) {
          const h = await ensureHost()
          out(`A step failed and waits for you. Fix it and decide at: ${h.origin}/?token=${h.token}#/takeover/${run.id}\n`)
        }
        if (cur.status === 'waiting-approval' && announced !== cur.status) {
          const h = await ensureHost()
          out(`Waiting for approval. Approve at: ${h.origin}/?token=${h.token}#/approvals (or opdesk approve is done from the app)\n`)
        }
        announced = cur.status
        if (TERMINAL_RUN_STATUSES.includes(cur.status)) {
          printNew()
          if (values.json) process.stdout.write(JSON.stringify(cur, null, 2) + '\n')
          else out(`Run ${cur.id} ${cur.status}${cur.error ? `: ${cur.error}` : ''}\n`)
          return exitCodeFor(cur.status)
        }
      }
    } finally {
      unsubscribe()
      process.off('SIGINT', onSigint)
    }
  } finally {
    if (host) await (host as Host).close()
    await core.close()
  }
}
