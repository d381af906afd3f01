// Start-up recovery and the heartbeat: runs a dead process left mid-flight become
// `interrupted` (and a command's orphaned process group is ended), queued runs are queued
// again behind the profile their row names, and this process keeps saying it is alive.
import { hostname } from 'node:os'
import type { Run } from '../../../shared/domain'
import type { CoreContext } from '../context'
import { stillLeadsGroup } from '../sandbox/proc'
import * as alerts from '../store/alerts'
import { flowHash } from '../flows/parse'
import * as runs from '../store/runs'
import type { RunApprovals } from './approvals'
import type { RunLifecycle } from './lifecycle'

export const OWNER = `${process.pid}@${hostname()}`

export interface RecoveryDeps {
  ctx: CoreContext
  lifecycle: RunLifecycle
  approvals: RunApprovals
  enqueue(run: Run): void
}

export class RunRecovery {
  private heartbeatTimer: NodeJS.Timeout | null = null

  constructor(private readonly deps: RecoveryDeps) {}

  private get store() {
    return this.deps.ctx.ws.store
  }

  /**
   * Runs a dead process left running or waiting become `interrupted` (a live page cannot
   * survive its process); runs still waiting for a pre-start approval keep waiting; queued
   * runs are queued again. Starts the heartbeat.
   */
  recover(opts: { requeue?: boolean; isAlive?: (owner: string) => boolean } = {}): { interrupted: string[]; requeued: string[] } {
    const { lifecycle } = this.deps
    const isAlive = opts.isAlive ?? ownerAlive
    const interrupted: string[] = []
    for (const r of runs.unfinishedRuns(this.store)) {
      const run = runs.getRun(this.store, r.id)
      if (!run) continue
      if (r.status === 'waiting-approval' && !run.startedAt) continue
      if (r.owner && r.owner !== OWNER && isAlive(r.owner)) continue
      // Read before the run ends: ending it clears the process columns.
      const orphan = run.kind === 'command' ? runs.runProcess(this.store, r.id) : null
      try {
        lifecycle.move(r.id, 'interrupted', `Opdesk stopped while this run was ${r.status}; retry it to run again`, {
          error: `Interrupted: Opdesk stopped while this run was ${r.status}`,
        })
        alerts.ackRunAlerts(this.store, r.id, ['mfa-needed', 'stale-wait', 'approval-needed'])
        if (orphan) this.killOrphan(r.id, orphan)
        interrupted.push(r.id)
      } catch {
        // Another process finished or recovered it first.
      }
    }
    const requeued: string[] = []
    for (const id of opts.requeue === false ? [] : runs.queuedRuns(this.store)) {
      const run = runs.getRun(this.store, id)!
      if (run.kind === 'check' || run.kind === 'login') {
        // Asked of the process that stopped; the profile shows its health, ask again there.
        lifecycle.move(id, 'canceled', `Opdesk restarted before this ${run.kind} ran; start it again from the profile`)
        continue
      }
      // The snapshot runs as it was judged; one that no longer hashes the same does not run.
      if (run.flowHash && flowHash(run.flowSource ?? '') !== run.flowHash) {
        lifecycle.move(id, 'failed', `Could not restart after a restart: Run ${id}'s flow snapshot is damaged`)
        continue
      }
      this.deps.enqueue(run)
      requeued.push(id)
    }
    this.startHeartbeat()
    return { interrupted, requeued }
  }

  /**
   * A command run's process group may outlive a killed Opdesk: end it, but only when the
   * recorded pid is provably the same process (same boot, same start time), never a
   * stranger that was given the pid later.
   */
  private killOrphan(runId: string, recorded: runs.RunProcess): void {
    if (process.platform === 'win32') return
    const identity = { pid: recorded.pid, startTime: recorded.startTime ?? undefined, bootId: recorded.bootId ?? undefined }
    if (!stillLeadsGroup(identity)) return
    try {
      process.kill(-recorded.pid, 'SIGKILL')
      this.deps.lifecycle.append(runId, [
        { type: 'log', data: { level: 'warn', message: `Ended process group ${recorded.pid} left running by the stopped Opdesk` } },
      ])
    } catch {
      // Already gone.
    }
  }

  private startHeartbeat(): void {
    this.stop()
    this.heartbeatTimer = setInterval(() => {
      runs.heartbeat(this.store, OWNER)
      try {
        this.deps.approvals.expireApprovals()
      } catch (err) {
        this.deps.ctx.log.error('could not expire approvals', { error: String(err) })
      }
    }, 5_000)
    this.heartbeatTimer.unref()
  }

  stop(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    this.heartbeatTimer = null
  }
}

/** A run's owner is `pid@host`; on this host we can ask the OS whether that pid lives. */
export function ownerAlive(owner: string): boolean {
  const [pidText, host] = owner.split('@')
  if (host !== hostname()) return true // another machine on a shared folder: assume alive
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
