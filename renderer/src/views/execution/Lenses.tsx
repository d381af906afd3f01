// Lenses filter the cards already loaded: switching is instant and needs no request.
import { useShallow } from 'zustand/react/shallow'
import { selectCounts, useTracks } from '../../stores/tracks'
import { setLens, useUi, type Lens } from '../../stores/ui'

const LENSES: { key: Lens; label: string }[] = [
  { key: 'all', label: 'All' },
  { key: 'active', label: 'Active' },
  { key: 'waiting', label: 'Waiting' },
  { key: 'blocked', label: 'Blocked' },
]

export function Lenses() {
  const lens = useUi((s) => s.lens)
  const counts = useTracks(useShallow(selectCounts))
  return (
    <div className="lenses" role="group" aria-label="Show tracks">
      {LENSES.map((l) => (
        <button
          key={l.key}
          type="button"
          className="lens"
          aria-pressed={lens === l.key}
          data-lens={l.key}
          onClick={() => setLens(l.key)}
        >
          {l.label} <span className="lens-count">{counts[l.key]}</span>
        </button>
      ))}
    </div>
  )
}
