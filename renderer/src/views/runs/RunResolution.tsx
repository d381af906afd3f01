// Whether a failed linked run still blocks its track, and if not, how it stopped (who, why);
// while it blocks, a person may dismiss it with a note.
import { useState, type FormEvent } from 'react'
import type { Run } from '@shared/domain'
import { FormError, TextField } from '../../components/Field'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { dismissRun, refreshRun } from '../../stores/runs'

const HOW = { 'succeeded-later': 'Cleared by a later success', retried: 'Retried', dismissed: 'Dismissed' } as const

export function RunResolutionNote({ run }: { run: Run }) {
  const [note, setNote] = useState('')
  const dismiss = useAction(
    async () => {
      await dismissRun(run.id, note.trim())
      notify('Failure dismissed')
      await refreshRun(run.id)
    },
    { announce: false },
  )
  const r = run.resolution
  if (r) {
    return (
      <p className="callout small" data-testid="run-resolution" data-how={r.how}>
        {HOW[r.how]} by {r.by}
        {r.note ? `: “${r.note}”` : ''}
        {r.runId && (
          <>
            {' '}
            (<a href={href.run(r.runId)}>the run that carried on</a>)
          </>
        )}
      </p>
    )
  }
  if (!run.trackId || (run.status !== 'failed' && run.status !== 'blocked')) return null
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void dismiss.run()
  }
  return (
    <form className="inline-form" aria-label="Dismiss this failure" onSubmit={submit}>
      <p className="small muted">This failure blocks its track until a later success, a retry, or a dismissal.</p>
      <TextField label="Why it no longer blocks" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      <FormError error={dismiss.error} />
      <div className="form-actions">
        <button type="submit" className="small" disabled={dismiss.pending || !note.trim()}>
          Dismiss failure
        </button>
      </div>
    </form>
  )
}
