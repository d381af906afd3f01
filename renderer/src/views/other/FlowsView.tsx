// Flows: the saved ones (open one to edit it and see its versions, or start a run of it
// from the New run dialog), and the editor, blank for a new flow or on the one opened.
import { useCallback, useEffect, useState } from 'react'
import type { FlowDetail } from '@shared/api'
import type { FlowRecord } from '@shared/domain'
import { call, errorMessage } from '../../api/client'
import { ResourceView } from '../../components/Status'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { flows, useFlows } from '../../stores/flows'
import { openLauncher } from '../../stores/launcher'
import { FlowEditor } from '../flows/FlowEditor'
import { FlowVersions } from '../flows/FlowVersions'

export function FlowsView({ flowId }: { flowId?: string }) {
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
              <FlowRow key={f.id} flow={f} current={f.id === flowId} />
            ))}
          </ul>
        )}
      </ResourceView>
      {flowId ? <OpenFlow key={flowId} flowId={flowId} /> : <FlowEditor flow={null} />}
    </section>
  )
}

function FlowRow({ flow: f, current }: { flow: FlowRecord; current: boolean }) {
  return (
    <li className="row" data-testid="flow-row" data-flow={f.name}>
      <div className="row-main">
        <a href={href.flow(f.id)} aria-current={current ? 'true' : undefined}>
          {f.name}
        </a>
        <span className="muted small">
          v{f.version} · updated {formatDate(f.updatedAt)}
          {f.updatedBy ? ` by ${f.updatedBy}` : ''} · {f.hash.slice(0, 12)}
        </span>
      </div>
      <button type="button" className="small" aria-label={`Run ${f.name}`} onClick={() => openLauncher({ flowId: f.id })}>
        Run…
      </button>
    </li>
  )
}

/** A saved flow in the editor, with its versions; both reload after a save. */
function OpenFlow({ flowId }: { flowId: string }) {
  const [flow, setFlow] = useState<FlowDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    call('getFlow', { params: { id: flowId } }).then(setFlow, (e: unknown) => setError(errorMessage(e)))
  }, [flowId])
  useEffect(load, [load])
  if (error) {
    return (
      <p className="form-error" role="alert">
        {error} <a href={href.flows}>Back to a new flow</a>
      </p>
    )
  }
  if (!flow) return <p className="muted small">Loading flow…</p>
  return (
    <>
      <FlowEditor key={`${flow.id}:${flow.version}`} flow={flow} onSaved={load} />
      <FlowVersions flowId={flow.id} current={flow.version} />
    </>
  )
}
