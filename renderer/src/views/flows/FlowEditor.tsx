// The flow editor: YAML validated before saving, every problem marked at its line. New, it
// saves with POST and asks before replacing a flow of the same name (409 name_taken). Open on
// a saved flow, it saves with PATCH from the version it loaded, so a save by someone else in
// between is refused instead of lost. The caller keys it by flow and version, so a save
// starts it afresh on the text just saved.
import { useState } from 'react'
import type { FlowDetail, FlowValidation } from '@shared/api'
import { call, isApiError } from '../../api/client'
import { CodeEditor } from '../../components/CodeEditor'
import { FormError } from '../../components/Field'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { flows } from '../../stores/flows'
import { openLauncher } from '../../stores/launcher'
import { notify } from '../../stores/notices'

export function FlowEditor({ flow, onSaved }: { flow: FlowDetail | null; onSaved?: () => void }) {
  const [source, setSource] = useState(flow?.source ?? '')
  const [result, setResult] = useState<FlowValidation | null>(null)
  const [clash, setClash] = useState<string | null>(null)

  const validate = useAction(async () => setResult(await call('validateFlow', { body: { source } })), { announce: false })
  const saveNew = async (overwrite: boolean, name: string) => {
    try {
      const f = await call('createFlow', { body: { source, ...(overwrite ? { overwrite } : {}) } })
      notify(`Flow “${f.name}” saved as v${f.version}`)
      setClash(null)
      void flows.load()
      window.location.hash = href.flow(f.id)
    } catch (e) {
      if (isApiError(e) && e.code === 'name_taken') return setClash(name)
      throw e
    }
  }
  // Save checks first, so a wrong file shows its problems at their lines instead of one 400 message.
  const save = useAction(
    async () => {
      const check = await call('validateFlow', { body: { source } })
      setResult(check)
      if (!check.ok) return
      if (!flow) return saveNew(false, check.name ?? 'this name')
      const f = await call('updateFlow', { params: { id: flow.id }, body: { source, baseVersion: flow.version } })
      notify(f.version === flow.version ? 'No changes to save' : `Flow “${f.name}” saved as v${f.version}`)
      void flows.load()
      onSaved?.()
    },
    { announce: false },
  )
  const replace = useAction(() => saveNew(true, clash ?? ''), { announce: false })
  const edit = (v: string) => {
    setSource(v)
    setClash(null)
    // The problems belong to the text they were found in; editing makes them stale.
    if (result?.ok) setResult(null)
  }
  const title = flow ? `Edit “${flow.name}”` : 'New flow'
  return (
    <form className="panel" aria-labelledby="flow-editor-title" onSubmit={(e) => (e.preventDefault(), void save.run())}>
      <h2 id="flow-editor-title">
        {title}
        {flow && <span className="muted small"> · v{flow.version}</span>}
      </h2>
      <CodeEditor
        label="Flow YAML"
        rows={12}
        value={source}
        onChange={edit}
        problems={result && !result.ok ? result.problems : []}
        problemsLabel="This flow cannot run"
      />
      {result?.ok && (
        <p role="status" className="callout" data-testid="flow-valid">
          Valid: “{result.name ?? 'flow'}”, {result.steps ?? 0} steps.
        </p>
      )}
      {clash && (
        <div className="callout" role="alert" data-testid="flow-overwrite">
          <p>
            A flow named “{clash}” already exists. Replace it with this text (its history keeps the old one as a version), or
            change the name and save again.
          </p>
          <div className="form-actions">
            <button type="button" className="primary" disabled={replace.pending} onClick={() => void replace.run()}>
              Replace “{clash}”
            </button>
            <button type="button" className="ghost" onClick={() => setClash(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <FormError error={validate.error ?? save.error ?? replace.error} />
      <div className="form-actions">
        <button type="button" disabled={!source.trim() || validate.pending} onClick={() => void validate.run()}>
          Validate
        </button>
        <button type="submit" className="primary" disabled={!source.trim() || save.pending}>
          Save flow
        </button>
        {flow && (
          <>
            <button type="button" onClick={() => openLauncher({ flowId: flow.id })}>
              Run…
            </button>
            <a href={href.flows}>New flow</a>
          </>
        )}
      </div>
    </form>
  )
}
