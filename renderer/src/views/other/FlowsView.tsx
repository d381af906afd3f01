// Flows: the saved ones (start a run from any), and an editor that validates YAML before
// saving, marking every problem at its line in the gutter and listing it with its column.
import { useEffect, useState } from 'react'
import type { FlowValidation } from '@shared/api'
import type { FlowRecord } from '@shared/domain'
import { call } from '../../api/client'
import { CodeEditor } from '../../components/CodeEditor'
import { FormError } from '../../components/Field'
import { ResourceView } from '../../components/Status'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { flows, useFlows } from '../../stores/flows'
import { notify } from '../../stores/notices'

export function FlowsView() {
  const { data, status, error } = useFlows()
  useEffect(() => {
    void flows.load()
  }, [])
  return (
    <section className="view" aria-labelledby="flows-title">
      <div className="view-head">
        <h1 id="flows-title" tabIndex={-1}>
          Flows
        </h1>
      </div>
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Flows"
        isEmpty={(d) => d.length === 0}
        empty={<p>No flows saved yet. Paste one below.</p>}
        onRetry={() => void flows.load()}
      >
        {(d) => (
          <ul className="rows">
            {d.map((f) => (
              <FlowRow key={f.id} flow={f} />
            ))}
          </ul>
        )}
      </ResourceView>
      <FlowEditor />
    </section>
  )
}

function FlowRow({ flow: f }: { flow: FlowRecord }) {
  const start = useAction(async () => {
    const run = await call('createRun', { body: { flowId: f.id, onFailure: 'assist' } })
    window.location.hash = href.run(run.id)
  })
  return (
    <li className="row" data-testid="flow-row">
      <div className="row-main">
        <span>{f.name}</span>
        <span className="muted small">
          updated {formatDate(f.updatedAt)} · {f.hash.slice(0, 12)}
        </span>
      </div>
      <button
        type="button"
        className="small"
        disabled={start.pending}
        aria-label={`Run ${f.name}`}
        onClick={() => void start.run()}
      >
        Run
      </button>
    </li>
  )
}

function FlowEditor() {
  const [source, setSource] = useState('')
  const [result, setResult] = useState<FlowValidation | null>(null)
  const validate = useAction(async () => setResult(await call('validateFlow', { body: { source } })), {
    announce: false,
  })
  // Save checks first, so a wrong file shows its problems at their lines instead of one 400 message.
  const save = useAction(
    async () => {
      const check = await call('validateFlow', { body: { source } })
      setResult(check)
      if (!check.ok) return
      const f = await call('createFlow', { body: { source } })
      notify(`Flow “${f.name}” saved`)
      setSource('')
      setResult(null)
      void flows.load()
    },
    { announce: false },
  )
  const edit = (v: string) => {
    setSource(v)
    // The problems belong to the text they were found in; editing makes them stale.
    if (result?.ok) setResult(null)
  }
  return (
    <form className="panel" aria-labelledby="flow-editor-title" onSubmit={(e) => (e.preventDefault(), void save.run())}>
      <h2 id="flow-editor-title">New flow</h2>
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
      <FormError error={validate.error ?? save.error} />
      <div className="form-actions">
        <button type="button" disabled={!source.trim() || validate.pending} onClick={() => void validate.run()}>
          Validate
        </button>
        <button type="submit" className="primary" disabled={!source.trim() || save.pending}>
          Save flow
        </button>
      </div>
    </form>
  )
}
