// Ending everything a command run started. Sandboxed (bubblewrap), the run is a PID
// namespace whose first process is bwrap's init: SIGKILL to it, or bwrap's death through
// --die-with-parent, ends every descendant, daemonised `cmd &` children included.
// Unsandboxed, the run leads its own process group and the group is signalled.
import { spawn } from 'node:child_process'
import type { Readable } from 'node:stream'
import { inPidNamespace } from '../sandbox/proc'
import type { SpawnedProcess } from './spawner'

const kill = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone.
  }
}

export class RunProcessTree {
  /** The sandbox's first process (pid 1 inside, this pid outside), once bwrap reports it. */
  private nsInit: number | null = null
  /** The inode of the sandbox's PID namespace, from bwrap's status: what names the init for sure. */
  private pidNamespace: number | null = null
  private exited = false
  private readonly statusDone: Promise<void>

  constructor(
    private readonly child: Pick<SpawnedProcess, 'pid' | 'exited'>,
    statusStream: Readable | null,
    /** Told the sandbox's first process once bwrap reports it (while the run still runs). */
    private readonly onInit: (pid: number) => void = () => {},
  ) {
    this.statusDone = statusStream
      ? new Promise<void>((resolve) => {
          statusStream.once('end', resolve)
          statusStream.once('close', resolve)
          statusStream.once('error', () => resolve())
        })
      : Promise.resolve()
    if (statusStream) this.readStatus(statusStream)
    // The spawner already killed the group synchronously at the reap (killGroupOnExit),
    // before its id could be reused; from here on, signals to the tree are only the
    // after-exit kill() below.
    void child.exited.then(() => (this.exited = true))
  }

  private readStatus(stream: Readable): void {
    let buf = ''
    stream.setEncoding('utf8')
    stream.on('data', (text: string) => {
      buf += text
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        let msg: { 'child-pid'?: unknown; 'pid-namespace'?: unknown }
        try {
          msg = JSON.parse(line) as typeof msg
        } catch {
          continue
        }
        const pid = msg['child-pid']
        const ns = msg['pid-namespace']
        // Trust a pid only if it is in the PID namespace bwrap made (a wrong one here would be
        // signalled). Not "bwrap's child": once bwrap has died the init has another parent,
        // and that is exactly when it must still be found.
        if (this.nsInit === null && typeof pid === 'number' && pid > 1 && typeof ns === 'number' && inPidNamespace(pid, ns)) {
          this.nsInit = pid
          this.pidNamespace = ns
          if (!this.exited) this.onInit(pid)
        }
      }
    })
    stream.on('error', () => {})
  }

  /** The sandbox's first process, once bwrap has reported it; null unsandboxed or before then. */
  get sandboxInit(): number | null {
    return this.nsInit
  }

  /**
   * After bwrap has exited: ends the sandbox's first process if it is still in the sandbox's
   * PID namespace, so nothing the run started outlives it whatever ended bwrap. Reads bwrap's
   * status to its end first (bounded), since the init's pid may still be in the pipe.
   */
  async endOrphanedSandbox(maxWaitMs = 500): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.statusDone, new Promise<void>((r) => (timer = setTimeout(r, maxWaitMs)))])
    clearTimeout(timer)
    if (this.nsInit !== null && this.pidNamespace !== null && inPidNamespace(this.nsInit, this.pidNamespace)) {
      kill(this.nsInit, 'SIGKILL')
    }
  }

  /** Asks the whole tree to stop (it may clean up); kill() follows after a grace period. */
  terminate(): void {
    const pid = this.child.pid
    if (pid === undefined || this.exited) return
    if (process.platform === 'win32') return this.kill()
    // bwrap's init ignores SIGTERM (pid 1 without a handler) but leads the group the command
    // runs in, so this reaches the command and its children without tearing down the sandbox.
    if (this.nsInit !== null) kill(-this.nsInit, 'SIGTERM')
    else kill(-pid, 'SIGTERM')
  }

  kill(): void {
    const pid = this.child.pid
    if (pid === undefined) return
    if (process.platform === 'win32') {
      if (!this.exited) spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' })
      return
    }
    if (this.nsInit !== null && !this.exited) kill(this.nsInit, 'SIGKILL')
    // The group outlives its leader while any member lives, and its id cannot be reused
    // until the last member is gone: signalling it after exit reaches only what the run left.
    kill(-pid, 'SIGKILL')
  }

}
