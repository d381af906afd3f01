// Disk full while writing evidence: the run fails with a message that says so, and the
// database (on another disk) stays intact. Needs root to mount a tiny tmpfs over evidence/.
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus } from '../../../test/support/wait'
import { verifyChains } from '../store/events'

const canMount = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe.skipIf(!canMount)('disk full while writing evidence (tmpfs over evidence/, root only)', () => {
  let site: FixtureSite
  let core: Awaited<ReturnType<typeof tempCore>>
  beforeAll(async () => {
    site = await startFixtureSite()
    core = await tempCore()
    mkdirSync(core.ws.paths.evidence, { recursive: true })
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', core.ws.paths.evidence])
  })
  afterAll(async () => {
    await core.close()
    try {
      execFileSync('umount', [core.ws.paths.evidence])
    } catch {
      // Left mounted only if the test process died mid-way.
    }
    await core.cleanup()
    await site.close()
  })

  it('fails the run with a clear message and keeps the database intact', async () => {
    const flow = `name: Disk full
steps:
  - goto: ${site.url}/form
  - screenshot: { name: big, fullPage: true }
`
    const res = await core.router.handle({ method: 'POST', path: '/api/runs', body: { flow } })
    expect(res.status).toBe(201)
    const id = (res.body as { id: string }).id
    const run = await waitForStatus(() => core.runs.mustRun(id), ['failed', 'succeeded'], 60_000)
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/no space left|disk is full|ENOSPC/i)
    expect(core.ws.store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(verifyChains(core.ws.store, id).broken).toEqual([])
    // The database still takes writes: the next thing an operator does works.
    const t = await core.router.handle({
      method: 'POST',
      path: '/api/tracks',
      body: { title: 'After the disk filled' },
    })
    expect(t.status).toBe(201)
  })
})
