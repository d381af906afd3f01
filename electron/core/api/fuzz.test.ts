// Every route, fed inputs its schema refuses, answers 4xx in the error shape and leaves the
// database exactly as it was; 100 malformed flows are refused with located problems.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routes, type RouteName } from '../../../shared/api'
import { tempCore } from '../../../test/support/temp-workspace'

let core: Awaited<ReturnType<typeof tempCore>>
beforeAll(async () => {
  core = await tempCore({ demo: true })
})
afterAll(async () => {
  await core.cleanup()
})

const TABLES = ['tracks', 'steps', 'checkpoints', 'blockers', 'flows', 'flow_versions', 'runs', 'run_events', 'approvals', 'alerts', 'artifacts', 'secrets']
function snapshot(): string {
  const db = core.ws.store.sqlite
  return TABLES.map((t) => {
    const rows = db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()
    return `${t}:${JSON.stringify(rows)}`
  }).join('\n')
}

function concrete(path: string, id: string): string {
  return path.replace(/:([A-Za-z]+)/g, () => encodeURIComponent(id))
}

describe('API fuzz', () => {
  const names = Object.keys(routes) as RouteName[]
  it.each(names)('%s answers refused input with 4xx and changes nothing', async (name) => {
    const r = routes[name] as { method: string; path: string; body?: { safeParse(v: unknown): { success: boolean } }; query?: { safeParse(v: unknown): { success: boolean } } }
    const before = snapshot()
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }),
        fc.anything({ maxDepth: 3 }),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
        async (id, body, query) => {
          const bodyRefused = r.body ? !r.body.safeParse(body ?? {}).success : true
          const queryRefused = r.query ? !r.query.safeParse(query).success : Object.keys(query).length > 0
          // Only inputs the contract refuses: an accidental valid request may rightly write.
          fc.pre(bodyRefused || (r.query !== undefined && queryRefused) || id.length > 0)
          const path = concrete(r.path, id)
          const res = await core.router.handle({ method: r.method, path, query, body })
          if (res.status < 400) {
            // A read of an existing thing, or a route without input, may succeed; never a write.
            expect(['GET'].includes(r.method) || !bodyRefused, `${name} accepted ${JSON.stringify(body)}`).toBe(true)
            return
          }
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500)
          const err = (res.body as { error?: { code?: string; message?: string } }).error
          expect(typeof err?.code).toBe('string')
          expect(typeof err?.message).toBe('string')
        },
      ),
      { numRuns: 60 },
    )
    // Writes with refused input never reach the database.
    if (r.method !== 'GET') expect(snapshot()).toBe(before)
  })
})

describe('malformed flows', () => {
  const valid = `name: Fuzz
params: { month: { default: "2026-10" } }
allowedOrigins: ["http://127.0.0.1:9"]
steps:
  - goto: http://127.0.0.1:9/login
  - fill: { selector: "#email", value: "a@b.c" }
  - click: "button[type=submit]"
  - mfa: { until: { url: "**/dashboard" }, timeout: 15m }
  - download: { click: "text=Export CSV", saveAs: "invoices-\${params.month}.csv" }
  - expect: { text: "Export complete" }
`
  const lines = valid.split('\n')
  // Mutations a hand-edited file really suffers: a lost or extra character, a tab, a line
  // dropped or duplicated, a key renamed, an indent broken.
  const mutation = fc.oneof(
    fc.record({ k: fc.constant('delete' as const), line: fc.nat(lines.length - 1), col: fc.nat(30) }),
    fc.record({ k: fc.constant('insert' as const), line: fc.nat(lines.length - 1), col: fc.nat(30), ch: fc.constantFrom(':', '{', '}', '[', '"', "'", '\t', '-', ' ', '$', '#', '&', '*') }),
    fc.record({ k: fc.constant('dupLine' as const), line: fc.nat(lines.length - 1) }),
    fc.record({ k: fc.constant('dropLine' as const), line: fc.integer({ min: 3, max: lines.length - 2 }) }),
    fc.record({ k: fc.constant('rename' as const), from: fc.constantFrom('goto', 'fill', 'click', 'mfa', 'steps', 'selector', 'timeout', 'until'), to: fc.constantFrom('gotoo', 'clik', 'fil', 'selctor', 'timout', 'untill') }),
    fc.record({ k: fc.constant('badValue' as const), what: fc.constantFrom('15 minutes', '-1s', '${params.nope}', '${secrets.missing}', 'null', '[]') }),
  )
  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never
  const apply = (src: string, m: Mutation): string => {
    const ls = src.split('\n')
    switch (m.k) {
      case 'delete': {
        const l = ls[m.line] ?? ''
        ls[m.line] = l.slice(0, m.col) + l.slice(m.col + 1)
        break
      }
      case 'insert': {
        const l = ls[m.line] ?? ''
        ls[m.line] = l.slice(0, m.col) + m.ch + l.slice(m.col)
        break
      }
      case 'dupLine':
        ls.splice(m.line, 0, ls[m.line] ?? '')
        break
      case 'dropLine':
        ls.splice(m.line, 1)
        break
      case 'rename':
        return src.replace(new RegExp(`\\b${m.from}:`), `${m.to}:`)
      case 'badValue':
        return src.replace('15m', m.what)
    }
    return ls.join('\n')
  }

  it('refuses 100 malformed flows before any run exists, each problem located', async () => {
    let refused = 0
    const before = snapshot()
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const src = ms.reduce((s, m) => apply(s, m), valid)
        const res = await core.router.handle({ method: 'POST', path: '/api/flows/validate', body: { source: src } })
        expect(res.status).toBe(200)
        const v = res.body as { ok: boolean; problems: { line: number; column: number; message: string }[] }
        if (v.ok) return
        refused++
        const n = src.split('\n').length + 1
        for (const p of v.problems) {
          expect(p.line).toBeGreaterThanOrEqual(1)
          expect(p.line).toBeLessThanOrEqual(n)
          expect(p.column).toBeGreaterThanOrEqual(1)
          expect(p.message.length).toBeGreaterThan(5)
        }
        const run = await core.router.handle({ method: 'POST', path: '/api/runs', body: { flow: src } })
        expect(run.status).toBe(400)
        expect((run.body as { error: { problems?: unknown[] } }).error.problems?.length).toBe(v.problems.length)
      }),
      { numRuns: 160, seed: 20261123 },
    )
    expect(refused).toBeGreaterThanOrEqual(100)
    expect(snapshot()).toBe(before)
  })
})
