// Helpers for specs that need run history: flows against the fixture site registered and run
// through the API (as the CLI or another operator would), and waits on a run's outcome.
import { expect } from '@playwright/test'
import type { Host } from '../fixtures'

export interface RunInfo {
  id: string
  status: string
  phase: string
  error: string | null
}

export const TERMINAL = ['succeeded', 'failed', 'canceled', 'blocked', 'interrupted']

export async function registerFlow(host: Host, source: string): Promise<{ id: string; name: string }> {
  const res = await host.api.post('/api/flows', { data: { source } })
  expect(res.status(), await res.text()).toBe(201)
  return (await res.json()) as { id: string; name: string }
}

export async function startRun(host: Host, body: Record<string, unknown>): Promise<RunInfo> {
  const res = await host.api.post('/api/runs', { data: body })
  expect(res.status(), await res.text()).toBe(201)
  return (await res.json()) as RunInfo
}

export async function waitDone(host: Host, id: string, timeout = 45_000): Promise<RunInfo> {
  let run: RunInfo | null = null
  await expect
    .poll(async () => (run = (await (await host.api.get(`/api/runs/${id}`)).json()) as RunInfo).status, {
      timeout,
      intervals: [100, 250, 500],
    })
    .toMatch(new RegExp(`^(${TERMINAL.join('|')})$`))
  return run!
}

/** A flow that opens a plain fixture page and takes `shots` screenshots of it. */
export function snapshotFlow(siteUrl: string, name: string, shots = 1): string {
  const steps = [`  - goto: ${siteUrl}/search`]
  for (let i = 1; i <= shots; i++) steps.push(`  - screenshot: { name: page-${i} }`)
  return `name: ${name}\nallowedOrigins: ["${siteUrl}"]\nsteps:\n${steps.join('\n')}\n`
}

/** A flow that fails on its second step, the same way every time. */
export function failingFlow(siteUrl: string, name: string): string {
  return `name: ${name}\nallowedOrigins: ["${siteUrl}"]\nsteps:\n  - goto: ${siteUrl}/search\n  - expect: { text: "This text is never on the page", timeout: 1s }\n`
}
