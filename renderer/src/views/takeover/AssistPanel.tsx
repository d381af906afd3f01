// Above the live page while a failed step waits for a person (waiting-assist): what failed,
// and the decision — run the step again, skip it, or fail the run — with an optional note.
import { useState } from 'react'
import type { RunEvent } from '@shared/domain'
import { call } from '../../api/client'
import { useAction } from '../../lib/useAction'
import { refreshRun } from '../../stores/runs'

type Action = 'retry-step' | 'skip-step' | 'fail'

const CHOICES: { action: Action; label: string; testId: string; className?: string }[] = [
  { action: 'retry-step', label: 'Run the step again', testId: 'assist-retry', className: 'primary' },
  { action: 'skip-step', label: 'Skip the step', testId: 'assist-skip' },
  { action: 'fail', label: 'Fail the run', testId: 'assist-fail', className: 'danger' },
]

export function AssistPanel({
  runId,
  events,
  beforeDecide,
}: {
  runId: string
  events: RunEvent[]
  /** Hands control of the page back before the engine takes it again. */
  beforeDecide: () => Promise<void>
}) {
  const [note, setNote] = useState('')
  const asked = [...events].reverse().find((e) => e.type === 'assist.requested')
  const d = (asked?.data ?? {}) as { index?: number; label?: string; line?: number; error?: string }
  const decide = useAction(async (action: Action) => {
    await beforeDecide()
    await call('continueRun', { params: { id: runId }, body: note.trim() ? { action, note: note.trim() } : { action } })
    await refreshRun(runId)
  })
  return (
    <div className="callout assist-panel" data-testid="assist-panel" role="region" aria-label="A step failed">
      <p>
        <strong>
          Step {d.index ?? '?'} failed{d.label ? `: ${d.label}` : ''}
          {d.line ? ` (line ${d.line})` : ''}
        </strong>
      </p>
      {d.error && (
        <p className="small" data-testid="assist-error">
          {d.error}
        </p>
      )}
      <p className="muted small">Fix the page below if you can, then decide how the run goes on.</p>
      <label className="small">
        Note (optional){' '}
        <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} data-testid="assist-note" />
      </label>
      <div className="takeover-actions">
        {CHOICES.map((c) => (
          <button
            key={c.action}
            type="button"
            className={c.className}
            data-testid={c.testId}
            disabled={decide.pending}
            onClick={() => void decide.run(c.action)}
          >
            {c.label}
          </button>
        ))}
      </div>
    </div>
  )
}
