// The Runs view's filters. They live in the address (#/runs?status=…&q=…): every change
// navigates, so a filtered list can be bookmarked, shared, and left with Back; the view
// reads them back from the address and nothing else.
import { useEffect, useState, type FormEvent } from 'react'
import { RUN_STATUSES } from '@shared/domain'
import { SelectField, TextField } from '../../components/Field'
import { parseHash, runsHref, type RunsFilter } from '../../lib/route'
import { flows, useFlows } from '../../stores/flows'
import { useRuns } from '../../stores/runs'
import { loadTracks, useTracks } from '../../stores/tracks'

const go = (f: RunsFilter) => {
  window.location.hash = runsHref(f)
}

export function RunsFilterBar({ filter }: { filter: RunsFilter }) {
  const flowList = useFlows((s) => s.data)
  const trackIds = useTracks((s) => s.ids)
  const trackById = useTracks((s) => s.byId)
  const [q, setQ] = useState(filter.q ?? '')
  // The track choices load once the first rows are on screen: in a workspace of a thousand
  // tracks, fetching them first made the list itself wait (Runs first rows 152 → 355 ms).
  const rowsShown = useRuns((s) => s.status !== 'idle' && s.status !== 'loading')
  useEffect(() => {
    void flows.load()
  }, [])
  useEffect(() => {
    if (rowsShown && useTracks.getState().status === 'idle') void loadTracks()
  }, [rowsShown])
  // Merged with the address as it is now, not as it was when this bar last rendered: a
  // second change made before the first one's re-render (a date picked right after Enter in
  // Search) must not drop the first.
  const set = (patch: Partial<RunsFilter>) => {
    const now = parseHash(window.location.hash)
    go({ ...(now.name === 'runs' ? now.filter : filter), ...patch })
  }
  const search = (e: FormEvent) => {
    e.preventDefault()
    set({ q: q.trim() || undefined })
  }
  const any = Object.values(filter).some(Boolean)
  return (
    <form className="runs-filters" role="search" aria-label="Filter runs" onSubmit={search}>
      <SelectField
        label="Status"
        options={RUN_STATUSES}
        value={filter.status ?? 'all'}
        onChange={(e) => set({ status: e.target.value === 'all' ? undefined : (e.target.value as RunsFilter['status']) })}
      >
        <option value="all">all</option>
      </SelectField>
      <SelectField label="Flow" options={[]} value={filter.flowId ?? ''} onChange={(e) => set({ flowId: e.target.value || undefined })}>
        <option value="">all</option>
        {filter.flowId && !flowList?.some((f) => f.id === filter.flowId || f.name === filter.flowId) && (
          <option value={filter.flowId}>{filter.flowId}</option>
        )}
        {(flowList ?? []).map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Track" options={[]} value={filter.trackId ?? ''} onChange={(e) => set({ trackId: e.target.value || undefined })}>
        <option value="">all</option>
        {filter.trackId && !trackById[filter.trackId] && <option value={filter.trackId}>{filter.trackId}</option>}
        {trackIds.map((id) => (
          <option key={id} value={id}>
            {trackById[id]?.title ?? id}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Search"
        type="search"
        value={q}
        maxLength={200}
        hint="Flow, command, run id, error or who started it; Enter applies"
        onChange={(e) => setQ(e.target.value)}
      />
      <TextField label="From" type="date" value={filter.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
      <TextField label="To" type="date" value={filter.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
      <div className="form-actions">
        <button type="submit" className="small">
          Search
        </button>
        {any && (
          <a className="button-link small ghost" href={runsHref({})}>
            Clear filters
          </a>
        )}
      </div>
    </form>
  )
}
