// Test helpers: the real host and CLI as child processes on a temp workspace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'

/** The CLI from source (no build needed); bin/opdesk.mjs runs the build instead. */
export const BIN = new URL('./opdesk-source.mjs', import.meta.url).pathname

export function cli(workspace: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--workspace', workspace], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The CLI without blocking this process, so it truly overlaps with other work. */
export function cliAsync(workspace: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args, '--workspace', workspace], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout!.on('data', (d) => (stdout += d))
    p.stderr!.on('data', (d) => (stderr += d))
    p.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

export interface HostProcess {
  origin: string
  proc: ChildProcess
  stop(signal?: NodeJS.Signals): Promise<void>
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
}

export async function serveProcess(workspace: string, token: string, extra: string[] = []): Promise<HostProcess> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--workspace', workspace, '--port', '0', '--token', token, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const origin = await new Promise<string>((resolve, reject) => {
    let out = ''
    let err = ''
    proc.stderr!.on('data', (d) => (err += d))
    proc.stdout!.on('data', (d) => {
      out += d
      const m = /Opdesk listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)
      if (m) resolve(m[1]!)
    })
    proc.once('exit', (code) => reject(new Error(`host exited ${code}: ${err}`)))
  })
  return {
    origin,
    proc,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill(signal)
      await exited
    },
    async api<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(origin + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as T }
    },
  }
}

export async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await f()
    if (ok(v)) return v
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 300)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
