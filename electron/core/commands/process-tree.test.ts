// A sandboxed run's process tree when bwrap dies first: a signal that reaches bwrap before it
// has named the sandbox's first process kills bwrap, and that process (pid 1 of the run's
// PID namespace) lives on with the command unless the tree ends it.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/temp-workspace'
import { waitUntil } from '../../../test/support/wait'
import { detectSandbox, sandboxCommand } from '../sandbox'
import { pidsRunning } from '../sandbox/testing'
import { minimalEnv } from './executor'
import { RunProcessTree } from './process-tree'
import { spawner } from './spawner'

const sandbox = detectSandbox()
const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

describe.skipIf(!sandbox.available || sandbox.kind !== 'bubblewrap')('a sandboxed run’s process tree', () => {
  it('ends the sandbox whose bwrap died before it', async () => {
    const ws = tempDir('opdesk-tree-')
    cleanups.push(() => ws.cleanup())
    const work = join(ws.dir, 'work')
    mkdirSync(work)
    const wrapped = sandboxCommand(
      { status: sandbox, workspaceRoot: ws.dir, workDir: work, cwd: work, cwdOutsideWorkspace: false, network: false },
      '/bin/sh',
      ['-c', 'sleep 611'],
    )
    const child = spawner.spawn({
      file: wrapped.file,
      args: wrapped.args,
      cwd: wrapped.cwd,
      env: { ...minimalEnv(), ...wrapped.env },
      statusFd: wrapped.statusFd,
      detached: true,
      killGroupOnExit: true,
    })
    let init = 0
    const tree = new RunProcessTree(child, child.status, (pid) => (init = pid))
    await child.started
    await waitUntil(() => init > 0 && pidsRunning(['sleep', '611']).length > 0, 10_000, 'the sandboxed command')
    expect(tree.sandboxInit).toBe(init)

    // bwrap dies first; the spawner then ends bwrap's own process group, which the sandbox is not in.
    process.kill(child.pid!, 'SIGKILL')
    await child.exited
    await tree.endOrphanedSandbox()
    await waitUntil(() => pidsRunning(['sleep', '611']).length === 0, 5_000, 'the command to end').catch(() => {})
    expect(pidsRunning(['sleep', '611'])).toEqual([])
  })
})
