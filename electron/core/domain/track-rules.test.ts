import { describe, expect, it } from 'vitest'
import {
  canDismiss,
  canMarkDone,
  factsFrom,
  MFA_WAITING_ON,
  nextCheckpointOf,
  offersMarkDone,
  progressOf,
  runBlocks,
  stateOf,
  stepStateOnRunStart,
  summarize,
  waitingOnOf,
} from './track-rules'

const step = (state: 'queued' | 'active' | 'done' | 'blocked' | 'skipped', core = true) => ({ state, core })
const cp = (state: 'pending' | 'ready' | 'waiting' | 'passed' | 'failed') => ({ state })
const facts = (...args: Parameters<typeof factsFrom>) => factsFrom(...args)

describe('progress', () => {
  it('is done core steps over core steps', () => {
    const f = facts([step('done'), step('done'), step('active'), step('queued')], [], [], [])
    expect(progressOf(f)).toBe(0.5)
  })
  it('ignores non-core steps entirely', () => {
    const f = facts([step('done'), step('queued', false), step('done', false)], [], [], [])
    expect(progressOf(f)).toBe(1)
    expect(f.coreTotal).toBe(1)
  })
  it('is 0 with no core steps at all', () => {
    expect(progressOf(facts([], [], [], []))).toBe(0)
    expect(progressOf(facts([step('done', false)], [], [], []))).toBe(0)
  })
  it('does not owe skipped core steps', () => {
    const f = facts([step('done'), step('skipped')], [], [], [])
    expect(progressOf(f)).toBe(1)
    expect(stateOf(f)).toBe('done')
  })
  it('all core steps skipped: 0% and still active, nothing was done', () => {
    const f = facts([step('skipped'), step('skipped')], [], [], [])
    expect(progressOf(f)).toBe(0)
    expect(stateOf(f)).toBe('active')
  })
})

describe('state precedence blocked > waiting > done > active', () => {
  it('an empty track is active, not done', () => {
    expect(stateOf(facts([], [], [], []))).toBe('active')
  })
  it('all core steps done and checkpoints passed is done', () => {
    expect(stateOf(facts([step('done')], [cp('passed')], [], []))).toBe('done')
  })
  it('done steps with a checkpoint not yet passed is active', () => {
    expect(stateOf(facts([step('done')], [cp('ready')], [], []))).toBe('active')
  })
  it('a failed checkpoint on a done track is blocked', () => {
    expect(stateOf(facts([step('done')], [cp('failed')], [], []))).toBe('blocked')
  })
  it('a blocked step blocks, even a non-core one', () => {
    expect(stateOf(facts([step('done'), step('blocked', false)], [], [], []))).toBe('blocked')
  })
  it('an open blocker blocks; a resolved one does not', () => {
    expect(stateOf(facts([step('active')], [], [{ open: true }], []))).toBe('blocked')
    expect(stateOf(facts([step('active')], [], [{ open: false }], []))).toBe('active')
  })
  it('a failed or policy-blocked run blocks until resolved', () => {
    expect(stateOf(facts([step('active')], [], [], [{ status: 'failed', resolved: false }]))).toBe('blocked')
    expect(stateOf(facts([step('active')], [], [], [{ status: 'blocked', resolved: false }]))).toBe('blocked')
    expect(stateOf(facts([step('active')], [], [], [{ status: 'failed', resolved: true }]))).toBe('active')
  })
  it('a waiting run or waiting checkpoint makes the track waiting', () => {
    expect(stateOf(facts([step('active')], [], [], [{ status: 'waiting-mfa', resolved: false }]))).toBe('waiting')
    expect(stateOf(facts([step('active')], [], [], [{ status: 'waiting-approval', resolved: false }]))).toBe('waiting')
    expect(stateOf(facts([step('active')], [cp('waiting')], [], []))).toBe('waiting')
  })
  it('blocked wins over waiting, waiting wins over done', () => {
    expect(stateOf(facts([step('blocked')], [cp('waiting')], [], []))).toBe('blocked')
    expect(stateOf(facts([step('done')], [cp('waiting')], [], []))).toBe('waiting')
  })
  it('succeeded, canceled and interrupted runs do not change the state', () => {
    const runs = ['succeeded', 'canceled', 'interrupted', 'running', 'queued'].map((status) => ({ status, resolved: false }))
    expect(stateOf(facts([step('active')], [], [], runs))).toBe('active')
  })
})

describe('waitingOn', () => {
  it('is derived from a run waiting for MFA, overriding the stored text', () => {
    const f = facts([], [], [], [{ status: 'waiting-mfa', resolved: false }])
    expect(waitingOnOf(f, 'Vendor reply')).toBe(MFA_WAITING_ON)
  })
  it('keeps the operator text when no run waits', () => {
    expect(waitingOnOf(facts([], [], [], []), 'Vendor reply')).toBe('Vendor reply')
    expect(waitingOnOf(facts([], [], [], []), null)).toBeNull()
  })
})

describe('next checkpoint', () => {
  it('is the first not-passed checkpoint by ordinal', () => {
    const cps = [
      { ordinal: 3, state: 'pending' as const, id: 'c' },
      { ordinal: 1, state: 'passed' as const, id: 'a' },
      { ordinal: 2, state: 'failed' as const, id: 'b' },
    ]
    expect(nextCheckpointOf(cps)?.id).toBe('b')
    expect(nextCheckpointOf([{ ordinal: 1, state: 'passed' as const }])).toBeNull()
    expect(nextCheckpointOf([])).toBeNull()
  })
})

describe('summary', () => {
  it('counts states and averages progress', () => {
    const s = summarize([
      { state: 'active', progress: 0.5 },
      { state: 'waiting', progress: 0.25 },
      { state: 'blocked', progress: 0 },
      { state: 'done', progress: 1 },
    ])
    expect(s).toEqual({ active: 1, waiting: 1, blocked: 1, done: 1, total: 4, averageProgress: 0.438 })
  })
  it('is all zeros for no tracks', () => {
    expect(summarize([])).toEqual({ active: 0, waiting: 0, blocked: 0, done: 0, total: 0, averageProgress: 0 })
  })
})

describe('runs and their steps follow each other', () => {
  it('a run starting makes a queued or blocked step active, never reopens a done or skipped one', () => {
    expect(stepStateOnRunStart('queued')).toBe('active')
    expect(stepStateOnRunStart('blocked')).toBe('active')
    expect(stepStateOnRunStart('active')).toBe('active')
    expect(stepStateOnRunStart('done')).toBe('done')
    expect(stepStateOnRunStart('skipped')).toBe('skipped')
  })
  it('a failed or blocked run blocks until resolved; other ends never do', () => {
    expect(runBlocks({ status: 'failed', resolvedAt: null })).toBe(true)
    expect(runBlocks({ status: 'blocked', resolvedAt: null })).toBe(true)
    expect(runBlocks({ status: 'failed', resolvedAt: '2026-11-27T10:00:00Z' })).toBe(false)
    for (const status of ['succeeded', 'canceled', 'interrupted', 'running', 'waiting-mfa'])
      expect(runBlocks({ status, resolvedAt: null }), status).toBe(false)
  })
  it('a success offers mark done only while the step is owed', () => {
    expect(offersMarkDone({ status: 'succeeded' }, { state: 'active' })).toBe(true)
    expect(offersMarkDone({ status: 'succeeded' }, { state: 'done' })).toBe(false)
    expect(offersMarkDone({ status: 'succeeded' }, { state: 'skipped' })).toBe(false)
    expect(offersMarkDone({ status: 'failed' }, { state: 'active' })).toBe(false)
  })
  it('dismissing needs a blocking, unresolved run and a note', () => {
    const run = { id: 'run_1', status: 'failed', resolvedAt: null }
    expect(canDismiss(run, 'vendor fixed it by hand')).toEqual({ ok: true })
    expect(canDismiss(run, '   ')).toMatchObject({ ok: false, kind: 'bad_request', field: 'note' })
    expect(canDismiss(run, null)).toMatchObject({ ok: false, kind: 'bad_request' })
    expect(canDismiss({ ...run, status: 'succeeded' }, 'x')).toMatchObject({ ok: false, kind: 'conflict' })
    expect(canDismiss({ ...run, resolvedAt: '2026-11-27T10:00:00Z' }, 'x')).toMatchObject({ ok: false, kind: 'conflict' })
  })
  it('mark done needs a successful run of a step; evidence goes to an evidence checkpoint of the same track', () => {
    const run = { id: 'run_1', status: 'succeeded', stepId: 'stp_1', trackId: 'trk_1' }
    expect(canMarkDone(run, null)).toEqual({ ok: true })
    expect(canMarkDone(run, { id: 'chk_1', trackId: 'trk_1', kind: 'evidence' })).toEqual({ ok: true })
    expect(canMarkDone(run, { id: 'chk_1', trackId: 'trk_2', kind: 'evidence' })).toMatchObject({ ok: false, field: 'checkpointId' })
    expect(canMarkDone(run, { id: 'chk_1', trackId: 'trk_1', kind: 'review' })).toMatchObject({ ok: false, field: 'checkpointId' })
    expect(canMarkDone({ ...run, status: 'failed' }, null)).toMatchObject({ ok: false, kind: 'conflict' })
    expect(canMarkDone({ ...run, stepId: null }, null)).toMatchObject({ ok: false, kind: 'conflict' })
  })
})
