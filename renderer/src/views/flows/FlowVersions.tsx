// A flow's history: every saved version (who, when, hash) and a line diff between any two,
// computed here with jsdiff from the texts the versions route returns.
import { diffLines } from 'diff'
import { useEffect, useState } from 'react'
import type { FlowVersion } from '@shared/domain'
import { call, errorMessage } from '../../api/client'
import { formatDate } from '../../lib/format'

export function FlowVersions({ flowId, current }: { flowId: string; current: number }) {
  const [versions, setVersions] = useState<FlowVersion[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [from, setFrom] = useState<number | null>(null)
  const [to, setTo] = useState<number | null>(null)
  const [shown, setShown] = useState<{ from: number; to: number } | null>(null)
  useEffect(() => {
    let live = true
    call('listFlowVersions', { params: { id: flowId } }).then(
      (v) => {
        if (!live) return
        setVersions(v)
        // Newest against the one before it: what the last save changed.
        setTo(v[0]?.version ?? null)
        setFrom(v[1]?.version ?? v[0]?.version ?? null)
        setShown(null)
      },
      (e: unknown) => live && setError(errorMessage(e)),
    )
    return () => {
      live = false
    }
    // `current` changes after a save: the list gains the new version.
  }, [flowId, current])

  if (error) return <p className="form-error">{error}</p>
  if (!versions) return <p className="muted small">Loading versions…</p>
  const byNumber = (n: number | null) => versions.find((v) => v.version === n)
  const a = shown ? byNumber(shown.from) : undefined
  const b = shown ? byNumber(shown.to) : undefined
  return (
    <section className="panel flow-versions" aria-labelledby="flow-versions-title">
      <h2 id="flow-versions-title">Versions</h2>
      <ol>
        {versions.map((v) => (
          <li key={v.version} className="flow-version" data-testid="flow-version" data-version={v.version}>
            <strong>v{v.version}</strong>
            <span>by {v.createdBy}</span>
            <span className="muted small">{formatDate(v.createdAt)}</span>
            <code className="small" title={v.hash}>
              {v.hash.slice(0, 12)}
            </code>
          </li>
        ))}
      </ol>
      {versions.length > 1 && (
        <div className="diff-pick">
          <VersionSelect label="From" value={from} versions={versions} onChange={setFrom} />
          <VersionSelect label="To" value={to} versions={versions} onChange={setTo} />
          <button type="button" disabled={from === null || to === null} onClick={() => from !== null && to !== null && setShown({ from, to })}>
            Compare
          </button>
        </div>
      )}
      {a && b && <VersionDiff from={a} to={b} />}
    </section>
  )
}

function VersionSelect({
  label,
  value,
  versions,
  onChange,
}: {
  label: string
  value: number | null
  versions: FlowVersion[]
  onChange: (n: number) => void
}) {
  const id = `flow-diff-${label.toLowerCase()}`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version} by {v.createdBy}
          </option>
        ))}
      </select>
    </div>
  )
}

function VersionDiff({ from, to }: { from: FlowVersion; to: FlowVersion }) {
  const parts = diffLines(from.source, to.source)
  const changed = parts.some((p) => p.added || p.removed)
  return (
    <figure className="flow-diff-figure">
      <figcaption>
        Changes from v{from.version} to v{to.version}
        {!changed && ': none, the texts are the same'}
      </figcaption>
      <pre className="flow-diff" data-testid="flow-diff" tabIndex={0} aria-label={`Diff from v${from.version} to v${to.version}`}>
        {parts.flatMap((p, i) =>
          p.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line, j) => {
              const sign = p.added ? '+' : p.removed ? '-' : ' '
              const cls = p.added ? 'diff-line diff-add' : p.removed ? 'diff-line diff-del' : 'diff-line'
              return (
                <span key={`${i}-${j}`} className={cls} data-change={p.added ? 'added' : p.removed ? 'removed' : undefined}>
                  {sign} {line}
                </span>
              )
            }),
        )}
      </pre>
    </figure>
  )
}
