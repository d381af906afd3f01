import { useState } from 'react'
import { CreateTrackForm } from './CreateTrackForm'
import { Lenses } from './Lenses'
import { SummaryTiles } from './SummaryTiles'
import { TrackList } from './TrackList'

export function ExecutionView() {
  const [creating, setCreating] = useState(false)
  return (
    <section className="view" aria-labelledby="execution-title">
      <div className="view-head">
        <h1 id="execution-title" tabIndex={-1}>
          Execution
        </h1>
        {!creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New track
          </button>
        )}
      </div>
      {creating && <CreateTrackForm onClose={() => setCreating(false)} />}
      <SummaryTiles />
      <Lenses />
      <TrackList />
    </section>
  )
}
