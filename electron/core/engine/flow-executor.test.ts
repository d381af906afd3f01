// Browser runs end to end: real Chromium, the fixture site, a real SQLite workspace and
// the real run service. One engine for the whole file keeps the browser warm.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

const types = (runId: string) => h.events(runId).map((e) => e.type)
const stepEvents = (runId: string) => h.events(runId).filter((e) => e.type.startsWith('step.'))

describe('browser flow runs', () => {
  it('fills, selects, checks, clicks, extracts, screenshots and downloads, with events and artifacts in order', async () => {
    const flow = `name: Order and report
params:
  who: { default: "Ada Lovelace" }
  month: { default: "2026-10" }
stepTimeout: 10s
steps:
  - goto: ${site.url}/form
  - fill: { selector: "#name", value: "\${params.who}" }
  - fill: { selector: "#company", value: "Acme" }
  - select: { selector: "#plan", value: pro }
  - check: "#updates"
  - click: "button[type=submit]"
  - expect: { selector: "#result", text: "plan=pro" }
  - extract: { name: summary, selector: "#result" }
  - extract: { name: options, selector: "#plan option", attribute: value, all: true }
  - screenshot: { name: order, fullPage: true }
  - goto: ${site.url}/download
  - download: { click: "text=Download report", saveAs: "report-\${params.month}.txt" }
`
    const run = await h.finished(h.start(flow).id)
    expect(run.error).toBeNull()
    expect(run.status).toBe('succeeded')
    expect(run.phase).toBe('artifact')
    expect(run.progress).toMatchObject({ current: 12, total: 12 })
    expect(run.outputs).toEqual({
      summary: 'Received: name=Ada Lovelace, company=Acme, plan=pro, updates=yes',
      options: ['basic', 'pro', 'enterprise'],
    })

    const arts = h.artifacts(run.id)
    expect(arts.map((a) => `${a.kind}:${a.name}`)).toEqual([
      'screenshot:order',
      'download:report-2026-10.txt',
      'screenshot:final',
    ])
    for (const a of arts) {
      const bytes = readFileSync(join(h.core.ws.paths.root, a.path))
      expect(a.bytes).toBe(bytes.length)
      expect(a.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    }
    const report = readFileSync(join(h.core.ws.paths.root, arts[1]!.path), 'utf8')
    expect(report).toBe('Acme report\nline,value\nalpha,1\nbeta,2\n')

    const steps = stepEvents(run.id)
    expect(steps.map((e) => `${e.type}:${e.data.index}`)).toEqual(
      Array.from({ length: 12 }, (_, i) => [`step.started:${i + 1}`, `step.succeeded:${i + 1}`]).flat(),
    )
    expect(steps[0]!.data).toMatchObject({ action: 'goto', label: `goto ${site.url}/form`, line: 7 })
    // A fill says where the value came from and how long it was, never the value.
    expect(steps[2]!.data).toEqual({
      index: 2,
      action: 'fill',
      line: 8,
      label: 'fill "#name"',
      selector: '#name',
      valueFrom: 'param',
      length: 12,
    })
    expect(steps[4]!.data).toMatchObject({ valueFrom: 'literal', length: 4 })
    expect(steps[22]!.data).toMatchObject({ label: 'download via "text=Download report"' })

    const t = types(run.id)
    expect(t[0]).toBe('run.status')
    expect(t.at(-1)).toBe('run.status')
    expect(t.filter((x) => x === 'evidence.captured')).toHaveLength(3)
    expect(h.events(run.id).at(-1)!.data).toMatchObject({ from: 'running', to: 'succeeded' })
  })

  it('fails a step with a clear error and keeps a failure screenshot', async () => {
    const flow = `name: Missing button
steps:
  - goto: ${site.url}/form
  - click: { selector: "#missing", timeout: 1s }
  - click: "button[type=submit]"
`
    const run = await h.finished(h.start(flow).id)
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/^Step 2 \(click "#missing", line 4\) failed: page\.click: Timeout 1000ms exceeded\.$/)
    const failed = h.events(run.id).find((e) => e.type === 'step.failed')
    expect(failed?.data).toEqual({ index: 2, error: run.error })
    expect(stepEvents(run.id).some((e) => e.data.index === 3)).toBe(false)
    const shot = h.artifacts(run.id).find((a) => a.name === 'failure-step-2')
    expect(shot?.kind).toBe('screenshot')
    expect(readFileSync(join(h.core.ws.paths.root, shot!.path)).subarray(1, 4).toString()).toBe('PNG')
  })

  it('cancels a run mid-navigation within two seconds and closes its context', async () => {
    const run = h.start(`name: Slow\nsteps:\n  - goto: ${site.url}/slow?ms=20000\n`)
    await h.waitFor(run.id, 'running')
    while (!h.events(run.id).some((e) => e.type === 'step.started')) await new Promise((r) => setTimeout(r, 20))
    const live = h.engine.livePages.get(run.id)
    expect(live).toBeDefined()
    const closed = new Promise<void>((resolve) => live!.context.once('close', () => resolve()))
    const t0 = Date.now()
    h.service.cancel(run.id)
    const done = await h.finished(run.id, 5_000)
    expect(done.status).toBe('canceled')
    expect(Date.now() - t0).toBeLessThan(2_000)
    await closed
    expect(h.engine.livePages.get(run.id)).toBeUndefined()
  })

  it('names the step timeout and the run timeout', async () => {
    const stepRun = h.start(
      `name: Step timeout\nsteps:\n  - goto: { url: "${site.url}/slow?ms=3000", timeout: 800ms }\n`,
    )
    const runRun = h.start(`name: Run timeout\ntimeout: 3s\nsteps:\n  - goto: ${site.url}/form\n  - wait: 10s\n`)
    const [a, b] = await Promise.all([h.finished(stepRun.id), h.finished(runRun.id)])
    expect(a.error).toBe(`Step 1 (goto ${site.url}/slow?ms=3000, line 3) failed: page.goto: Timeout 800ms exceeded.`)
    expect(b.status).toBe('failed')
    expect(b.error).toBe('The run exceeded its 3s timeout during step 2 (wait 10s, line 5)')
  })

  it('retries a failed run as attempt 2', async () => {
    const first = await h.finished(
      h.start(`name: Flaky\nsteps:\n  - goto: ${site.url}/form\n  - expect: { text: "Nope", timeout: 300ms }\n`).id,
    )
    expect(first.status).toBe('failed')
    expect(first.error).toMatch(/The text "Nope" did not appear within 300ms/)
    const second = h.service.retry(first.id)
    expect(second).toMatchObject({ attempt: 2, retryOf: first.id })
    const done = await h.finished(second.id)
    expect(done.status).toBe('failed')
    expect(h.events(second.id)[0]!.data).toMatchObject({ attempt: 2, retryOf: first.id })
  })

  it('waits for an approval mid-run and stops on a rejection', async () => {
    const flow = (reason: string) => `name: Approve me
steps:
  - goto: ${site.url}/form
  - approval: "${reason}"
  - expect: Order form
`
    const approved = h.start(flow('Export the report'))
    await h.waitFor(approved.id, 'waiting-approval')
    h.service.decide(approved.id, 'approved', 'lead', null)
    expect((await h.finished(approved.id)).status).toBe('succeeded')
    const rejected = h.start(flow('Delete everything'))
    await h.waitFor(rejected.id, 'waiting-approval')
    h.service.decide(rejected.id, 'rejected', 'lead', 'not today')
    const done = await h.finished(rejected.id)
    expect(done.status).toBe('failed')
    expect(done.error).toBe('Step 2 (approval "Delete everything", line 4) failed: Rejected by lead: not today')
  })

  it('fails a fill whose secret is not set, without revealing anything', async () => {
    const run = await h.finished(
      h.start(
        `name: No secret\nsteps:\n  - goto: ${site.url}/form\n  - fill: { selector: "#name", value: "\${secrets.nope}" }\n`,
      ).id,
    )
    expect(run.error).toBe(
      'Step 2 (fill "#name", line 4) failed: Secret "nope" is not set; add it under Settings → Secrets',
    )
    expect(stepEvents(run.id).map((e) => e.type)).toEqual([
      'step.started',
      'step.succeeded',
      'step.started',
      'step.failed',
    ])
  })

  it('accepts alerts, dismisses confirms, and logs both', async () => {
    const flow = `name: Dialogs
steps:
  - goto: ${site.url}/dialogs
  - click: "#alert"
  - expect: { selector: "#dialog-result", text: "alert closed" }
  - click: "#confirm"
  - expect: { selector: "#dialog-result", text: "confirm: false" }
`
    const run = await h.finished(h.start(flow).id)
    expect(run.error).toBeNull()
    const logs = h.events(run.id).filter((e) => e.type === 'log' && e.data.dialog)
    expect(logs.map((e) => e.data.dialog)).toEqual([
      { type: 'alert', message: 'Heads up' },
      { type: 'confirm', message: 'Proceed?' },
    ])
  })
})
