// Command processes are started from a worker thread, not the host's event loop. libuv's
// spawn is synchronous: fork, then block until the child has exec'd (it reads a CLOEXEC
// pipe to learn whether exec failed). On a busy machine the child may wait tens of
// milliseconds for a CPU before it execs, and the whole event loop waited with it: a burst
// of command runs stalled /api/health by up to ~90 ms per start. In a worker only that
// thread waits. Output, the bubblewrap status fd and the exit come back as messages.
import { EventEmitter } from 'node:events'
import { Readable } from 'node:stream'
import { Worker } from 'node:worker_threads'

export interface SpawnRequest {
  file: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  /** Its own session and process group (setsid), so the run's tree can be signalled whole. */
  detached: boolean
  /** Open fd 3 as a pipe (bwrap's --json-status-fd). */
  statusFd: boolean
  /**
   * SIGKILL the child's process group right after it is reaped, in the same callback, so
   * the group id has had no chance to be reused by an unrelated process.
   */
  killGroupOnExit: boolean
}

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
  error?: Error
}

type FromWorker =
  | { id: number; ev: 'spawn'; pid: number | undefined }
  | { id: number; ev: 'data'; fd: number; chunk: Uint8Array }
  | { id: number; ev: 'error'; message: string; code?: string }
  | { id: number; ev: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { id: number; ev: 'close' }

// Plain CommonJS run with eval: it must load the same way from tsx, vitest and the bundled
// Electron main, none of which would resolve a separate .ts worker file alike.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { spawn } = require('node:child_process')
const children = new Map()
const post = (m) => parentPort.postMessage(m)
function start(m) {
  let child
  try {
    child = spawn(m.file, m.args, {
      cwd: m.cwd, env: m.env, detached: m.detached, windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe', ...(m.statusFd ? ['pipe'] : [])],
    })
  } catch (err) {
    post({ id: m.id, ev: 'error', message: String(err && err.message), code: err && err.code })
    post({ id: m.id, ev: 'close' })
    return
  }
  children.set(m.id, child)
  post({ id: m.id, ev: 'spawn', pid: child.pid })
  child.stdio.forEach((s, fd) => {
    if (!s) return
    // A view on a bigger buffer would be cloned with all of that buffer: copy just the bytes.
    s.on('data', (b) => post({ id: m.id, ev: 'data', fd, chunk: b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b) }))
    s.on('error', () => {})
  })
  child.on('error', (err) => post({ id: m.id, ev: 'error', message: String(err.message), code: err.code }))
  child.on('exit', (code, signal) => {
    if (m.killGroupOnExit && child.pid !== undefined) {
      try { process.kill(-child.pid, 'SIGKILL') } catch {}
    }
    post({ id: m.id, ev: 'exit', code, signal })
  })
  child.on('close', () => {
    children.delete(m.id)
    post({ id: m.id, ev: 'close' })
  })
}
parentPort.on('message', (m) => {
  if (m.op === 'spawn') return start(m)
  const child = children.get(m.id)
  if (m.op === 'destroy' && child) for (const s of child.stdio) if (s) s.destroy()
})
`

/** A process started by the spawner: ChildProcess's shape where the executor needs it. */
export class SpawnedProcess {
  pid: number | undefined
  readonly stdout: Readable
  readonly stderr: Readable
  readonly status: Readable | null
  /** Resolves once the worker has tried to start it: with the pid, or with the error. */
  readonly started: Promise<{ pid?: number; error?: Error }>
  /** The process ended, or could not be started (then `error` says why). */
  readonly exited: Promise<ExitInfo>
  /** Its pipes have closed too. */
  readonly closed: Promise<void>
  private readonly events = new EventEmitter()

  constructor(destroyPipe: (fd: number) => void, statusFd: boolean) {
    const pipe = (fd: number) => new Readable({ read() {}, destroy: (err, cb) => (destroyPipe(fd), cb(err)) })
    this.stdout = pipe(1)
    this.stderr = pipe(2)
    this.status = statusFd ? pipe(3) : null
    this.started = new Promise((resolve) => this.events.once('started', resolve))
    this.exited = new Promise((resolve) => this.events.once('exited', resolve))
    this.closed = new Promise((resolve) => this.events.once('closed', resolve))
  }

  /** @internal one message from the worker, in the order the worker saw the events. */
  receive(m: FromWorker): void {
    switch (m.ev) {
      case 'spawn':
        this.pid = m.pid
        this.events.emit('started', { pid: m.pid })
        return
      case 'data': {
        const stream = m.fd === 1 ? this.stdout : m.fd === 2 ? this.stderr : this.status
        if (stream && !stream.destroyed) stream.push(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength))
        return
      }
      case 'error': {
        const error = Object.assign(new Error(m.message), m.code ? { code: m.code } : {})
        this.events.emit('started', { error })
        this.events.emit('exited', { code: null, signal: null, error })
        return
      }
      case 'exit':
        this.events.emit('exited', { code: m.code, signal: m.signal })
        return
      case 'close':
        for (const s of [this.stdout, this.stderr, this.status]) if (s && !s.destroyed) s.push(null)
        this.events.emit('closed')
        return
    }
  }
}

export class Spawner {
  private worker: Worker | null = null
  private readonly live = new Map<number, SpawnedProcess>()
  private nextId = 1

  spawn(req: SpawnRequest): SpawnedProcess {
    const worker = this.ensureWorker()
    const id = this.nextId++
    const proc = new SpawnedProcess((fd) => this.worker?.postMessage({ op: 'destroy', id, fd }), req.statusFd)
    this.live.set(id, proc)
    // A running command keeps the process alive, as its ChildProcess handle would.
    worker.ref()
    void proc.closed.then(() => {
      this.live.delete(id)
      if (this.live.size === 0) this.worker?.unref()
    })
    worker.postMessage({ op: 'spawn', id, ...req, env: { ...req.env } })
    return proc
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(WORKER_SOURCE, { eval: true, stdout: false, stderr: false })
    worker.on('message', (m: FromWorker) => this.live.get(m.id)?.receive(m))
    // A worker that dies takes its children's bookkeeping with it; what it had started
    // is reported as ended, and the next spawn starts a new worker.
    const lost = (why: string) => {
      if (this.worker !== worker) return
      this.worker = null
      for (const [id, proc] of this.live) {
        proc.receive({ id, ev: 'error', message: `The process spawner stopped: ${why}` })
        proc.receive({ id, ev: 'close' })
      }
      this.live.clear()
    }
    worker.on('error', (err) => lost(err.message))
    worker.on('exit', (code) => lost(`exit code ${code}`))
    worker.unref()
    this.worker = worker
    return worker
  }
}

/** One per process: the worker is cheap to keep and slow (an isolate) to start. */
export const spawner = new Spawner()
