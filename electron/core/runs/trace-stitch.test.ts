// One trace per run: a real run whose trace was cut into segments (a secret was typed in
// between) is stitched into one zip the viewer reads whole, with each flow step as a
// labelled group and the engine's own probes and source paths left out.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { engineHarness, type EngineHarness } from '../../../test/support/engine-harness'
import { runTraceFile } from './run-trace'
import { segmentLabel } from './trace-stitch'

const SECRET = 'Stitch-S3cret-91x!'

let site: FixtureSite
let h: EngineHarness

beforeAll(async () => {
  site = await startFixtureSite()
  h = await engineHarness()
  await h.secrets.put('acme_pass', SECRET)
})
afterAll(async () => {
  await h?.close()
  await site?.close()
})

interface Line {
  type?: string
  callId?: string
  parentId?: string
  title?: string
  method?: string
  stack?: unknown
}
const linesOf = (bytes: Uint8Array): Line[] =>
  strFromU8(bytes)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line)

describe('segmentLabel', () => {
  it('names the steps a segment covers', () => {
    expect(segmentLabel([1, 2, 3, 4])).toBe('Steps 1–4')
    expect(segmentLabel([5])).toBe('Step 5')
    expect(segmentLabel([])).toBe('No flow steps')
  })
})

describe('a run with a trace cut in segments', () => {
  it('is served as one zip: every segment a labelled context, steps as groups, no engine noise', async () => {
    const flow = `name: Stitch me
trace: true
detectMfa: true
steps:
  - goto: ${site.url}/form
  - click: "#name"
  - fill: { selector: "#name", value: "\${secrets.acme_pass}" }
  - goto: ${site.url}/form?again=1
  - fill: { selector: "#name", value: "ops" }
  - click: "#name"
`
    const run = await h.finished(h.start(flow).id)
    expect(run.error).toBeNull()
    const segments = h.artifacts(run.id).filter((a) => a.kind === 'trace')
    expect(segments.length).toBeGreaterThanOrEqual(2)

    const stitched = runTraceFile(h.core.ws.store, h.core.ws.paths, run.id)
    expect(stitched).not.toBeNull()
    // Steps 1–2 before the secret; step 3 (the secret) is never recorded, nor step 4, whose
    // page still held it when it began; recording resumes once the field is gone.
    expect(stitched!.segments.map((s) => s.label)).toEqual(['Steps 1–2', 'Steps 5–6'])

    const zip = unzipSync(readFileSync(stitched!.path))
    const traces = Object.keys(zip).filter((n) => n.endsWith('.trace'))
    expect(traces.sort()).toEqual(stitched!.segments.map((s) => `${s.name}.trace`).sort())
    const all = traces.flatMap((n) => linesOf(zip[n]!))
    const groups = all.filter((l) => l.type === 'before' && l.method === 'tracingGroup').map((l) => l.title)
    expect(groups.map((g) => g?.split(' · ')[0])).toEqual(['Step 1', 'Step 2', 'Step 5', 'Step 6'])
    // Something was left out (so the checks below are not empty-handed): the raw segments
    // hold engine calls the stitched trace does not.
    const raw = segments.flatMap((a) => {
      const entries = unzipSync(readFileSync(join(h.core.ws.paths.root, a.path)))
      return entries['trace.trace'] ? linesOf(entries['trace.trace']) : []
    })
    const calls = (ls: Line[]) => ls.filter((l) => l.type === 'before').length
    expect(calls(raw)).toBeGreaterThan(calls(all))
    // Every action left is a step group or inside one; the prompt probes are gone.
    const ids = new Map(all.filter((l) => l.type === 'before').map((l) => [l.callId!, l]))
    for (const l of ids.values()) {
      if (l.method === 'tracingGroup') continue
      expect(l.parentId, `${l.method} sits in a step`).toBeDefined()
      expect(ids.get(l.parentId!)?.method).toBeDefined()
      expect(l.method).not.toMatch(/^evaluate/)
    }
    // The engine's source paths stay out; so does the secret.
    expect(all.some((l) => l.stack !== undefined)).toBe(false)
    expect(Object.keys(zip).some((n) => n.endsWith('.stacks'))).toBe(false)
    for (const [name, bytes] of Object.entries(zip)) expect(Buffer.from(bytes).includes(SECRET), name).toBe(false)
    // The viewer labels each segment by the context title.
    const titles = all.filter((l) => l.type === 'context-options').map((l) => l.title)
    expect(titles).toEqual(['Steps 1–2', 'Steps 5–6'])

    // Asked again with nothing new, the same file answers.
    expect(runTraceFile(h.core.ws.store, h.core.ws.paths, run.id)!.path).toBe(stitched!.path)
  })

  it('a run without a trace has none to serve', async () => {
    const run = await h.finished(h.start(`name: No trace\nsteps:\n  - goto: ${site.url}/form\n`).id)
    expect(runTraceFile(h.core.ws.store, h.core.ws.paths, run.id)).toBeNull()
  })
})
