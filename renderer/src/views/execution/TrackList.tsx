// The track cards of the current lens, or the right placeholder.
import { useShallow } from 'zustand/react/shallow'
import { Empty, ErrorMsg, Loading } from '../../components/Status'
import { loadTracks, selectIdsByLens, useTracks } from '../../stores/tracks'
import { COLLAPSE_PAST, setLens, useUi } from '../../stores/ui'
import { TrackCard } from './TrackCard'
import { WindowedTracks } from './WindowedTracks'

/**
 * Up to this many cards render in full (find-in-page sees them all); past it only the cards
 * near the viewport are mounted, so 1,000 tracks open as fast as 20.
 */
export const WINDOW_FROM = 60

export function TrackList() {
  const lens = useUi((s) => s.lens)
  const ids = useTracks(useShallow(selectIdsByLens(lens)))
  const total = useTracks((s) => s.ids.length)
  const status = useTracks((s) => s.status)
  const error = useTracks((s) => s.error)

  if (status === 'idle' || (status === 'loading' && total === 0)) return <Loading what="tracks" />
  if (status === 'error')
    return <ErrorMsg message={error ?? 'Could not load tracks'} onRetry={() => void loadTracks()} />
  return (
    <section aria-label="Tracks" className="tracks">
      {error && <ErrorMsg message={`Showing the last tracks we loaded: ${error}`} onRetry={() => void loadTracks()} />}
      {total === 0 ? (
        <Empty>
          <p>No tracks yet.</p>
          <p className="muted">Create one with “New track”: give it a title, an owner and the next action.</p>
        </Empty>
      ) : ids.length === 0 ? (
        <Empty>
          <p>No {lens} tracks.</p>
          <button type="button" className="link-button" onClick={() => setLens('all')}>
            Show all tracks
          </button>
        </Empty>
      ) : ids.length > WINDOW_FROM ? (
        <WindowedTracks ids={ids} />
      ) : (
        ids.map((id) => <TrackCard key={id} id={id} collapsible={ids.length > COLLAPSE_PAST} />)
      )}
    </section>
  )
}
