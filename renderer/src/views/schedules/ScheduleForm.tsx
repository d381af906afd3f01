// Create or edit a schedule: a saved flow, a cron expression read in a time zone, what to do
// with times missed while Opdesk was closed, params, and optionally the track step its runs
// belong to. The core checks everything again and names the field it refuses.
import { useEffect, useState, type FormEvent } from 'react'
import type { Schedule, ScheduleMissed } from '@shared/schedules'
import { call } from '../../api/client'
import { FormError, TextArea, TextField } from '../../components/Field'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { flows, useFlows } from '../../stores/flows'
import { notify } from '../../stores/notices'
import { schedules } from '../../stores/schedules'
import { useTracks } from '../../stores/tracks'

const MISSED_LABEL: Record<ScheduleMissed, string> = {
  skip: 'Skip them',
  once: 'Run once when Opdesk starts',
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

/** `key=value` lines into params; a line without `=` is refused here, before the server. */
export function parseParams(text: string): { ok: true; params: Record<string, string> } | { ok: false; line: number } {
  const params: Record<string, string> = {}
  const lines = text.split('\n')
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim()
    if (!line) continue
    const eq = line.indexOf('=')
    if (eq <= 0) return { ok: false, line: i + 1 }
    params[line.slice(0, eq).trim()] = line.slice(eq + 1).trim()
  }
  return { ok: true, params }
}

const paramsText = (p: Record<string, string>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')

export function ScheduleForm({ editing, onDone }: { editing: Schedule | null; onDone: () => void }) {
  const { data: flowList } = useFlows()
  const tracks = useTracks()
  const [flowId, setFlowId] = useState(editing?.flowId ?? '')
  const [name, setName] = useState(editing?.name ?? '')
  const [cron, setCron] = useState(editing?.cron ?? '')
  const [timezone, setTimezone] = useState(editing?.timezone ?? localZone())
  const [missed, setMissed] = useState<ScheduleMissed>(editing?.missed ?? 'skip')
  const [params, setParams] = useState(editing ? paramsText(editing.params) : '')
  const [trackId, setTrackId] = useState(editing?.trackId ?? '')
  const [stepId, setStepId] = useState(editing?.stepId ?? '')
  useEffect(() => {
    void flows.load()
  }, [])
  const chosenFlow = flowId || flowList?.[0]?.id || ''
  const steps = trackId ? (tracks.byId[trackId]?.steps ?? []) : []

  const save = useAction(
    async () => {
      const parsed = parseParams(params)
      if (!parsed.ok) throw new Error(`Params line ${parsed.line} is not key=value`)
      const body = {
        flowId: chosenFlow,
        name: name.trim() || null,
        cron: cron.trim(),
        timezone: timezone.trim(),
        missed,
        params: parsed.params,
        trackId: trackId || null,
        stepId: stepId || null,
      }
      const s = editing
        ? await call('updateSchedule', { params: { id: editing.id }, body })
        : await call('createSchedule', { body })
      notify(editing ? `Schedule “${s.name ?? s.flowName}” saved` : `Schedule “${s.name ?? s.flowName}” created`)
      void schedules.load()
      onDone()
    },
    { announce: false },
  )
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void save.run()
  }

  if (flowList !== null && flowList.length === 0) {
    return (
      <p className="panel muted">
        No flows saved yet. <a href={href.flows}>Add one in Flows</a>, then schedule it here.
      </p>
    )
  }
  return (
    <form className="panel" aria-labelledby="schedule-form-title" data-testid="schedule-form" onSubmit={submit}>
      <h2 id="schedule-form-title">{editing ? `Edit “${editing.name ?? editing.flowName}”` : 'New schedule'}</h2>
      <div className="inline-form">
        <div className="field">
          <label htmlFor="schedule-flow">Flow</label>
          <select id="schedule-flow" value={chosenFlow} onChange={(e) => setFlowId(e.target.value)} required>
            {(flowList ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
        <TextField label="Name (optional)" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        <TextField
          label="Cron"
          data-testid="schedule-cron"
          // Edit moves the keyboard here, to the form it opened.
          autoFocus={editing !== null}
          value={cron}
          onChange={(e) => setCron(e.target.value)}
          hint="minute hour day month weekday, e.g. 0 6 * * 1-5 (six fields: seconds first)"
          spellCheck={false}
          required
        />
        <TextField label="Time zone" value={timezone} onChange={(e) => setTimezone(e.target.value)} required />
        <div className="field">
          <label htmlFor="schedule-missed">Times missed while Opdesk was closed</label>
          <select id="schedule-missed" value={missed} onChange={(e) => setMissed(e.target.value as ScheduleMissed)}>
            {(Object.keys(MISSED_LABEL) as ScheduleMissed[]).map((m) => (
              <option key={m} value={m}>
                {MISSED_LABEL[m]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="schedule-track">Track (optional)</label>
          <select
            id="schedule-track"
            value={trackId}
            onChange={(e) => {
              setTrackId(e.target.value)
              setStepId('')
            }}
          >
            <option value="">None</option>
            {tracks.ids.map((id) => (
              <option key={id} value={id}>
                {tracks.byId[id]?.title ?? id}
              </option>
            ))}
          </select>
        </div>
        {trackId && (
          <div className="field">
            <label htmlFor="schedule-step">Step (optional)</label>
            <select id="schedule-step" value={stepId} onChange={(e) => setStepId(e.target.value)}>
              <option value="">None</option>
              {steps.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <TextArea
        label="Params (one key=value a line)"
        rows={3}
        value={params}
        onChange={(e) => setParams(e.target.value)}
        spellCheck={false}
      />
      <FormError error={save.error} />
      <div className="form-actions">
        {editing && (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={!chosenFlow || !cron.trim() || save.pending}>
          {editing ? 'Save schedule' : 'Create schedule'}
        </button>
      </div>
    </form>
  )
}
