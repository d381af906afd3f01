// The event log: one row per event, only the rows in view mounted (a run with 100,000 events
// keeps a few dozen rows in the DOM). A row opens to show its whole data; a type filter
// narrows the log to one kind of event.
import { useMemo, useState } from 'react'
import type { RunEvent } from '@shared/domain'
import { VirtualList } from '../../components/VirtualList'
import { formatDate } from '../../lib/format'

function summarise(data: Record<string, unknown>): string {
  const s = JSON.stringify(data)
  return s === '{}' ? '' : s.length > 240 ? `${s.slice(0, 240)}…` : s
}

export function EventLog({ events, follow = false }: { events: RunEvent[]; follow?: boolean }) {
  const [type, setType] = useState('')
  // Which rows are open, by sequence number (rows unmount as they scroll out of view).
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set())
  const types = useMemo(() => {
    const counts = new Map<string, number>()
    for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1)
    return [...counts].sort((a, b) => a[0].localeCompare(b[0]))
  }, [events])
  const shown = useMemo(() => (type ? events.filter((e) => e.type === type) : events), [events, type])
  const toggle = (seq: number) =>
    setOpen((s) => {
      const next = new Set(s)
      if (next.has(seq)) next.delete(seq)
      else next.add(seq)
      return next
    })
  return (
    <>
      <div className="event-filter">
        <label htmlFor="event-type-filter" className="small">
          Show
        </label>{' '}
        <select
          id="event-type-filter"
          data-testid="event-type-filter"
          value={type}
          onChange={(e) => setType(e.target.value)}
        >
          <option value="">every type ({events.length.toLocaleString()})</option>
          {types.map(([t, n]) => (
            <option key={t} value={t}>
              {t} ({n.toLocaleString()})
            </option>
          ))}
        </select>
      </div>
      <VirtualList
        items={shown}
        follow={follow && !type}
        testId="event-log"
        estimate={36}
        getKey={(e) => String(e.seq)}
        label="Event log"
        className="events"
        render={(e) => {
          const expanded = open.has(e.seq)
          return (
            <div className="event-row-wrap" data-expanded={expanded}>
              <button
                type="button"
                className="event-row"
                data-testid="event-row"
                data-type={e.type}
                data-seq={e.seq}
                aria-expanded={expanded}
                onClick={() => toggle(e.seq)}
              >
                <span className="muted small event-seq">#{e.seq}</span>
                <span className="small event-ts">{formatDate(e.ts)}</span>
                <span className="tag">{e.type}</span>
                <code className="small event-data">{summarise(e.data)}</code>
              </button>
              {expanded && (
                <pre className="event-full small" data-testid="event-full">
                  {JSON.stringify(e.data, null, 2)}
                  {`\n\nat ${e.ts} · hash ${e.hash.slice(0, 16)}…`}
                </pre>
              )}
            </div>
          )
        }}
      />
    </>
  )
}
