// Only the actions the run's status allows; the server still refuses anything illegal (409),
// which we show rather than hide.
import type { Run } from '@shared/domain'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { refreshRun, runAction, type RunAction } from '../../stores/runs'
import { href } from '../../lib/route'

function allowed(run: Run): RunAction[] {
  switch (run.status) {
    case 'waiting-approval':
      return ['approve', 'reject', 'cancel']
    case 'waiting-mfa':
      return ['resume', 'cancel']
    case 'queued':
    case 'running':
      return ['cancel']
    case 'failed':
    case 'interrupted':
    case 'canceled':
      return ['retry']
    default:
      return []
  }
}

const LABEL: Record<RunAction, string> = {
  approve: 'Approve',
  reject: 'Reject',
  cancel: 'Cancel run',
  retry: 'Retry',
  resume: 'Resume',
}

export function RunActions({ run }: { run: Run }) {
  const act = useAction(async (a: RunAction) => {
    const next = await runAction(run.id, a)
    if (a === 'retry' && next.id !== run.id) {
      notify('Retry started')
      window.location.hash = href.run(next.id)
    } else await refreshRun(run.id)
  })
  const actions = allowed(run)
  if (actions.length === 0) return null
  return (
    <div className="form-actions" role="group" aria-label="Run actions">
      {actions.map((a) => (
        <button
          key={a}
          type="button"
          className={a === 'reject' || a === 'cancel' ? 'danger small' : 'primary small'}
          disabled={act.pending}
          onClick={() => void act.run(a)}
        >
          {LABEL[a]}
        </button>
      ))}
    </div>
  )
}
