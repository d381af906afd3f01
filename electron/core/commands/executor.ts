// Local command runs: a child process inside the OS sandbox, output streamed as ordered
// stdout/stderr events in batches, a timeout, and a process tree that ends with the run.
import { rmSync } from 'node:fs'
import { constants } from 'node:os'
import { StringDecoder } from 'node:string_decoder'
import type { Run } from '../../../shared/domain'
import type { ExecResult, RunControl, RunExecutor } from '../runs/control'
import { SandboxRefusal, sandboxCommand, type SandboxRequest, type WrappedCommand } from '../sandbox'
import { identify } from '../sandbox/proc'
import type { NewEvent } from '../store/events'
import { shellArgv } from './argv'
import { RunProcessTree } from './process-tree'
import { spawner } from './spawner'

export interface CommandOptions {
  timeoutMs: number
  /** Total output kept in the log; the rest is counted and dropped with a marker. */
  maxOutputBytes: number
  flushMs: number
  killGraceMs: number
  /** How runs are confined; the cwd comes from the run. */
  sandbox: Omit<SandboxRequest, 'cwd'>
}

export const DEFAULT_COMMAND_LIMITS = {
  timeoutMs: 10 * 60_000,
  maxOutputBytes: 5 * 1024 * 1024,
  flushMs: 100,
  killGraceMs: 3_000,
}

/** How long to wait for output pipes after the tree was ended (a setsid'd stray may hold them). */
const PIPE_DRAIN_MS = 2_000

/** Only what a well-behaved tool needs; the operator's own environment (tokens, keys) stays out. */
export function minimalEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot', 'ComSpec', 'PATHEXT', 'USERPROFILE']
  const env: NodeJS.ProcessEnv = {}
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k]
  env.OPDESK = '1'
  return env
}

export function commandExecutor(run: Run, cwd: string, opts: CommandOptions): RunExecutor {
  return {
    execute: (ctl) => runCommand(ctl, run.command ?? '', cwd, opts),
  }
}

async function runCommand(ctl: RunControl, line: string, cwd: string, opts: CommandOptions): Promise<ExecResult> {
  const { file, args, shell } = shellArgv(line)
  ctl.setProgress(0, 1, line.length > 80 ? `${line.slice(0, 77)}…` : line)
  let wrapped: WrappedCommand
  try {
    wrapped = sandboxCommand({ ...opts.sandbox, cwd }, file, args)
  } catch (err) {
    if (!(err instanceof SandboxRefusal)) throw err
    ctl.setProgress(1, 1, null)
    return { status: 'failed', error: err.message, exitCode: null }
  }
  const sandbox = opts.sandbox.status
  ctl.emit('log', {
    level: sandbox.available ? 'info' : 'warn',
    message:
      (!shell ? 'Started without a shell' : 'Started under bash -c (the command uses shell syntax)') +
      (sandbox.available ? ` in the ${sandbox.kind} sandbox` : '; not sandboxed on this machine'),
    cwd: wrapped.cwd,
    network: sandbox.available ? opts.sandbox.network : true,
  })

  if (ctl.signal.aborted) {
    // Canceled before it started: nothing was started, so there is nothing to end.
    if (wrapped.tmpDir) rmSync(wrapped.tmpDir, { recursive: true, force: true })
    ctl.setProgress(1, 1, null)
    return { status: 'failed', error: 'Canceled', exitCode: null }
  }
  const child = spawner.spawn({
    file: wrapped.file,
    args: wrapped.args,
    cwd: wrapped.cwd,
    env: { ...minimalEnv(), ...wrapped.env },
    statusFd: wrapped.statusFd,
    detached: process.platform !== 'win32',
    killGroupOnExit: process.platform !== 'win32',
  })
  const record = (pid: number) => {
    const id = identify(pid)
    ctl.setProcess({ pid, startTime: id?.startTime ?? null, bootId: id?.bootId ?? null })
    return id
  }
  // Sandboxed, what recovery must end is the sandbox's first process (pid 1 of its PID
  // namespace, leading the command's session): SIGKILL to it ends everything inside, while
  // bwrap's own pid may name nothing by then (bwrap dies with a killed Opdesk). So the run's
  // process columns name that process once bwrap reports it; the tree reports it only while
  // bwrap still runs, so an ended run is never recorded again.
  const tree = new RunProcessTree(child, child.status, (init) => void record(init))
  await child.started

  // Recorded with its start time so start-up recovery can prove the pid is still this
  // run's before signalling it (pids are reused).
  if (child.pid !== undefined) {
    const id = tree.sandboxInit === null ? record(child.pid) : identify(child.pid)
    ctl.emit('process.started', { pid: child.pid, ...id, shell, sandbox: sandbox.kind })
  }

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
    tree.terminate()
    graceTimer = setTimeout(() => tree.kill(), opts.killGraceMs)
  }
  const onAbort = () => stop('canceled')
  ctl.signal.addEventListener('abort', onAbort, { once: true })
  // Canceled while the spawner was starting it: the listener above came too late for that.
  if (ctl.signal.aborted) onAbort()
  const timeout = setTimeout(() => stop('timeout'), opts.timeoutMs)

  const closed = child.closed
  // The exit, not the pipes' close: a background child holding stdout must not keep the
  // run going; the tree has just been ended (killGroupOnExit), which closes the pipes.
  const result = await child.exited
  await tree.endOrphanedSandbox()
  // Its pid may be given to another process from now on: recovery must not find it.
  ctl.setProcess(null)
  clearTimeout(timeout)
  ctl.signal.removeEventListener('abort', onAbort)
  if (graceTimer) clearTimeout(graceTimer)
  let drainTimer: NodeJS.Timeout | undefined
  await Promise.race([closed, new Promise<void>((r) => (drainTimer = setTimeout(r, PIPE_DRAIN_MS)))])
  clearTimeout(drainTimer)
  child.stdout?.destroy()
  child.stderr?.destroy()
  if (wrapped.tmpDir) rmSync(wrapped.tmpDir, { recursive: true, force: true })
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
  // bwrap reports a command killed by a signal as 128 + the signal's number.
  if (wrapped.statusFd && result.code !== null && result.code > 128) {
    const name = Object.entries(constants.signals).find(([, n]) => n === result.code! - 128)?.[0]
    if (name && !reason) return { status: 'failed', error: `Killed by ${name}`, exitCode: result.code }
  }
  if (reason === 'canceled') return { status: 'failed', error: 'Canceled', exitCode: result.code }
  if (reason === 'timeout') return { status: 'failed', error: `Timed out after ${Math.round(opts.timeoutMs / 1000)} s; the process tree was killed`, exitCode: result.code }
  if (result.code === 0) return { status: 'succeeded', exitCode: 0 }
  return {
    status: 'failed',
    error: result.code !== null ? `Exited with code ${result.code}` : `Killed by ${result.signal}`,
    exitCode: result.code,
  }
}
