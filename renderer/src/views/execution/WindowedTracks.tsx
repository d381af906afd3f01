// Track cards for a large workspace: only the cards near the viewport are mounted. The cards
// scroll with the page (the <main> element), not in a box of their own, so the list reads
// the same as the plain one; its offsets are measured relative to where the list starts in
// <main>, which moves when the summary or the "New track" form above it changes size.
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual'
import { useRef } from 'react'
import { TrackCard } from './TrackCard'

/** A collapsed card (past a handful they start collapsed); real heights are measured. */
const ESTIMATE_PX = 120

const scroller = () => document.getElementById('main')

/** Top of the list inside <main>'s scrolled content. */
function listTop(list: HTMLElement | null, main: HTMLElement): number {
  if (!list) return 0
  return list.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop
}

export function WindowedTracks({ ids }: { ids: string[] }) {
  const listRef = useRef<HTMLDivElement>(null)
  // The React Compiler is not used here, so its "cannot memoize" warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({
    count: ids.length,
    getScrollElement: scroller,
    estimateSize: () => ESTIMATE_PX,
    getItemKey: (i) => ids[i]!,
    overscan: 2,
    // The first render already fills the window instead of waiting for a measurement pass.
    initialRect: { width: 1000, height: window.innerHeight },
    observeElementOffset: (inst: Virtualizer<HTMLElement, Element>, cb) => {
      const main = inst.scrollElement
      if (!main) return
      const report = () => cb(Math.max(0, main.scrollTop - listTop(listRef.current, main)), false)
      report()
      main.addEventListener('scroll', report, { passive: true })
      return () => main.removeEventListener('scroll', report)
    },
    scrollToFn: (offset, { adjustments = 0, behavior }, inst) => {
      const main = inst.scrollElement
      main?.scrollTo({ top: offset + adjustments + listTop(listRef.current, main), behavior })
    },
  })
  return (
    <div ref={listRef} className="windowed-tracks" style={{ height: v.getTotalSize() }}>
      {v.getVirtualItems().map((vi) => (
        <div
          key={vi.key}
          data-index={vi.index}
          ref={v.measureElement}
          className="windowed-track"
          style={{ transform: `translateY(${vi.start}px)` }}
        >
          <TrackCard id={ids[vi.index]!} collapsible />
        </div>
      ))}
    </div>
  )
}
