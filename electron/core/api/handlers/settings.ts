import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import type { Actor, PolicyView, PoolEndpointStatus, WorkspaceSettingsView } from '../../../../shared/api'
import { DEFAULT_POLICY } from '../../../../shared/policy'
import type { CoreContext } from '../../context'
import { resolveExecutable } from '../../engine'
import { parsePolicy, PolicyConfigError } from '../../policy'
import { policyChanges, savePolicy, storedPolicySource } from '../../policy-store'
import type { RunService } from '../../runs/service'
import { changeSettings } from '../../settings-change'
import { allSettings } from '../../store/settings'
import type { Handlers } from '../router'

/** The documented defaults shipped in resources/, wherever this build keeps them. */
function defaultPolicySource(): string {
  const candidates = [
    new URL('../../../../resources/policy.default.yaml', import.meta.url),
    new URL('../../resources/policy.default.yaml', import.meta.url),
  ]
  for (const c of candidates) {
    if (c.protocol === 'file:' && existsSync(fileURLToPath(c))) return readFileSync(fileURLToPath(c), 'utf8')
  }
  return stringify(DEFAULT_POLICY)
}

/** `pool` reports the browser servers' health as the engine sees it (Settings shows it). */
export function settingsHandlers(ctx: CoreContext, runs: RunService, pool: () => PoolEndpointStatus[] = () => []): Handlers {
  const store = ctx.ws.store
  const view = (you: Actor): WorkspaceSettingsView => {
    const settings = allSettings(store)
    let path: string | null = null
    let problem: string | null = null
    try {
      path = resolveExecutable({ setting: settings['browser.executablePath'] })
    } catch (err) {
      problem = (err as Error).message
    }
    return { workspace: ctx.ws.dir, settings, browser: { path, problem, remote: settings['browser.endpoint'] ?? null }, pool: pool(), you }
  }
  const policyView = (): PolicyView => {
    const stored = storedPolicySource(store)
    const source = stored ?? defaultPolicySource()
    let problems: PolicyView['problems'] = []
    try {
      parsePolicy(source, 'policy.yaml')
    } catch (err) {
      if (!(err instanceof PolicyConfigError)) throw err
      problems = err.issues.map((i) => ({ line: i.line, column: i.column, message: i.path ? `${i.path}: ${i.message}` : i.message }))
    }
    return { path: ctx.ws.paths.policy, exists: stored !== null, source, problems, changes: policyChanges(store) }
  }
  return {
    getSettings: ({ actor }) => view(actor),
    updateSettings: ({ body, actor }) => {
      changeSettings(ctx, runs, body, actor.name)
      return view(actor)
    },
    getPolicy: () => policyView(),
    putPolicy: ({ body, actor }) => {
      // Refuse a broken policy rather than store it: a stored broken policy would refuse every run.
      try {
        parsePolicy(body.source, 'policy.yaml')
      } catch (err) {
        if (!(err instanceof PolicyConfigError)) throw err
        return {
          ...policyView(),
          source: body.source,
          problems: err.issues.map((i) => ({ line: i.line, column: i.column, message: i.path ? `${i.path}: ${i.message}` : i.message })),
        }
      }
      const change = savePolicy(store, body.source, actor.name, ctx.ws.paths.policy)
      ctx.log.info('policy changed', { by: change.by, diff: change.diff })
      return policyView()
    },
  }
}
