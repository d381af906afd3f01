// Schedules: each saved flow's cron, when it runs next, how its last time went (with the run
// it started), and enable/disable, edit and delete. Times show in this machine's local time.
import { useEffect, useState } from 'react'
import type { Schedule, ScheduleOutcome } from '@shared/schedules'
import { call } from '../../api/client'
import { ResourceView } from '../../components/Status'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { schedules, useSchedules } from '../../stores/schedules'
import { ScheduleForm } from './ScheduleForm'

const OUTCOME: Record<ScheduleOutcome, string> = {
  started: 'started a run',
  'skipped-overlap': 'skipped: the previous run was still going',
  'waiting-login': 'waiting for a login to its profile',
  'skipped-missed': 'missed while closed, skipped',
  failed: 'could not start',
}

export function SchedulesView() {
  const { data, status, error } = useSchedules()
  const [editing, setEditing] = useState<Schedule | null>(null)
  useEffect(() => {
    void schedules.load()
  }, [])
  return (
    <section className="view" aria-labelledby="schedules-title">
      <div className="view-head">
        <h1 id="schedules-title" tabIndex={-1}>
          Schedules
        </h1>
      </div>
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Schedules"
        isEmpty={(d) => d.length === 0}
        empty={<p>No schedules yet. Create one below.</p>}
        onRetry={() => void schedules.load()}
      >
        {(d) => (
          <ul className="rows">
            {d.map((s) => (
              <ScheduleRow key={s.id} schedule={s} onEdit={() => setEditing(s)} />
            ))}
          </ul>
        )}
      </ResourceView>
      <ScheduleForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
    </section>
  )
}

function ScheduleRow({ schedule: s, onEdit }: { schedule: Schedule; onEdit: () => void }) {
  const label = s.name ?? s.flowName
  const toggle = useAction(async () => {
    await call('updateSchedule', { params: { id: s.id }, body: { enabled: !s.enabled } })
    void schedules.load()
  })
  // Deleting asks once more in place (no modal): the first press arms it, the second deletes.
  const [confirming, setConfirming] = useState(false)
  const remove = useAction(async () => {
    await call('deleteSchedule', { params: { id: s.id } })
    notify(`Schedule “${label}” deleted`)
    void schedules.load()
  })
  const [next, ...later] = s.nextRuns
  return (
    <li className="row schedule-row" data-testid="schedule-row" data-schedule-id={s.id}>
      <div className="row-main">
        <span>
          {label}
          {s.name && <span className="muted small"> · {s.flowName}</span>}
        </span>
        <span className="muted small">
          <code>{s.cron}</code> in {s.timezone} · missed times: {s.missed === 'once' ? 'run once on start' : 'skipped'}
        </span>
        <span className="small" data-testid="schedule-next" data-next={next ?? ''}>
          {s.enabled ? (
            next ? (
              <>
                Next: <time dateTime={next}>{formatDate(next)}</time>
                {later.length > 0 && (
                  <span className="muted"> (then {later.map((t) => formatDate(t)).join(', ')})</span>
                )}
              </>
            ) : (
              'Never again'
            )
          ) : (
            'Off'
          )}
        </span>
        {s.lastOutcome && (
          <span className="muted small" data-testid="schedule-last" data-outcome={s.lastOutcome}>
            Last time {formatDate(s.lastSlotAt)}: {OUTCOME[s.lastOutcome]}
            {s.lastRunId && s.lastOutcome === 'started' && (
              <>
                {' '}
                (<a href={href.run(s.lastRunId)}>run {s.lastRunStatus ?? ''}</a>)
              </>
            )}
            {s.lastError && s.lastOutcome !== 'started' && <> — {s.lastError}</>}
          </span>
        )}
      </div>
      <div className="row-actions">
        <button
          type="button"
          className="small"
          data-testid="schedule-toggle"
          aria-pressed={s.enabled}
          aria-label={`${label}: ${s.enabled ? 'on' : 'off'}`}
          disabled={toggle.pending}
          onClick={() => void toggle.run()}
        >
          {s.enabled ? 'On' : 'Off'}
        </button>
        <button
          type="button"
          className="small"
          data-testid="schedule-edit"
          aria-label={`Edit ${label}`}
          onClick={onEdit}
        >
          Edit
        </button>
        <button
          type="button"
          className="small ghost"
          data-testid="schedule-delete"
          aria-label={confirming ? `Confirm deleting ${label}` : `Delete ${label}`}
          disabled={remove.pending}
          onBlur={() => setConfirming(false)}
          onClick={() => (confirming ? void remove.run() : setConfirming(true))}
        >
          {confirming ? 'Confirm delete' : 'Delete'}
        </button>
      </div>
    </li>
  )
}
