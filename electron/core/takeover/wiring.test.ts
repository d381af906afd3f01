// The hub as the core wires it: a real browser run waits for MFA, a viewer attached before
// the wait goes live by itself, types the code, and the run's log reads in order with
// counts only. Nothing typed reaches the database or the log.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { capturingLogger } from '../../../test/support/engine-harness'
import { tempCore } from '../../../test/support/temp-workspace'
import { press, typeKeys, until } from '../../../test/support/takeover-harness'
import { TestViewer } from '../../../test/support/takeover-viewer'

let site: FixtureSite
let core: Awaited<ReturnType<typeof tempCore>>
const log = capturingLogger()

beforeAll(async () => {
  site = await startFixtureSite()
  core = await tempCore({ log })
})
afterAll(async () => {
  await core?.cleanup()
  await site?.close()
})

function dbBytes(): Buffer {
  const db = core.ws.paths.db
  const parts = [readFileSync(db)]
  try {
    parts.push(readFileSync(`${db}-wal`))
  } catch {
    // Checkpointed: the main file holds everything.
  }
  return Buffer.concat(parts)
}

describe('takeover wired into the core', () => {
  it('goes live when the run starts waiting, and logs who and how much, in order', async () => {
    const run = core.runs.create({
      flow: `name: Wired\nviewport: { width: 1000, height: 700 }\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`,
    })
    const v = new TestViewer('v1', 'alice')
    v.handle = core.takeover.attach(run.id, v)
    const live = await v.next('status', (s) => s.live, { timeoutMs: 45_000, past: true })
    expect(live.runStatus).toBe('waiting-mfa')
    expect(Date.parse(live.timeoutAt!) - Date.parse(live.waitingSince!)).toBe(15 * 60_000)
    await v.next('frame', () => true, { past: true })
    v.up({ type: 'lease', want: true })
    typeKeys(v, site.code)
    press(v, 'Enter', 'Enter')
    await until(() => ['succeeded', 'failed'].includes(core.runs.mustRun(run.id).status), 45_000)
    expect(core.runs.mustRun(run.id).status).toBe('succeeded')
    await v.next('status', (s) => s.runStatus === 'succeeded' && !s.live, { past: true })

    const events = core.runs.events.list(run.id, 0, 1000)
    const types = events.map((e) => e.type)
    const order = ['mfa.detected', 'takeover.started', 'takeover.input', 'takeover.ended'].map((t) => types.indexOf(t))
    expect(order.every((i) => i >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    // Every count was written before the engine said the takeover ended.
    expect(types.lastIndexOf('takeover.input')).toBeLessThan(types.indexOf('takeover.ended'))
    expect(events.find((e) => e.type === 'takeover.started')!.data).toMatchObject({ by: 'alice', viewer: 'v1' })
    const keys = events.filter((e) => e.type === 'takeover.input').reduce((n, e) => n + Number(e.data.keys), 0)
    expect(keys).toBe(7)
    expect(dbBytes().includes(Buffer.from(site.code))).toBe(false)
    expect(log.lines.join('\n')).not.toContain(site.code)
    v.handle.detach()
  })

  it('refuses to attach to a run that does not exist', () => {
    expect(() => core.takeover.attach('run_missing', new TestViewer('x', 'x'))).toThrow(/not found/)
  })
})
