import type { Artifact, RunEvent } from '@shared/domain'
import { VirtualList } from '../../components/VirtualList'
import { formatBytes, formatDate } from '../../lib/format'

function summarise(data: Record<string, unknown>): string {
  const s = JSON.stringify(data)
  return s === '{}' ? '' : s.length > 240 ? `${s.slice(0, 240)}…` : s
}

export function EventLog({ events }: { events: RunEvent[] }) {
  return (
    <VirtualList
      items={events}
      estimate={36}
      getKey={(e) => String(e.seq)}
      label="Event log"
      className="events"
      render={(e) => (
        <div className="event-row" data-testid="event-row" data-type={e.type} data-seq={e.seq}>
          <span className="muted small event-seq">#{e.seq}</span>
          <span className="small event-ts">{formatDate(e.ts)}</span>
          <span className="tag">{e.type}</span>
          <code className="small event-data">{summarise(e.data)}</code>
        </div>
      )}
    />
  )
}

function artifactHref(a: Artifact): string {
  // Electron serves bytes through its privileged scheme; host mode over the API route.
  return window.opdesk ? window.opdesk.artifactUrl(a.id) : `/api/artifacts/${encodeURIComponent(a.id)}/content`
}

export function ArtifactList({ artifacts }: { artifacts: Artifact[] }) {
  return (
    <ul className="artifacts">
      {artifacts.map((a) => (
        <li key={a.id} data-testid="artifact-row">
          <span className="tag">{a.kind}</span>{' '}
          <a href={artifactHref(a)} target="_blank" rel="noreferrer">
            {a.name}
          </a>{' '}
          <span className="muted small">
            {formatBytes(a.bytes)} · sha256 {a.sha256.slice(0, 12)}…
          </span>
          {a.kind === 'screenshot' && (
            <img className="thumb" src={artifactHref(a)} alt={`Screenshot ${a.name}`} loading="lazy" />
          )}
        </li>
      ))}
    </ul>
  )
}
