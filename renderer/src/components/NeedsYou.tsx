// "Needs you": the top-bar count of runs waiting for a person or a decision, opening the
// list of them, oldest wait first, each with its one action (Take over / Approve). The same
// action sits on alert, step and run rows (NeedsYouAction). In host mode the tab title
// carries the count and a browser notification announces each new item.
import { useEffect, useId, useRef } from 'react'
import type { NeedsYouItem } from '@shared/api'
import { needActionLabel, needNotification } from '@shared/wording'
import { formatDuration } from '../lib/format'
import { href } from '../lib/route'
import { rememberRow } from '../lib/focusRow'
import { useAction } from '../lib/useAction'
import { approveFromList, needKey, needsYou, selectNeedFor, selectNeedForStep, selectNeedForTrack, useNeedsYou } from '../stores/needsYou'
import { setNeedsYouOpen, useUi } from '../stores/ui'

const BASE_TITLE = 'Opdesk'

/** The app route of an item's takeover (takeoverUrl is "/#/takeover/ID" on this host). */
function takeoverHash(item: NeedsYouItem): string {
  return item.takeoverUrl?.includes('#') ? `#${item.takeoverUrl.split('#')[1]}` : href.takeover(item.runId)
}

/** The one action for a waiting run: a link into the takeover view, or an Approve button. */
export function NeedAction({
  item,
  onDone,
  className = 'small',
}: {
  item: NeedsYouItem
  onDone?: () => void
  className?: string
}) {
  const approve = useAction(() => approveFromList(item.runId))
  const label = needActionLabel(item)
  const name = `${label}: ${item.title}`
  if (item.action === 'approve') {
    return (
      <button
        type="button"
        className={`primary ${className}`}
        aria-label={name}
        data-testid="needs-you-action"
        disabled={approve.pending}
        onClick={(e) => {
          const refocus = rememberRow(e.currentTarget)
          void approve.run().then((ok) => {
            refocus()
            if (ok) onDone?.()
          })
        }}
      >
        {label}
      </button>
    )
  }
  return (
    <a
      className={`button-link primary ${className}`}
      aria-label={name}
      data-testid="needs-you-action"
      href={takeoverHash(item)}
      onClick={() => onDone?.()}
    >
      {label}
    </a>
  )
}

/** The action for a run's row, shown only while that run waits for a person. */
export function NeedsYouAction({ runId }: { runId: string | null | undefined }) {
  const item = useNeedsYou(selectNeedFor(runId))
  return item ? <NeedAction item={item} /> : null
}

/** The action for a step row whose linked run waits for a person. */
export function StepNeedAction({ stepId }: { stepId: string }) {
  const item = useNeedsYou(selectNeedForStep(stepId))
  return item ? (
    <div className="step-extra step-need" data-testid="step-need">
      <span className="small">{item.need === 'approval' ? 'Its run waits for approval' : 'Its run waits for a person'}</span>{' '}
      <NeedAction item={item} />
    </div>
  ) : null
}

/** On a collapsed track card's head: the action of the track's oldest waiting run, in reach without opening it. */
export function TrackNeedAction({ trackId }: { trackId: string }) {
  const item = useNeedsYou(selectNeedForTrack(trackId))
  return item ? <NeedAction item={item} /> : null
}

function askPermission(): void {
  if (typeof Notification === 'undefined' || window.opdesk) return
  if (Notification.permission === 'default') void Notification.requestPermission().catch(() => {})
}

/** Title badge (both shells) and browser notifications for new items (host mode only). */
function useAttention(items: NeedsYouItem[] | null): void {
  const seen = useRef<Set<string> | null>(null)
  const count = items?.length ?? 0
  useEffect(() => {
    document.title = count > 0 ? `(${count}) ${BASE_TITLE}` : BASE_TITLE
  }, [count])
  useEffect(() => () => void (document.title = BASE_TITLE), [])
  useEffect(() => {
    if (!items) return
    const keys = new Set(items.map(needKey))
    const before = seen.current
    seen.current = keys
    // The first answer is what was already waiting when the page opened: not news.
    if (!before || window.opdesk || typeof Notification === 'undefined') return
    if (Notification.permission !== 'granted') return
    for (const item of items) {
      if (before.has(needKey(item))) continue
      const text = needNotification(item)
      try {
        const note = new Notification(text.title, { body: text.body, tag: needKey(item) })
        note.onclick = () => {
          window.focus()
          window.location.hash = item.action === 'approve' ? href.run(item.runId) : takeoverHash(item)
          note.close()
        }
      } catch {
        // Some browsers only notify through a service worker; the title badge still says it.
      }
    }
  }, [items])
}

export function NeedsYou() {
  const { data } = useNeedsYou()
  // In the ui store: the n/p shortcuts open it and move through it from anywhere.
  const open = useUi((s) => s.needsYouOpen)
  const focusAsk = useUi((s) => s.needsYouFocus)
  const setOpen = (v: boolean | ((o: boolean) => boolean)) =>
    setNeedsYouOpen(typeof v === 'function' ? v(useUi.getState().needsYouOpen) : v)
  const list = useRef<HTMLOListElement>(null)
  const panelId = useId()
  const wrap = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const count = data?.length ?? 0
  useAttention(data)

  useEffect(() => {
    void needsYou.load()
  }, [])

  // A shortcut asked for item `index` (wrapping round the list): its action takes focus.
  useEffect(() => {
    if (!focusAsk) return
    const actions = [...(list.current?.querySelectorAll<HTMLElement>('[data-testid="needs-you-action"]') ?? [])]
    if (actions.length === 0) {
      button.current?.focus() // "Nothing needs you right now" is read next to it
      return
    }
    const i = ((focusAsk.index % actions.length) + actions.length) % actions.length
    actions[i]?.focus()
  }, [focusAsk])

  // Close on Escape (focus back on the count) and on a click elsewhere.
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      setOpen(false)
      button.current?.focus()
    }
    const onDown = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('keydown', onKey)
    document.addEventListener('mousedown', onDown)
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('mousedown', onDown)
    }
  }, [open])

  return (
    <div className="needs-you" ref={wrap}>
      <button
        ref={button}
        type="button"
        className={`needs-you-button${count > 0 ? ' has-items' : ''}`}
        data-testid="needs-you"
        data-count={count}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          askPermission() // a user gesture: the one moment a browser lets us ask
          setOpen((o) => !o)
        }}
      >
        Needs you <span className="needs-you-count">{count}</span>
      </button>
      <div id={panelId} className="needs-you-panel" role="region" aria-label="Runs that need you" hidden={!open}>
        {count === 0 ? (
          <p className="muted small">Nothing needs you right now.</p>
        ) : (
          <ol className="needs-you-list" ref={list}>
            {data!.map((item) => (
              <li
                key={needKey(item)}
                className="needs-you-item"
                data-testid="needs-you-item"
                data-run-id={item.runId}
                data-need={item.need}
              >
                <div className="needs-you-text">
                  <a href={href.run(item.runId)} onClick={() => setOpen(false)}>
                    {item.title}
                  </a>
                  <span className="small">{item.reason}</span>
                  <span className="muted small">
                    {item.scheduleId && <span data-testid="needs-you-scheduled">scheduled run · </span>}
                    waiting {formatDuration(item.since, null)}
                    {item.trackTitle && ` · ${item.trackTitle}${item.stepTitle ? ` › ${item.stepTitle}` : ''}`}
                  </span>
                </div>
                <NeedAction
                  item={item}
                  onDone={() => {
                    setOpen(false)
                    button.current?.focus() // the list it acted in is closed: back to its opener
                  }}
                />
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  )
}
