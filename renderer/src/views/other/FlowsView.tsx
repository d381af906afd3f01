// Flows: the saved ones (start a run from any), and a editor that validates YAML before
// saving, showing every problem with its line and column.
import { useEffect, useState } from 'react'
import type { FlowValidation } from '@shared/api'
import type { FlowRecord } from '@shared/domain'
import { call } from '../../api/client'
import { FormError, TextArea } from '../../components/Field'
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
    const run = await call('createRun', { body: { flowId: f.id } })
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
  const save = useAction(
    async () => {
      const f = await call('createFlow', { body: { source } })
      notify(`Flow “${f.name}” saved`)
      setSource('')
      setResult(null)
      void flows.load()
    },
    { announce: false },
  )
  return (
    <form className="panel" aria-labelledby="flow-editor-title" onSubmit={(e) => (e.preventDefault(), void save.run())}>
      <h2 id="flow-editor-title">New flow</h2>
      <TextArea
        label="Flow YAML"
        rows={8}
        value={source}
        onChange={(e) => setSource(e.target.value)}
        spellCheck={false}
        className="mono"
      />
      {result && (
        <div role="status" className={result.ok ? 'callout' : 'form-error'}>
          {result.ok ? (
            `Valid: “${result.name ?? 'flow'}”, ${result.steps ?? 0} steps.`
          ) : (
            <ul>
              {result.problems.map((p, i) => (
                <li key={i}>
                  Line {p.line}, column {p.column}: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
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
