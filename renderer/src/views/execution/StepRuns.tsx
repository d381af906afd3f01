// The runs started from one step, newest first, as the core derives them: a failure that
// still blocks the track offers a retry with the flow as it is now, or a dismissal with a
// note; a success offers "mark done" (and, when the track keeps evidence, where to file it).
import { useState, type FormEvent } from 'react'
import type { RunResolution, StepRunLink, Track, TrackStep } from '@shared/domain'
import { FormError, TextField } from '../../components/Field'
import { StateBadge } from '../../components/StateBadge'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { dismissRun, markRunDone, runAction } from '../../stores/runs'
import { refreshTrack } from '../../stores/tracks'

export function StepRuns({ track, step }: { track: Track; step: TrackStep }) {
  if (step.runs.length === 0) return null
  return (
    <ul className="step-runs" aria-label={`Runs of step ${step.title}`}>
      {step.runs.map((r) => (
        <StepRunItem key={r.id} track={track} step={step} run={r} />
      ))}
    </ul>
  )
}

const HOW: Record<RunResolution['how'], string> = {
  'succeeded-later': 'cleared by a later success',
  retried: 'retried',
  dismissed: 'dismissed',
}

function resolutionText(r: RunResolution): string {
  return `${HOW[r.how]} by ${r.by}${r.note ? `: “${r.note}”` : ''}`
}

function StepRunItem({ track, step, run }: { track: Track; step: TrackStep; run: StepRunLink }) {
  const [dismissing, setDismissing] = useState(false)
  const retry = useAction(async () => {
    const next = await runAction(run.id, 'retry')
    notify(`Retry started: attempt ${next.attempt}`)
    await refreshTrack(track.id)
  })
  return (
    <li
      className="step-run small"
      data-testid="step-run"
      data-run-id={run.id}
      data-status={run.status}
      data-blocking={run.blocking}
    >
      <span>
        Run <a href={href.run(run.id)}>{run.title}</a> <StateBadge state={run.status} />
        {run.attempt > 1 && <span className="muted"> · attempt {run.attempt}</span>}
      </span>
      {run.resolution && (
        <span className="muted" data-testid="step-run-resolution">
          {resolutionText(run.resolution)}
        </span>
      )}
      {run.blocking && !dismissing && (
        <span className="step-run-actions">
          <button type="button" className="small" disabled={retry.pending} onClick={() => void retry.run()}>
            Retry with current flow
          </button>
          <button type="button" className="ghost small" onClick={() => setDismissing(true)}>
            Dismiss…
          </button>
        </span>
      )}
      {run.offersMarkDone && <MarkDone track={track} step={step} runId={run.id} />}
      {dismissing && <DismissForm trackId={track.id} runId={run.id} title={run.title} onClose={() => setDismissing(false)} />}
    </li>
  )
}

function DismissForm({ trackId, runId, title, onClose }: { trackId: string; runId: string; title: string; onClose: () => void }) {
  const [note, setNote] = useState('')
  const dismiss = useAction(
    async () => {
      await dismissRun(runId, note.trim())
      await refreshTrack(trackId)
    },
    { announce: false },
  )
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (await dismiss.run()) {
      notify('Failure dismissed')
      onClose()
    }
  }
  return (
    <form className="inline-form step-run-form" aria-label={`Dismiss the failure of ${title}`} onSubmit={(e) => void submit(e)}>
      <TextField
        label="Why it no longer blocks"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        required
        maxLength={2000}
        autoFocus
      />
      <FormError error={dismiss.error} />
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={dismiss.pending || !note.trim()}>
          Dismiss failure
        </button>
        <button type="button" className="ghost small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  )
}

function MarkDone({ track, step, runId }: { track: Track; step: TrackStep; runId: string }) {
  const evidence = track.checkpoints.filter((c) => c.kind === 'evidence' && c.state !== 'passed')
  const [checkpointId, setCheckpointId] = useState('')
  const mark = useAction(async () => {
    await markRunDone(runId, checkpointId || null)
    notify(`Step “${step.title}” done`)
    await refreshTrack(track.id)
  })
  const selectId = `evidence-for-${runId}`
  return (
    <span className="step-run-actions">
      {evidence.length > 0 && (
        <span className="field compact-field">
          <label htmlFor={selectId}>Evidence for</label>
          <select id={selectId} className="compact" value={checkpointId} onChange={(e) => setCheckpointId(e.target.value)}>
            <option value="">no checkpoint</option>
            {evidence.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </span>
      )}
      <button
        type="button"
        className="primary small"
        disabled={mark.pending}
        aria-label={`Mark step ${step.title} done`}
        onClick={() => void mark.run()}
      >
        Mark done
      </button>
    </span>
  )
}
