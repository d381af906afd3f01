// Tracks and runs follow each other (DESIGN.md "Track"), through the router with real
// command runs: a step's run makes it active, a later success clears the step's failure,
// a dismissal needs a note and records who, a retry runs the flow as it is now.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Actor } from '../../../shared/api'
import type { Run, Track } from '../../../shared/domain'
import { verifyChains } from '../store/events'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus } from '../../../test/support/wait'

let core: Awaited<ReturnType<typeof tempCore>>
beforeEach(async () => {
  core = await tempCore()
  // Fails until the file `fixed` exists in work/: the "operator fixed the cause" switch.
  writeFileSync(join(core.ws.paths.work, 'job.js'), `process.exit(require('fs').existsSync('fixed') ? 0 : 3)`)
})
afterEach(async () => {
  await core.cleanup()
})

const ann: Actor = { name: 'ann', role: 'operator' }
const vic: Actor = { name: 'vic', role: 'viewer' }
const req = (method: string, path: string, body?: unknown, actor: Actor = ann) => core.router.handle({ method, path, body, actor })
const track = async (id: string) => (await req('GET', `/api/tracks/${id}`)).body as Track
const events = (id: string) => core.runs.events.list(id, 0, 10_000)
const fix = () => writeFileSync(join(core.ws.paths.work, 'fixed'), '')

async function newTrack(): Promise<Track> {
  const res = await req('POST', '/api/tracks', {
    title: 'Month end',
    steps: [{ title: 'Export' }, { title: 'Send' }],
    checkpoints: [{ title: 'Export file kept', kind: 'evidence' }, { title: 'Lead review', kind: 'review' }],
  })
  expect(res.status).toBe(201)
  return res.body as Track
}

async function runStep(t: Track, stepIndex = 0, actor: Actor = ann): Promise<Run> {
  const res = await req('POST', '/api/runs', { command: 'node job.js', trackId: t.id, stepId: t.steps[stepIndex]!.id }, actor)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const run = res.body as Run
  return waitForStatus(() => core.runs.mustRun(run.id), ['succeeded', 'failed'])
}

describe('a step and its runs', () => {
  it('starting a run makes its step active, and the step row lists its runs newest first', async () => {
    const t = await newTrack()
    expect(t.steps[0]!.state).toBe('queued')
    const failed = await runStep(t)
    const after = await track(t.id)
    expect(after.steps[0]!.state).toBe('active')
    expect(after.steps[1]!.state).toBe('queued')
    expect(after.steps[0]!.runs).toEqual([
      expect.objectContaining({ id: failed.id, status: 'failed', title: 'node job.js', blocking: true, offersMarkDone: false }),
    ])
    expect(failed).toMatchObject({ trackTitle: 'Month end', stepTitle: 'Export' })
  })

  it('a later success of the same step clears the failure, recorded on the failed run, and offers mark done', async () => {
    const t = await newTrack()
    const failed = await runStep(t)
    expect((await track(t.id)).state).toBe('blocked')
    // A success of *another* step does not clear it.
    fix()
    const other = await runStep(t, 1)
    expect(other.status).toBe('succeeded')
    expect((await track(t.id)).state).toBe('blocked')

    const ok = await runStep(t)
    expect(ok.status).toBe('succeeded')
    const after = await track(t.id)
    expect(after.state).toBe('active')
    const resolved = core.runs.mustRun(failed.id)
    expect(resolved.resolution).toMatchObject({ how: 'succeeded-later', by: 'ann', runId: ok.id, note: null })
    expect(events(failed.id).at(-1)).toMatchObject({ type: 'run.resolved', data: { how: 'succeeded-later', by: 'ann', runId: ok.id } })
    expect(verifyChains(core.ws.store, failed.id).broken).toEqual([])
    const [newest, oldest] = after.steps[0]!.runs
    expect(newest).toMatchObject({ id: ok.id, offersMarkDone: true, blocking: false })
    expect(oldest).toMatchObject({ id: failed.id, blocking: false, resolution: { how: 'succeeded-later' } })
  })

  it('mark done finishes the step and attaches the run to an evidence checkpoint, with who in the run log', async () => {
    fix()
    const t = await newTrack()
    const ok = await runStep(t)
    const [evidence, review] = t.checkpoints
    const wrong = await req('POST', `/api/runs/${ok.id}/mark-done`, { checkpointId: review!.id })
    expect(wrong.status).toBe(400)
    expect(wrong.body).toMatchObject({ error: { field: 'checkpointId' } })
    expect((await track(t.id)).steps[0]!.state).toBe('active')

    const res = await req('POST', `/api/runs/${ok.id}/mark-done`, { checkpointId: evidence!.id })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const after = await track(t.id)
    expect(after.steps[0]).toMatchObject({ state: 'done', runs: [expect.objectContaining({ id: ok.id, offersMarkDone: false })] })
    expect(after.checkpoints.find((c) => c.id === evidence!.id)).toMatchObject({ runId: ok.id, state: 'passed' })
    expect(after.progress).toBe(0.5)
    expect(events(ok.id).at(-1)).toMatchObject({ type: 'step.marked-done', data: { stepId: t.steps[0]!.id, by: 'ann' } })
  })

  it('mark done is refused for a failed run (409) and for a viewer (403)', async () => {
    const t = await newTrack()
    const failed = await runStep(t)
    expect((await req('POST', `/api/runs/${failed.id}/mark-done`, {})).status).toBe(409)
    fix()
    const ok = await runStep(t)
    expect((await req('POST', `/api/runs/${ok.id}/mark-done`, {}, vic)).status).toBe(403)
    expect((await track(t.id)).steps[0]!.state).toBe('active')
  })
})

describe('dismissing a failed run', () => {
  it('needs a note, records who and why, and unblocks the track', async () => {
    const t = await newTrack()
    const failed = await runStep(t)
    for (const body of [{}, { note: '' }, { note: '   ' }]) {
      const res = await req('POST', `/api/runs/${failed.id}/dismiss`, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body).toMatchObject({ error: { field: 'note' } })
    }
    expect((await track(t.id)).state).toBe('blocked')

    const res = await req('POST', `/api/runs/${failed.id}/dismiss`, { note: 'Exported by hand from the portal' })
    expect(res.status).toBe(200)
    expect((res.body as Run).resolution).toMatchObject({ how: 'dismissed', by: 'ann', note: 'Exported by hand from the portal', runId: null })
    expect((await track(t.id)).state).toBe('active')
    expect(events(failed.id).at(-1)).toMatchObject({
      type: 'run.resolved',
      data: { how: 'dismissed', by: 'ann', note: 'Exported by hand from the portal' },
    })
    // Once is enough: a second dismissal is a conflict, not a second record.
    expect((await req('POST', `/api/runs/${failed.id}/dismiss`, { note: 'again' })).status).toBe(409)
    expect(events(failed.id).filter((e) => e.type === 'run.resolved')).toHaveLength(1)
  })

  it('is for operators: a viewer is refused and nothing changes', async () => {
    const t = await newTrack()
    const failed = await runStep(t)
    const res = await req('POST', `/api/runs/${failed.id}/dismiss`, { note: 'not mine to say' }, vic)
    expect(res.status).toBe(403)
    expect(core.runs.mustRun(failed.id).resolution).toBeNull()
    expect((await track(t.id)).state).toBe('blocked')
  })

  it('refuses a run that did not fail', async () => {
    fix()
    const t = await newTrack()
    const ok = await runStep(t)
    expect((await req('POST', `/api/runs/${ok.id}/dismiss`, { note: 'x' })).status).toBe(409)
    expect((await req('POST', '/api/runs/run_nope/dismiss', { note: 'x' })).status).toBe(404)
  })
})

describe('retry', () => {
  // A consequential click needs approval before the run starts: no browser is needed.
  const flow = (path: string) => `name: Portal export\nsteps:\n  - goto: https://portal.example/${path}\n  - click: "text=Pay now"\n`
  const dana: Actor = { name: 'dana', role: 'approver' }

  it('runs the registered flow as it is now by default, the old snapshot on request, and resolves the old failure', async () => {
    const t = await newTrack()
    const created = await req('POST', '/api/flows', { source: flow('v1') })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const flowId = (created.body as { id: string }).id
    const first = (await req('POST', '/api/runs', { flowId, trackId: t.id, stepId: t.steps[0]!.id })).body as Run
    expect(first.status).toBe('waiting-approval')
    expect((await req('POST', `/api/runs/${first.id}/reject`, { note: 'wrong place' }, dana)).status).toBe(200)
    expect(core.runs.mustRun(first.id).status).toBe('failed')
    expect((await track(t.id)).state).toBe('blocked')

    // The flow is edited in place: a new version of the same flow.
    const edited = (await req('PATCH', `/api/flows/${flowId}`, { source: flow('v2') })).body as { hash: string }
    const snap = (await req('POST', `/api/runs/${first.id}/retry`, { flow: 'snapshot' })).body as Run
    expect(snap).toMatchObject({ attempt: 2, retryOf: first.id, flowHash: first.flowHash, stepId: t.steps[0]!.id })
    expect(core.runs.mustRun(first.id).resolution).toMatchObject({ how: 'retried', by: 'ann', runId: snap.id })
    expect((await req('POST', `/api/runs/${snap.id}/reject`, {}, dana)).status).toBe(200)

    const current = await req('POST', `/api/runs/${snap.id}/retry`, {})
    expect(current.status).toBe(201)
    expect(current.body).toMatchObject({ attempt: 3, retryOf: snap.id, flowHash: edited.hash })
    expect((current.body as Run).flowSource).toContain('/v2')
    expect(core.runs.mustRun(snap.id).resolution).toMatchObject({ how: 'retried', runId: (current.body as Run).id })
    // Every failure on the step is resolved; the track waits on the new attempt's approval.
    expect((await track(t.id)).state).toBe('waiting')
  })
})
