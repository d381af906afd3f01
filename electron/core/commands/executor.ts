// Local command runs: a child process in its own process group, output streamed as
// ordered stdout/stderr events in batches, a timeout, and cancel that kills the whole tree.
import { spawn, type ChildProcess } from 'node:child_process'
import { StringDecoder } from 'node:string_decoder'
import type { Run } from '../../../shared/domain'
import type { ExecResult, RunControl, RunExecutor } from '../runs/control'
import type { NewEvent } from '../store/events'
import { shellArgv } from './argv'

export interface CommandOptions {
  timeoutMs: number
  /** Total output kept in the log; the rest is counted and dropped with a marker. */
  maxOutputBytes: number
  flushMs: number
  killGraceMs: number
}

export const DEFAULT_COMMAND_OPTIONS: CommandOptions = {
  timeoutMs: 10 * 60_000,
  maxOutputBytes: 5 * 1024 * 1024,
  flushMs: 100,
  killGraceMs: 3_000,
}

/** Only what a well-behaved tool needs; the operator's own environment (tokens, keys) stays out. */
export function minimalEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot', 'ComSpec', 'PATHEXT', 'USERPROFILE']
  const env: NodeJS.ProcessEnv = {}
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k]
  env.OPDESK = '1'
  return env
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' })
    // A negative pid signals the whole process group the child leads (spawned detached).
    else process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

export function commandExecutor(run: Run, cwd: string, opts: CommandOptions = DEFAULT_COMMAND_OPTIONS): RunExecutor {
  return {
    execute: (ctl) => runCommand(ctl, run.command ?? '', cwd, opts),
  }
}

async function runCommand(ctl: RunControl, line: string, cwd: string, opts: CommandOptions): Promise<ExecResult> {
  const { file, args, shell } = shellArgv(line)
  ctl.setProgress(0, 1, line.length > 80 ? `${line.slice(0, 77)}…` : line)
  ctl.emit('log', { level: 'info', message: !shell ? 'Started without a shell' : 'Started under bash -c (the command uses shell syntax)', cwd })

  const child = spawn(file, args, {
    cwd,
    env: minimalEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  })

  // Recorded so start-up recovery can end a tree whose parent process was killed.
  if (child.pid !== undefined) ctl.emit('process.started', { pid: child.pid, shell })

  let pending: NewEvent[] = []
  let kept = 0
  let dropped = 0
  let truncatedMarked = false
  const flush = () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    ctl.emitMany(batch)
  }
  const timer = setInterval(flush, opts.flushMs)
  const onData = (stream: 'stdout' | 'stderr', decoder: StringDecoder) => (chunk: Buffer) => {
    // StringDecoder holds back a partial multi-byte character until its next byte arrives.
    const text = decoder.write(chunk)
    if (!text) return
    const bytes = Buffer.byteLength(text)
    if (kept + bytes > opts.maxOutputBytes) {
      dropped += bytes
      if (!truncatedMarked) {
        truncatedMarked = true
        pending.push({ type: 'log', data: { level: 'warn', message: `Output truncated: more than ${opts.maxOutputBytes} bytes` } })
      }
      return
    }
    kept += bytes
    pending.push({ type: stream, data: { text } })
    if (pending.length >= 500) flush()
  }
  const outDecoder = new StringDecoder('utf8')
  const errDecoder = new StringDecoder('utf8')
  child.stdout!.on('data', onData('stdout', outDecoder))
  child.stderr!.on('data', onData('stderr', errDecoder))

  let reason: 'timeout' | 'canceled' | null = null
  let graceTimer: NodeJS.Timeout | null = null
  const stop = (why: 'timeout' | 'canceled') => {
    if (reason) return
    reason = why
    killTree(child, 'SIGTERM')
    graceTimer = setTimeout(() => killTree(child, 'SIGKILL'), opts.killGraceMs)
  }
  const onAbort = () => stop('canceled')
  ctl.signal.addEventListener('abort', onAbort, { once: true })
  const timeout = setTimeout(() => stop('timeout'), opts.timeoutMs)

  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }))
    child.once('close', (code, signal) => resolve({ code, signal }))
  })
  clearTimeout(timeout)
  ctl.signal.removeEventListener('abort', onAbort)
  // The leader exited; make sure nothing it started outlives the run.
  if (reason) killTree(child, 'SIGKILL')
  if (graceTimer) clearTimeout(graceTimer)
  for (const [stream, d] of [['stdout', outDecoder], ['stderr', errDecoder]] as const) {
    const rest = d.end()
    if (rest) pending.push({ type: stream, data: { text: rest } })
  }
  clearInterval(timer)
  if (dropped) pending.push({ type: 'log', data: { level: 'warn', message: `${dropped} bytes of output were not kept` } })
  pending.push({ type: 'log', data: { level: 'info', message: 'Process ended', exitCode: result.code, signal: result.signal } })
  flush()
  ctl.setProgress(1, 1, null)

  if (result.error) return { status: 'failed', error: `Could not start ${file}: ${result.error.message}`, exitCode: null }
  if (reason === 'canceled') return { status: 'failed', error: 'Canceled', exitCode: result.code }
  if (reason === 'timeout') return { status: 'failed', error: `Timed out after ${Math.round(opts.timeoutMs / 1000)} s; the process tree was killed`, exitCode: result.code }
  if (result.code === 0) return { status: 'succeeded', exitCode: 0 }
  return {
    status: 'failed',
    error: result.code !== null ? `Exited with code ${result.code}` : `Killed by ${result.signal}`,
    exitCode: result.code,
  }
}
