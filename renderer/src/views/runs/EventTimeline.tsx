// The run's raw event log with its count. The store appends events after the last sequence
// number it holds (the log is append-only) whenever the stream says the run has new ones,
// so a reconnect or a late open catches up with `after` instead of refetching everything.
import { TERMINAL_RUN_STATUSES } from '@shared/domain'
import { Empty } from '../../components/Status'
import { useRunDetail } from '../../stores/runs'
import { EventLog } from './EventLog'

export function EventTimeline({ runId }: { runId: string }) {
  const events = useRunDetail((s) => s.events)
  const live = useRunDetail((s) => (s.run?.id === runId ? !TERMINAL_RUN_STATUSES.includes(s.run.status) : false))
  return (
    <div className="timeline">
      <p className="muted small" data-testid="event-count">
        {events.length.toLocaleString()} event{events.length === 1 ? '' : 's'}
        {live ? ' · following new events while scrolled to the end' : ''}
      </p>
      {events.length === 0 ? <Empty>No events recorded yet.</Empty> : <EventLog events={events} follow={live} />}
    </div>
  )
}
