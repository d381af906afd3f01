// The flow half of the launcher: which flow, then a field for each parameter it declares
// (its default filled in, required when it has no default and does not say `required:
// false`), and the browser profile the flow runs in.
import { useEffect, useState } from 'react'
import type { FlowDetail } from '@shared/api'
import { call, errorMessage } from '../../api/client'
import { TextField } from '../../components/Field'
import { href } from '../../lib/route'
import { flows, useFlows } from '../../stores/flows'

export interface FlowChoice {
  flowId: string
  detail: FlowDetail | null
  values: Record<string, string>
}

export function paramRequired(spec: { default?: string; required?: boolean }): boolean {
  return spec.default === undefined && spec.required !== false
}

export function FlowRunFields({ value, onChange }: { value: FlowChoice; onChange: (v: FlowChoice) => void }) {
  const { data, status, error } = useFlows()
  const [loadError, setLoadError] = useState<{ flowId: string; message: string } | null>(null)
  useEffect(() => {
    void flows.load()
  }, [])
  const flowId = value.flowId || data?.[0]?.id || ''
  useEffect(() => {
    if (!flowId || value.detail?.id === flowId) return
    let live = true
    call('getFlow', { params: { id: flowId } }).then(
      (detail) => {
        if (!live) return
        const values = Object.fromEntries(Object.entries(detail.params ?? {}).map(([k, p]) => [k, p.default ?? '']))
        onChange({ flowId, detail, values })
      },
      (e: unknown) => live && setLoadError({ flowId, message: errorMessage(e) }),
    )
    return () => {
      live = false
    }
    // Only a different flow loads again; the values typed so far belong to this one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flowId])

  if (data === null) return <p className="muted small">{status === 'error' ? error : 'Loading flows…'}</p>
  if (data.length === 0) {
    return (
      <p className="muted small">
        No flows saved yet. <a href={href.flows}>Add one in Flows</a>.
      </p>
    )
  }
  const detail = value.detail?.id === flowId ? value.detail : null
  const params = Object.entries(detail?.params ?? {})
  return (
    <>
      <div className="field">
        <label htmlFor="new-run-flow">Flow</label>
        <select id="new-run-flow" value={flowId} onChange={(e) => onChange({ flowId: e.target.value, detail: null, values: {} })}>
          {data.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name} (v{f.version})
            </option>
          ))}
        </select>
      </div>
      {loadError?.flowId === flowId && <p className="form-error">{loadError.message}</p>}
      {detail && (
        <>
          <p className="muted small" data-testid="new-run-profile">
            Browser profile: {detail.profile ? <strong>{detail.profile}</strong> : 'a fresh one (the flow names no profile)'}
          </p>
          {detail.params === null && (
            <p className="form-error">This flow no longer validates: {detail.problems[0]?.message ?? 'unknown problem'}</p>
          )}
          {params.length > 0 ? (
            <fieldset className="launcher-params" data-testid="new-run-params">
              <legend>Parameters</legend>
              {params.map(([name, spec]) => (
                <TextField
                  key={name}
                  label={paramRequired(spec) ? `${name} (required)` : name}
                  name={name}
                  hint={spec.description ?? (spec.default !== undefined ? `default: ${spec.default || '(empty)'}` : undefined)}
                  required={paramRequired(spec)}
                  value={value.values[name] ?? ''}
                  onChange={(e) => onChange({ ...value, flowId, detail, values: { ...value.values, [name]: e.target.value } })}
                />
              ))}
            </fieldset>
          ) : (
            detail.params && <p className="muted small">This flow takes no parameters.</p>
          )}
        </>
      )}
    </>
  )
}
