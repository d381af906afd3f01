// Only the actions the run's status allows; the server still refuses anything illegal (409),
// which we show rather than hide. "Write report" is always there: a report of a run still
// going is a snapshot, which is what an operator handing over wants.
import { useState } from 'react'
import type { Artifact, Run } from '@shared/domain'
import { resumeRefusal } from '@shared/wording'
import { call, isApiError } from '../../api/client'
import { artifactHref } from '../../lib/artifacts'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { refreshArtifacts, refreshRun, runAction, type RunAction } from '../../stores/runs'
import { fileNameOf } from './ArtifactGallery'
import { RunResolutionNote } from './RunResolution'

function allowed(run: Run): RunAction[] {
  switch (run.status) {
    case 'waiting-approval':
      return ['approve', 'reject', 'cancel']
    case 'waiting-mfa':
      return ['resume', 'cancel']
    case 'waiting-assist':
      return ['cancel']
    case 'queued':
    case 'running':
      return ['cancel']
    case 'failed':
    case 'blocked':
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
  retry: 'Retry with current flow',
  resume: 'Resume',
}

export function RunActions({ run }: { run: Run }) {
  const [report, setReport] = useState<Artifact | null>(null)
  const act = useAction(async (a: RunAction) => {
    const next = await runAction(run.id, a).catch((e: unknown) => {
      // A refused resume: this page has no Force resume; say what to do here instead.
      if (a === 'resume' && isApiError(e) && e.status === 409) throw new Error(resumeRefusal(e.message, { canForce: false }))
      throw e
    })
    if (a === 'retry' && next.id !== run.id) {
      notify('Retry started')
      window.location.hash = href.run(next.id)
    } else await refreshRun(run.id)
  })
  const write = useAction(async () => {
    const a = await call('reportRun', { params: { id: run.id } })
    setReport(a)
    notify(`Report written: ${a.name}`)
    await refreshArtifacts(run.id)
  })
  const actions = allowed(run)
  return (
    <div className="run-actions">
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
        <button type="button" className="small" disabled={write.pending} onClick={() => void write.run()}>
          {write.pending ? 'Writing report…' : 'Write report'}
        </button>
      </div>
      <RunResolutionNote run={run} />
      {report && report.runId === run.id && (
        <p className="callout small" role="status" data-testid="report-ready">
          Report ready:{' '}
          <a href={artifactHref(report)} download={fileNameOf(report)}>
            download {fileNameOf(report)}
          </a>
        </p>
      )}
    </div>
  )
}
