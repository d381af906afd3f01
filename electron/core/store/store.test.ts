import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore } from './db'
import { defaultMigrationsDir, SchemaError } from './migrate'
import { tempDir } from '../../../test/support/temp-workspace'
import { getTrack, listTracks } from './track-queries'
import { createTrack } from './tracks'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})
function tmp() {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return t.dir
}

describe('opening a workspace database', () => {
  it('applies migrations and turns on WAL, foreign keys and a busy timeout', () => {
    const s = openStore(join(tmp(), 'opdesk.db'))
    expect(s.schemaVersion).toBeGreaterThan(0)
    expect(s.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(s.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(s.sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000)
    const tables = s.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type='table'")
      .all()
      .map((r) => (r as { name: string }).name)
    for (const t of [
      'tracks',
      'steps',
      'checkpoints',
      'blockers',
      'flows',
      'runs',
      'run_events',
      'approvals',
      'alerts',
      'artifacts',
      'secrets',
      'profiles',
    ])
      expect(tables).toContain(t)
    s.close()
  })

  it('is idempotent: reopening applies nothing twice and keeps data', () => {
    const file = join(tmp(), 'opdesk.db')
    const a = openStore(file)
    const id = createTrack(a, { title: 'Keep me' })
    a.close()
    const b = openStore(file)
    expect(getTrack(b, id)?.title).toBe('Keep me')
    expect(b.sqlite.prepare('SELECT count(*) AS n FROM opdesk_migrations').get()).toEqual({ n: b.schemaVersion })
    b.close()
  })

  it('refuses a database written by a newer Opdesk, and changes nothing', () => {
    const file = join(tmp(), 'opdesk.db')
    const a = openStore(file)
    a.sqlite
      .prepare("INSERT INTO opdesk_migrations (idx, tag, hash, applied_at) VALUES (999, 'future', 'x', 'now')")
      .run()
    a.close()
    expect(() => openStore(file)).toThrow(SchemaError)
    expect(() => openStore(file)).toThrow(/newer Opdesk/)
  })

  it('reports an applied migration whose file was edited', () => {
    const dir = tmp()
    const migrations = join(dir, 'migrations')
    cpSync(defaultMigrationsDir(), migrations, { recursive: true })
    const file = join(dir, 'opdesk.db')
    openStore(file, { migrationsDir: migrations }).close()
    const sqlFile = join(migrations, '0000_init.sql')
    writeFileSync(sqlFile, readFileSync(sqlFile, 'utf8') + '\n-- edited\n')
    expect(() => openStore(file, { migrationsDir: migrations })).toThrow(/was edited/)
  })

  it('writes a track and its children all or nothing', () => {
    const s = openStore(join(tmp(), 'opdesk.db'))
    // Make the third step insert fail inside the transaction, as a full disk or a bug would.
    s.sqlite.exec(`CREATE TRIGGER fail_third BEFORE INSERT ON steps WHEN NEW.title = 'boom'
      BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`)
    expect(() => createTrack(s, { title: 'Half', steps: [{ title: 'a' }, { title: 'b' }, { title: 'boom' }] })).toThrow(
      /simulated/,
    )
    expect(listTracks(s)).toHaveLength(0)
    expect(s.sqlite.prepare('SELECT count(*) AS n FROM steps').get()).toEqual({ n: 0 })
    s.close()
  })
})

describe('two processes on one workspace', () => {
  it('open a fresh workspace at once and write concurrently without corruption or lost writes', async () => {
    const dir = tmp()
    mkdirSync(dir, { recursive: true })
    const script = join(dir, 'writer.ts')
    const storeModule = new URL('./db.ts', import.meta.url).pathname
    const tracksModule = new URL('./tracks.ts', import.meta.url).pathname
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(storeModule)}
       import { createTrack } from ${JSON.stringify(tracksModule)}
       const s = openStore(process.argv[2])
       for (let i = 0; i < 150; i++) createTrack(s, { title: process.argv[3] + ' ' + i, steps: [{ title: 'x' }] })
       s.close()`,
    )
    const file = join(dir, 'opdesk.db')
    const tsx = new URL('../../../node_modules/.bin/tsx', import.meta.url).pathname
    const run = (name: string) =>
      new Promise<number>((resolve, reject) => {
        const p = spawn(tsx, [script, file, name], { stdio: ['ignore', 'ignore', 'pipe'] })
        let err = ''
        p.stderr.on('data', (d) => (err += d))
        p.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(err))))
      })
    await Promise.all([run('A'), run('B')])
    const s = openStore(file)
    expect(s.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(s.sqlite.prepare('SELECT count(*) AS n FROM tracks').get()).toEqual({ n: 300 })
    expect(s.sqlite.prepare('SELECT count(*) AS n FROM steps').get()).toEqual({ n: 300 })
    expect(s.sqlite.prepare('SELECT count(*) AS n FROM opdesk_migrations').get()).toEqual({ n: s.schemaVersion })
    s.close()
  })
})

describe('trigger-kept track counters', () => {
  it('always equal the facts recomputed from the children, whatever changes', async () => {
    const fc = await import('fast-check')
    const { factsFrom } = await import('../domain/track-rules')
    const { addStep, addCheckpoint, addBlocker, updateStep, updateCheckpoint, updateBlocker } = await import('./tracks')
    const { trackFacts } = await import('./track-queries')
    const { insertRun, transition, patchRun } = await import('./runs')
    const s = openStore(join(tmp(), 'opdesk.db'))
    const a = createTrack(s, { title: 'A' })
    const b = createTrack(s, { title: 'B' })
    const stepState = fc.constantFrom('queued', 'active', 'done', 'blocked', 'skipped')
    const cpState = fc.constantFrom('pending', 'ready', 'waiting', 'passed', 'failed')
    const track = fc.constantFrom(a, b)
    const op = fc.oneof(
      fc.record({ k: fc.constant('step' as const), track, state: stepState, core: fc.boolean() }),
      fc.record({ k: fc.constant('cp' as const), track, state: cpState }),
      fc.record({ k: fc.constant('blocker' as const), track, open: fc.boolean() }),
      fc.record({ k: fc.constant('editStep' as const), i: fc.nat(), state: stepState }),
      fc.record({ k: fc.constant('editCp' as const), i: fc.nat(), state: cpState }),
      fc.record({ k: fc.constant('toggleBlocker' as const), i: fc.nat() }),
      fc.record({
        k: fc.constant('run' as const),
        track,
        to: fc.constantFrom('running', 'waiting-mfa', 'failed', 'blocked', 'succeeded'),
      }),
      fc.record({ k: fc.constant('resolveRun' as const), i: fc.nat() }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        for (const o of ops) {
          const all = [getTrack(s, a)!, getTrack(s, b)!]
          const steps = all.flatMap((t) => t.steps)
          const cps = all.flatMap((t) => t.checkpoints)
          const bls = all.flatMap((t) => t.blockers)
          const runIds = (s.sqlite.prepare('SELECT id FROM runs').all() as { id: string }[]).map((r) => r.id)
          if (o.k === 'step') addStep(s, o.track, { title: 's', state: o.state, core: o.core })
          else if (o.k === 'cp') addCheckpoint(s, o.track, { title: 'c', kind: 'review', state: o.state })
          else if (o.k === 'blocker') addBlocker(s, o.track, { title: 'b', open: o.open })
          else if (o.k === 'editStep' && steps.length) updateStep(s, steps[o.i % steps.length]!.id, { state: o.state })
          else if (o.k === 'editCp' && cps.length) updateCheckpoint(s, cps[o.i % cps.length]!.id, { state: o.state })
          else if (o.k === 'toggleBlocker' && bls.length) {
            const bl = bls[o.i % bls.length]!
            updateBlocker(s, bl.id, { open: !bl.open })
          } else if (o.k === 'run') {
            const r = insertRun(s, { kind: 'command', command: 'x', trackId: o.track })
            if (o.to === 'blocked') transition(s, r.id, 'blocked')
            else {
              transition(s, r.id, 'running')
              if (o.to !== 'running') transition(s, r.id, o.to)
            }
          } else if (o.k === 'resolveRun' && runIds.length)
            patchRun(s, runIds[o.i % runIds.length]!, { resolvedAt: new Date().toISOString() })
        }
        const stored = trackFacts(s)
        for (const id of [a, b]) {
          const t = getTrack(s, id)!
          const runs = s.sqlite.prepare('SELECT status, resolved_at FROM runs WHERE track_id = ?').all(id) as {
            status: string
            resolved_at: string | null
          }[]
          const expected = factsFrom(
            t.steps,
            t.checkpoints,
            t.blockers,
            runs.map((r) => ({ status: r.status, resolved: r.resolved_at !== null })),
          )
          expect(stored.get(id)).toEqual(expected)
        }
      }),
      { numRuns: 40 },
    )
    s.close()
  })
})

describe('the summary query', () => {
  it('counts exactly what the track rules say, on random counters', async () => {
    const fc = await import('fast-check')
    const { summarize, stateOf, progressOf } = await import('../domain/track-rules')
    const { summaryOfAll, trackFacts } = await import('./track-queries')
    const s = openStore(join(tmp(), 'opdesk.db'))
    const ids = Array.from({ length: 12 }, (_, i) => createTrack(s, { title: `T${i}` }))
    const small = fc.nat(3)
    const counters = fc.record({
      core_total: small,
      core_done: small,
      blocked_steps: small,
      checkpoints_total: small,
      checkpoints_passed: small,
      failed_checkpoints: small,
      waiting_checkpoints: small,
      open_blockers: small,
      unresolved_failed_runs: small,
      waiting_mfa_runs: small,
      waiting_approval_runs: small,
    })
    fc.assert(
      fc.property(fc.array(counters, { minLength: 12, maxLength: 12 }), (rows) => {
        rows.forEach((r, i) => {
          // Keep the counters coherent as triggers would (done ≤ total, passed ≤ total).
          const fixed = {
            ...r,
            core_done: Math.min(r.core_done, r.core_total),
            checkpoints_passed: Math.min(r.checkpoints_passed, r.checkpoints_total),
          }
          const sets = Object.keys(fixed)
            .map((k) => `${k} = @${k}`)
            .join(', ')
          s.sqlite.prepare(`UPDATE tracks SET ${sets} WHERE id = @id`).run({ ...fixed, id: ids[i] })
        })
        const facts = [...trackFacts(s).values()]
        expect(summaryOfAll(s)).toEqual(summarize(facts.map((f) => ({ state: stateOf(f), progress: progressOf(f) }))))
      }),
      { numRuns: 200 },
    )
    s.close()
  })
})
