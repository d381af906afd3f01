import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { minimalEnv } from './executor'
import { spawner, type SpawnRequest } from './spawner'

const sh = (script: string, extra: Partial<SpawnRequest> = {}): SpawnRequest => ({
  file: '/bin/sh',
  args: ['-c', script],
  cwd: '/tmp',
  env: minimalEnv(),
  detached: true,
  statusFd: false,
  killGroupOnExit: true,
  ...extra,
})

const collect = (stream: NodeJS.ReadableStream) => {
  let text = ''
  stream.on('data', (d: Buffer) => (text += d.toString('utf8')))
  return () => text
}

/** Gone, or a zombie nobody reaped yet: either way it no longer runs. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

describe.skipIf(process.platform !== 'linux')('spawner (processes started from a worker thread)', () => {
  it('delivers stdout, stderr, fd 3, the exit code and the pid of a real process', async () => {
    const p = spawner.spawn(sh('echo out; echo err >&2; echo status >&3; exit 3', { statusFd: true }))
    const out = collect(p.stdout)
    const err = collect(p.stderr)
    const status = collect(p.status!)
    const started = await p.started
    expect(started.pid).toBeGreaterThan(1)
    expect(p.pid).toBe(started.pid)
    expect(await p.exited).toEqual({ code: 3, signal: null })
    await p.closed
    expect([out(), err(), status()]).toEqual(['out\n', 'err\n', 'status\n'])
  })

  it('reports a program that cannot start as an error, not an exit', async () => {
    const p = spawner.spawn({ ...sh(''), file: '/nonexistent/opdesk-no-such-program', args: [] })
    const result = await p.exited
    expect(result.code).toBeNull()
    expect((result.error as NodeJS.ErrnoException | undefined)?.code).toBe('ENOENT')
    await p.closed
  })

  it('kills what the process left in its group the moment it exits', async () => {
    const p = spawner.spawn(sh('sleep 30 >/dev/null 2>&1 & echo $!'))
    const out = collect(p.stdout)
    await p.exited
    await p.closed
    const stray = Number(out().trim())
    expect(stray).toBeGreaterThan(1)
    for (let i = 0; i < 100 && running(stray); i++) await new Promise((r) => setTimeout(r, 20))
    expect(running(stray)).toBe(false)
  })

  it('keeps output in order across many chunks', async () => {
    const p = spawner.spawn(sh('i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done'))
    const out = collect(p.stdout)
    await p.exited
    await p.closed
    const lines = out().trim().split('\n')
    expect(lines).toHaveLength(2000)
    expect(lines.every((l, i) => l === `line-${i}`)).toBe(true)
  })

  it('stops reading when the caller destroys a pipe, and the process still ends', async () => {
    const p = spawner.spawn(sh('yes | head -c 100000000; exit 0'))
    await p.started
    p.stdout.destroy()
    expect(await p.exited).toEqual({ code: 0, signal: null })
    await p.closed
  })
})
