// Changing workspace settings: the rows change in one write, and what already runs under the
// old values (the run queue's concurrency) is told at once rather than at the next start.
import type { z } from 'zod'
import type { SettingsPatch } from '../../shared/api'
import type { CoreContext } from './context'
import type { RunService } from './runs/service'
import { setSettings } from './store/settings'

/** The run queue's limit when the setting is cleared: the one RunService starts with. */
const DEFAULT_CONCURRENCY = 2

export function changeSettings(
  ctx: CoreContext,
  runs: Pick<RunService, 'setConcurrency'>,
  patch: z.output<typeof SettingsPatch>,
  by: string,
): void {
  setSettings(ctx.ws.store, patch)
  const c = patch['runs.concurrency']
  if (c !== undefined) runs.setConcurrency(c ?? DEFAULT_CONCURRENCY)
  ctx.log.info('settings changed', { by, keys: Object.keys(patch) })
}
