import { existsSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PolicyView, WorkspaceSettingsView } from '../../../shared/api'
import type { PolicyResult } from '../../../shared/domain'
import { tempCore } from '../../../test/support/temp-workspace'

let core: Awaited<ReturnType<typeof tempCore>>
beforeEach(async () => {
  core = await tempCore()
})
afterEach(async () => {
  await core.cleanup()
})
const call = (method: string, path: string, body?: unknown) => core.router.handle({ method, path, body })

describe('settings', () => {
  it('stores settings, reports the browser runs would use, and clears with null', async () => {
    let v = (await call('GET', '/api/settings')).body as WorkspaceSettingsView
    expect(v.workspace).toBe(core.ws.dir)
    expect(v.browser.path ?? v.browser.problem).toBeTruthy()
    v = (await call('PATCH', '/api/settings', { 'runs.concurrency': 4, 'browser.executablePath': '/nope/chrome' })).body as WorkspaceSettingsView
    expect(v.settings['runs.concurrency']).toBe(4)
    expect(v.browser.path).toBeNull()
    expect(v.browser.problem).toMatch(/No browser at \/nope\/chrome/)
    v = (await call('PATCH', '/api/settings', { 'browser.executablePath': null })).body as WorkspaceSettingsView
    expect(v.settings['browser.executablePath']).toBeUndefined()
  })
  it('refuses bad values naming the setting', async () => {
    const res = await call('PATCH', '/api/settings', { 'runs.concurrency': 0 })
    expect(res.status).toBe(400)
    expect((res.body as { error: { field: string } }).error.field).toBe('runs.concurrency')
    expect((await call('PATCH', '/api/settings', { 'browser.endpoint': 'http://x' })).status).toBe(400)
  })
  it('takes browser servers with a ws URL, a capacity of at least 1 and a unique name, and lists their state', async () => {
    const ok = { name: 'rack 1', endpoint: 'ws://10.0.0.5:3000/abc', capacity: 3 }
    const refused = async (entry: Record<string, unknown>, extra: Record<string, unknown>[] = []) => {
      const res = await call('PATCH', '/api/settings', { 'browser.pool': [...extra, entry] })
      expect(res.status).toBe(400)
      return (res.body as { error: { field: string; message: string } }).error
    }
    expect((await refused({ ...ok, endpoint: 'http://10.0.0.5:3000' })).message).toMatch(/ws:\/\/ or wss:\/\//)
    expect((await refused({ ...ok, capacity: 0 })).message).toMatch(/at least 1/)
    expect((await refused({ ...ok, name: '' })).field).toMatch(/^browser\.pool/)
    expect((await refused(ok, [ok])).message).toMatch(/"rack 1" is used twice/)
    expect((await refused({ ...ok, extra: true })).field).toMatch(/^browser\.pool/)
    const v = (await call('PATCH', '/api/settings', { 'browser.pool': [ok] })).body as WorkspaceSettingsView
    expect(v.settings['browser.pool']).toEqual([ok])
    // Not used yet: its state is unknown until a run connects.
    expect(v.pool).toEqual([{ ...ok, state: 'unknown', running: 0, reason: null, since: null }])
    const cleared = (await call('PATCH', '/api/settings', { 'browser.pool': null })).body as WorkspaceSettingsView
    expect(cleared.pool).toEqual([])
  })
})

describe('policy file', () => {
  it('shows the shipped defaults until a workspace policy exists', async () => {
    const p = (await call('GET', '/api/policy')).body as PolicyView
    expect(p.exists).toBe(false)
    expect(p.source).toMatch(/offListOrigin/)
    expect(p.problems).toEqual([])
  })
  it('refuses a broken policy with its line and keeps the old one', async () => {
    const bad = 'commands:\n  extraDenny: ["x"]\n'
    const res = (await call('POST', '/api/policy', { source: bad })).body as PolicyView
    expect(res.problems[0]).toMatchObject({ line: 2 })
    expect(existsSync(core.ws.paths.policy)).toBe(false)
  })
  it('saves a valid policy that the next judgement uses', async () => {
    const before = (await call('POST', '/api/policy-check', { command: 'make deploy' })).body as PolicyResult
    expect(before.verdict).toBe('allow')
    const res = (await call('POST', '/api/policy', { source: 'commands:\n  extraApproval: ["make deploy"]\n' })).body as PolicyView
    expect(res.problems).toEqual([])
    expect(readFileSync(core.ws.paths.policy, 'utf8')).toContain('make deploy')
    const after = (await call('POST', '/api/policy-check', { command: 'make deploy' })).body as PolicyResult
    expect(after.verdict).toBe('requires-approval')
  })
})
