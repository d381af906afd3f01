// A scrolling list that only mounts the rows in view, so 10,000 runs or events stay smooth.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, type ReactNode } from 'react'

export function VirtualList<T>({
  items,
  estimate,
  getKey,
  render,
  label,
  onNearEnd,
  className,
  follow = false,
  testId,
}: {
  items: T[]
  estimate: number
  getKey: (item: T) => string
  render: (item: T, index: number) => ReactNode
  label: string
  onNearEnd?: () => void
  className?: string
  /** Tail mode: while the person is at the end, stay at the end as items are appended. */
  follow?: boolean
  testId?: string
}) {
  const parentRef = useRef<HTMLDivElement>(null)
  // Whether the person is at the end; scrolling up anywhere stops the tail until they come back.
  const atEnd = useRef(true)
  // The React Compiler is not used here, so its "cannot memoize" warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => estimate,
    getItemKey: (i) => getKey(items[i]!),
    overscan: 8,
  })
  const virtualItems = v.getVirtualItems()
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? -1

  useEffect(() => {
    if (onNearEnd && lastIndex >= items.length - 20 && items.length > 0) onNearEnd()
  }, [lastIndex, items.length, onNearEnd])

  useEffect(() => {
    if (follow && atEnd.current && items.length > 0) v.scrollToIndex(items.length - 1, { align: 'end' })
  }, [follow, items.length, v])

  const onScroll = () => {
    const el = parentRef.current
    if (el) atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 48
  }

  return (
    // The scroll box is focusable so keyboard users can scroll it (axe: scrollable-region-focusable).
    <div
      ref={parentRef}
      className={`vlist ${className ?? ''}`}
      tabIndex={0}
      aria-label={label}
      role="region"
      data-testid={testId}
      onScroll={follow ? onScroll : undefined}
    >
      <ul className="vlist-inner" style={{ height: v.getTotalSize() }}>
        {virtualItems.map((vi) => (
          <li
            key={vi.key}
            data-index={vi.index}
            ref={v.measureElement}
            className="vlist-row"
            style={{ transform: `translateY(${vi.start}px)` }}
          >
            {render(items[vi.index]!, vi.index)}
          </li>
        ))}
      </ul>
    </div>
  )
}
