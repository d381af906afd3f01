// Start-up recovery reads what it needs from the run's columns: the orphaned process group a
// killed Opdesk left (pid + start time + boot id), and the profile a queued run must hold,
// without its events or a new parse of its flow.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/domain'
import { createCore, type Core } from '../core'
import { silentLogger } from '../log'
import { identify, readStat } from '../sandbox/proc'
import * as runs from '../store/runs'
import { setSetting } from '../store/settings'
import { testPlanner } from '../../../test/support/engine-harness'
import { tempCore, tempDir } from '../../../test/support/temp-workspace'
import { RunService, type RunPlanner } from './service'
import { alive } from '../../../test/support/processes'

/** An owner whose process is gone: recovery treats its runs as left behind. */
const DEAD_OWNER = `999999999@${hostname()}`

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A process group leader, like the command executor starts (detached: its own group). */
function groupLeader(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' })
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return child as ChildProcess & { pid: number }
}

/** A command run a killed Opdesk was driving: running, owned by a dead process. */
function leftRunning(core: Core, process: runs.RunProcess | null): Run {
  const store = core.ws.store
  const run = runs.insertRun(store, { kind: 'command', command: 'sleep 60' })
  core.runs.move(run.id, 'running', null, { startedAt: new Date().toISOString(), phase: 'execution', process })
  runs.claimRun(store, run.id, DEAD_OWNER)
  return run
}

describe('start-up recovery', () => {
  it.skipIf(process.platform !== 'linux')('ends the orphaned process group the run’s pid columns name', async () => {
    const core = await tempCore({ passive: true })
    cleanups.push(() => core.cleanup())
    const child = groupLeader()
    const exited = new Promise((r) => child.once('exit', r))
    const id = identify(child.pid)!
    const run = leftRunning(core, { pid: child.pid, startTime: id.startTime, bootId: id.bootId })
    // Nothing in the run's events names the process: only the columns do.
    expect(core.runs.events.list(run.id, 0, 100).some((e) => e.type === 'process.started')).toBe(false)

    const { interrupted } = core.runs.recover({ requeue: false })
    expect(interrupted).toEqual([run.id])
    await exited
    expect(alive(child.pid)).toBe(false)
    expect(core.runs.mustRun(run.id).status).toBe('interrupted')
    const log = core.runs.events.list(run.id, 0, 100).filter((e) => e.type === 'log').map((e) => String(e.data.message))
    expect(log).toContain(`Ended process group ${child.pid} left running by the stopped Opdesk`)
    // The run ended: it names no process any more.
    expect(runs.runProcess(core.ws.store, run.id)).toBeNull()
  })

  it.skipIf(process.platform !== 'linux')('leaves a process alone whose start time is not the recorded one (a reused pid)', async () => {
    const core = await tempCore({ passive: true })
    cleanups.push(() => core.cleanup())
    const child = groupLeader()
    const id = identify(child.pid)!
    const run = leftRunning(core, { pid: child.pid, startTime: String(Number(id.startTime) - 1), bootId: id.bootId })

    expect(core.runs.recover({ requeue: false }).interrupted).toEqual([run.id])
    await new Promise((r) => setTimeout(r, 200))
    expect(alive(child.pid)).toBe(true)
    expect(core.runs.events.list(run.id, 0, 100).some((e) => e.type === 'log')).toBe(false)
  })

  it('a command’s process is on the run while it runs, and gone from it once it exited', async () => {
    const core = await tempCore({ passive: true })
    cleanups.push(() => core.cleanup())
    const run = core.runs.create({ command: 'sleep 1' })
    await until(() => runs.runProcess(core.ws.store, run.id))
    const started = core.runs.events.list(run.id, 0, 100).find((e) => e.type === 'process.started')!
    // Sandboxed, the row moves on to the sandbox's first process once bwrap reports it: pid 1
    // of the run's PID namespace, a child of the started bwrap, whose SIGKILL ends all inside.
    const init = await until(() => {
      const p = runs.runProcess(core.ws.store, run.id)
      return p && p.pid !== started.data.pid ? p : null
    })
    expect(readStat(init.pid)?.ppid).toBe(started.data.pid)
    expect(readFileSync(`/proc/${init.pid}/status`, 'utf8')).toMatch(/^NSpid:\s+\d+\s+1$/m)
    expect(init.startTime).toBe(identify(init.pid)?.startTime)
    await core.runs.idle()
    expect(core.runs.mustRun(run.id).status).toBe('succeeded')
    expect(runs.runProcess(core.ws.store, run.id)).toBeNull()
  })
})

describe('a restarted process', () => {
  it('queues runs behind the profile their rows name, without planning their flows again', async () => {
    const ws = tempDir()
    cleanups.push(() => ws.cleanup())
    const flow = (name: string, profile: string | null) =>
      `name: ${name}\n${profile ? `profile: "${profile}" # kept logged in\n` : ''}steps:\n  - goto: https://example.test/\n`

    // The first process queues three runs and stops before starting any of them.
    const first = await createCore({ workspaceDir: ws.dir, log: silentLogger, passive: true })
    const before = new RunService({ ctx: first.ctx, secrets: first.secrets, planner: testPlanner(), executors: {} })
    await before.shutdown()
    const ids = [before.create({ flow: flow('A1', 'acme') }).id, before.create({ flow: flow('A2', 'acme') }).id, before.create({ flow: flow('B', null) }).id]
    expect(ids.map((id) => before.mustRun(id).status)).toEqual(['queued', 'queued', 'queued'])
    await first.close()

    const second = await createCore({ workspaceDir: ws.dir, log: silentLogger, passive: true })
    cleanups.push(() => second.close())
    setSetting(second.ws.store, 'runs.concurrency', 4)
    const refuse = (): never => {
      throw new Error('recovery planned a flow again')
    }
    const planner: RunPlanner = { plan: refuse, replan: refuse }
    const active = new Map<string, number>()
    const most = new Map<string, number>()
    const ran: { name: string | null; profile: string | null }[] = []
    const after = new RunService({
      ctx: second.ctx,
      secrets: second.secrets,
      planner,
      executors: {
        browser: (run) => ({
          async execute() {
            const key = run.profile ?? '(none)'
            active.set(key, (active.get(key) ?? 0) + 1)
            most.set(key, Math.max(most.get(key) ?? 0, active.get(key)!))
            ran.push({ name: run.flowName, profile: run.profile ?? null })
            await new Promise((r) => setTimeout(r, 300))
            active.set(key, active.get(key)! - 1)
            return { status: 'succeeded' }
          },
        }),
      },
    })
    cleanups.push(() => after.shutdown())
    const { requeued } = after.recover({ isAlive: () => false })
    expect(requeued.sort()).toEqual([...ids].sort())
    await after.idle()
    expect(ids.map((id) => after.mustRun(id).status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect(ran.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      { name: 'A1', profile: 'acme' },
      { name: 'A2', profile: 'acme' },
      { name: 'B', profile: null },
    ])
    // Concurrency 4, yet the two runs of one profile never held it at once.
    expect(most.get('acme')).toBe(1)
  })
})

async function until<T>(f: () => T | null, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = f()
    if (v !== null) return v
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}
