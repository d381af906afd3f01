// The event log: one row per event, only the rows in view mounted (a run with 100,000 events
// keeps a few dozen rows in the DOM).
import type { RunEvent } from '@shared/domain'
import { VirtualList } from '../../components/VirtualList'
import { formatDate } from '../../lib/format'

function summarise(data: Record<string, unknown>): string {
  const s = JSON.stringify(data)
  return s === '{}' ? '' : s.length > 240 ? `${s.slice(0, 240)}…` : s
}

export function EventLog({ events, follow = false }: { events: RunEvent[]; follow?: boolean }) {
  return (
    <VirtualList
      items={events}
      follow={follow}
      testId="event-log"
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
