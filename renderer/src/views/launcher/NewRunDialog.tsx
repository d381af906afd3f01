// The launcher (test id `new-run`): start a flow with its parameters, or a command in a
// folder under work/, optionally for a track's step. The policy verdict shows before Start;
// Start creates the run and opens it. A native modal <dialog>: the page behind is inert,
// Escape closes it, focus returns to the button that opened it.
import { useState, type FormEvent } from 'react'
import type { RouteRequest } from '@shared/api'
import { call } from '../../api/client'
import { FormError, TextArea, TextField } from '../../components/Field'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { useModalDialog } from '../../lib/useModalDialog'
import { closeLauncher, useLauncher, type LaunchKind } from '../../stores/launcher'
import { FlowRunFields, type FlowChoice } from './FlowRunFields'
import { PolicyPreview, type PolicyQuery } from './PolicyPreview'
import { TrackStepFields } from './TrackStepFields'

export function NewRunDialog() {
  const { open, seq } = useLauncher()
  const { dialogProps } = useModalDialog(open, closeLauncher)
  return (
    <dialog {...dialogProps} className="dialog new-run" aria-labelledby="new-run-title" data-testid="new-run">
      {open && <LauncherForm key={seq} />}
    </dialog>
  )
}

type RunBody = NonNullable<RouteRequest<'createRun'>['body']>

function LauncherForm() {
  const initial = useLauncher.getState()
  const [kind, setKind] = useState<LaunchKind>(initial.kind)
  const [flow, setFlow] = useState<FlowChoice>({ flowId: initial.flowId ?? '', detail: null, values: {} })
  const [command, setCommand] = useState('')
  const [cwd, setCwd] = useState('')
  const [link, setLink] = useState({ trackId: initial.trackId ?? '', stepId: initial.stepId ?? '' })

  const detail = flow.detail
  const policyQuery: PolicyQuery =
    kind === 'command'
      ? command.trim()
        ? { command }
        : null
      : detail && detail.params !== null
        ? { flow: detail.source, params: flow.values }
        : null

  const start = useAction(
    async () => {
      const linked = { ...(link.trackId ? { trackId: link.trackId } : {}), ...(link.stepId ? { stepId: link.stepId } : {}) }
      const body: RunBody =
        kind === 'command'
          ? { command, ...(cwd.trim() ? { cwd: cwd.trim() } : {}), ...linked }
          : { flowId: detail!.id, params: flow.values, onFailure: 'assist', ...linked }
      const run = await call('createRun', { body })
      closeLauncher()
      window.location.hash = href.run(run.id)
    },
    { announce: false },
  )
  const ready = kind === 'command' ? command.trim() !== '' : detail !== null && detail.params !== null
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (ready) void start.run()
  }

  return (
    <form className="dialog-body" onSubmit={submit}>
      <div className="dialog-bar">
        <h2 id="new-run-title">New run</h2>
        <button type="button" className="ghost small" onClick={closeLauncher}>
          Close
        </button>
      </div>
      <fieldset className="segmented">
        <legend className="visually-hidden">What to run</legend>
        {(['flow', 'command'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="new-run-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            {k === 'flow' ? 'A flow' : 'A command'}
          </label>
        ))}
      </fieldset>
      {kind === 'flow' ? (
        <FlowRunFields value={flow} onChange={setFlow} />
      ) : (
        <>
          <TextArea
            label="Command"
            rows={3}
            value={command}
            required
            autoFocus
            spellCheck={false}
            hint="Runs without a shell when it is a plain argument list, else with bash -c, inside the sandbox."
            onChange={(e) => setCommand(e.target.value)}
          />
          <TextField
            label="Working folder (cwd)"
            value={cwd}
            placeholder="."
            hint="Relative to the workspace's work/ folder (the default)."
            onChange={(e) => setCwd(e.target.value)}
          />
        </>
      )}
      <TrackStepFields trackId={link.trackId} stepId={link.stepId} onChange={setLink} />
      <PolicyPreview query={policyQuery} />
      <FormError error={start.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!ready || start.pending}>
          {start.pending ? 'Starting…' : 'Start run'}
        </button>
        <button type="button" className="ghost" onClick={closeLauncher}>
          Cancel
        </button>
      </div>
    </form>
  )
}
