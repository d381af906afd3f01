// GET /api/runs/:id/timeline over real runs: a browser run on the fixture site with a
// screenshot, an MFA wait a named person resumes and a step after it; a browser run that
// fails at its second step (failure screenshot, later phases skipped, not done); a browser
// run held by an approval; and a command run writing to stdout and stderr through the core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunTimeline } from '../../../shared/api'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { engineHarness, type EngineHarness } from '../../../test/support/engine-harness'

let site: FixtureSite
let h: EngineHarness

beforeAll(async () => {
  site = await startFixtureSite()
  h = await engineHarness()
})
afterAll(async () => {
  await h?.close()
  await site?.close()
})

const timeline = async (runId: string): Promise<RunTimeline> => {
  const res = await h.core.router.handle({ method: 'GET', path: `/api/runs/${runId}/timeline` })
  expect(res.status).toBe(200)
  return res.body as RunTimeline
}

describe('GET /api/runs/:id/timeline', () => {
  it('groups a browser run into steps with durations and screenshots, and shows the MFA wait with who resumed it', async () => {
    const run = h.start(`name: Timeline MFA
steps:
  - goto: ${site.url}/search
  - screenshot: { name: search-page, fullPage: false }
  - goto: ${site.url}/mfa/autofocus
  - mfa: { until: { url: "**/done" }, timeout: 30s }
  - expect: Two-step verification
`)
    await h.waitFor(run.id, 'waiting-mfa')
    const waiting = await timeline(run.id)
    expect(waiting.steps.map((s) => [s.index, s.status])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
      [4, 'waiting'],
    ])
    expect(waiting.waits).toHaveLength(1)
    expect(waiting.waits[0]).toMatchObject({ kind: 'mfa', stepIndex: 4, endedAt: null, durationMs: null, by: null })
    expect(waiting.phases.map((p) => p.state)).toEqual(['done', 'current', 'todo', 'todo'])

    await new Promise((r) => setTimeout(r, 300))
    await h.service.resume(run.id, true, 'alice')
    const done = await h.finished(run.id)
    expect(done.status).toBe('succeeded')

    const tl = await timeline(run.id)
    expect(tl.status).toBe('succeeded')
    expect(tl.steps).toHaveLength(5)
    expect(tl.steps.map((s) => s.status)).toEqual(Array(5).fill('succeeded'))
    expect(tl.steps.map((s) => s.action)).toEqual(['goto', 'screenshot', 'goto', 'mfa', 'expect'])
    expect(tl.steps.map((s) => s.line)).toEqual([3, 4, 5, 6, 7])
    for (const s of tl.steps) {
      expect(s.endedAt).not.toBeNull()
      expect(s.durationMs).toBe(Date.parse(s.endedAt!) - Date.parse(s.startedAt))
      expect(s.lastSeq).toBeGreaterThan(s.firstSeq)
    }
    // The screenshot belongs to the step that took it, and is a real artifact of the run.
    const shots = tl.steps[1]!.screenshots
    expect(shots.map((s) => s.name)).toEqual(['search-page'])
    expect(h.artifacts(run.id).map((a) => a.id)).toContain(shots[0]!.artifactId)
    expect(tl.steps[0]!.screenshots).toEqual([])

    const [w] = tl.waits
    expect(tl.waits).toHaveLength(1)
    expect(w).toMatchObject({ kind: 'mfa', stepIndex: 4, by: 'alice', outcome: 'forced' })
    expect(w!.durationMs).toBeGreaterThanOrEqual(300)
    expect(w!.durationMs).toBe(Date.parse(w!.endedAt!) - Date.parse(w!.startedAt))
    // The wait lies inside the mfa step, which lasted at least as long.
    expect(tl.steps[3]!.durationMs).toBeGreaterThanOrEqual(w!.durationMs!)
    expect(tl.phases.map((p) => p.state)).toEqual(['done', 'done', 'done', 'done'])
    expect(tl.output).toEqual([])
    expect(tl.lastSeq).toBe(h.events(run.id).at(-1)!.seq)
  })

  it('a run that failed at step 2 shows that step failed with its screenshot and no later phase as done', async () => {
    const run = h.start(`name: Timeline fails
steps:
  - goto: ${site.url}/search
  - click: { selector: "#missing", timeout: 1s }
  - goto: ${site.url}/search
`)
    const done = await h.finished(run.id)
    expect(done.status).toBe('failed')
    const tl = await timeline(run.id)
    expect(tl.steps.map((s) => [s.index, s.status])).toEqual([
      [1, 'succeeded'],
      [2, 'failed'],
    ])
    expect(tl.steps[1]!.error).toContain('Step 2')
    expect(tl.steps[1]!.failureShot?.name).toBe('failure-step-2')
    expect(h.artifacts(run.id).map((a) => a.id)).toContain(tl.steps[1]!.failureShot!.artifactId)
    expect(tl.phases).toEqual([
      { phase: 'planning', state: 'done' },
      { phase: 'execution', state: 'failed' },
      { phase: 'review', state: 'skipped' },
      { phase: 'artifact', state: 'skipped' },
    ])
    expect(tl.phases.filter((p) => p.phase !== 'planning' && p.state === 'done')).toEqual([])
  })

  it('shows an approval as a wait with who approved it', async () => {
    const run = h.start(`name: Timeline approval
steps:
  - goto: ${site.url}/search
  - approval: { reason: "Pay the invoice" }
`)
    await h.waitFor(run.id, 'waiting-approval')
    await new Promise((r) => setTimeout(r, 200))
    h.service.decide(run.id, 'approved', 'bob', 'fine')
    await h.finished(run.id)
    const tl = await timeline(run.id)
    expect(tl.waits).toHaveLength(1)
    expect(tl.waits[0]).toMatchObject({
      kind: 'approval',
      reason: 'Pay the invoice',
      by: 'bob',
      outcome: 'approved',
      stepIndex: 2,
    })
    expect(tl.waits[0]!.durationMs).toBeGreaterThanOrEqual(200)
    expect(tl.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded'])
  })

  it('shows an assist wait on the failed step with who skipped it, and the step as skipped', async () => {
    const run = h.start(`name: Timeline assist
onFailure: assist
stepTimeout: 1s
steps:
  - goto: ${site.url}/form
  - click: "#not-there"
  - fill: { selector: "#name", value: Ada }
`)
    await h.waitFor(run.id, 'waiting-assist', 20_000)
    const waiting = await timeline(run.id)
    expect(waiting.waits).toMatchObject([{ kind: 'assist', stepIndex: 2, endedAt: null, by: null }])
    await h.service.continueRun(run.id, 'skip-step', null, 'carol')
    const done = await h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    const tl = await timeline(run.id)
    expect(tl.steps.map((s) => [s.index, s.status])).toEqual([
      [1, 'succeeded'],
      [2, 'skipped'],
      [3, 'succeeded'],
    ])
    expect(tl.waits).toHaveLength(1)
    expect(tl.waits[0]).toMatchObject({ kind: 'assist', stepIndex: 2, by: 'carol', outcome: 'skip-step' })
    expect(tl.waits[0]!.durationMs).toBe(Date.parse(tl.waits[0]!.endedAt!) - Date.parse(tl.waits[0]!.startedAt))
  })

  it('keeps a command run’s stdout and stderr apart, line by line, with the last line and the exit code', async () => {
    const created = await h.core.router.handle({
      method: 'POST',
      path: '/api/runs',
      // stdout and stderr are two pipes read apart: the pauses keep the order they were written in.
      body: {
        command: `printf 'one\\ntw'; printf 'o\\n'; sleep 0.3; echo 'bad thing' >&2; sleep 0.3; printf '\\033[31mred\\033[0m\\n'; printf 'last line'; exit 3`,
      },
    })
    expect(created.status).toBe(201)
    const id = (created.body as { id: string }).id
    const done = await h.finished(id)
    expect(done.status).toBe('failed')
    const tl = await timeline(id)
    expect(tl.kind).toBe('command')
    expect(tl.steps).toEqual([])
    expect(tl.exitCode).toBe(3)
    const lines = tl.output.map((l) => [l.stream, l.text])
    expect(lines.filter(([s]) => s === 'stdout')).toEqual([
      ['stdout', 'one'],
      ['stdout', 'two'],
      ['stdout', '\u001b[31mred\u001b[0m'],
      ['stdout', 'last line'],
    ])
    expect(lines.filter(([s]) => s === 'stderr')).toEqual([['stderr', 'bad thing']])
    expect(tl.outputLines).toBe(5)
    expect(tl.output.at(-1)!.text).toBe('last line')
    // In the order written.
    const seqs = tl.output.map((l) => l.seq)
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)
    expect(tl.phases.map((p) => p.state)).toEqual(['done', 'failed', 'skipped', 'skipped'])
  })

  it('answers 404 for an unknown run', async () => {
    const res = await h.core.router.handle({ method: 'GET', path: '/api/runs/run_nope/timeline' })
    expect(res.status).toBe(404)
  })
})
