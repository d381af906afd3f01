// The live page: the latest screencast frame, scaled to the box, with mouse, wheel, keys
// and paste sent back. Frames are painted imperatively (no React render per frame) and
// acknowledged once painted so the server paces the stream to what we can show.
import { useEffect, useRef, type KeyboardEvent as ReactKeyEvent, type PointerEvent as ReactPointerEvent } from 'react'
import type { FrameMessage, UpMessageIn, Viewport } from '@shared/takeover'
import { buttonOf, fractionOf, isPasteShortcut, isReleaseKey, keyMessage, modifiersOf } from '../../takeover/input'

export interface ScreenHandle {
  paint(frame: FrameMessage): void
}

export function TakeoverScreen({
  viewport,
  send,
  ensureLease,
  onRelease,
  register,
  live,
}: {
  viewport: Viewport | null
  send: (msg: UpMessageIn) => void
  /** Asks for the input lease first if this view does not hold it (messages stay in order). */
  ensureLease: () => void
  onRelease: () => void
  register: (h: ScreenHandle | null) => void
  live: boolean
}) {
  const boxRef = useRef<HTMLDivElement>(null)
  const imgRef = useRef<HTMLImageElement>(null)
  const pendingMove = useRef<{ fx: number; fy: number; modifiers: number } | null>(null)
  const raf = useRef<number | null>(null)

  useEffect(() => {
    register({
      paint(frame) {
        const img = imgRef.current
        if (!img) return
        img.onload = () => send({ type: 'ack', frameId: frame.frameId })
        img.src = `data:image/jpeg;base64,${frame.data}`
      },
    })
    return () => register(null)
  }, [register, send])

  // Wheel needs a non-passive listener to keep the Opdesk page itself from scrolling.
  useEffect(() => {
    const box = boxRef.current
    if (!box) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      ensureLease()
      send({ type: 'wheel', ...fractionOf(e, box.getBoundingClientRect()), dx: e.deltaX, dy: e.deltaY, modifiers: modifiersOf(e) })
    }
    box.addEventListener('wheel', onWheel, { passive: false })
    return () => box.removeEventListener('wheel', onWheel)
  }, [send, ensureLease])

  const pointer = (action: 'move' | 'down' | 'up') => (e: ReactPointerEvent<HTMLDivElement>) => {
    const box = boxRef.current
    if (!box || !live) return
    const at = fractionOf(e, box.getBoundingClientRect())
    if (action === 'move') {
      // Coalesce moves to one per animation frame: a 1000 Hz mouse must not flood the socket.
      pendingMove.current = { ...at, modifiers: modifiersOf(e) }
      if (raf.current === null) {
        raf.current = requestAnimationFrame(() => {
          raf.current = null
          const m = pendingMove.current
          if (m) send({ type: 'mouse', action: 'move', ...m })
        })
      }
      return
    }
    if (action === 'down') {
      box.focus()
      box.setPointerCapture(e.pointerId)
      ensureLease()
    }
    e.preventDefault()
    send({ type: 'mouse', action, ...at, button: buttonOf(e.button), clickCount: Math.max(1, Math.min(3, e.detail || 1)), modifiers: modifiersOf(e) })
  }

  const key = (action: 'down' | 'up') => (e: ReactKeyEvent<HTMLDivElement>) => {
    const ev = e.nativeEvent
    if (action === 'down' && isReleaseKey(ev)) {
      e.preventDefault()
      onRelease()
      return
    }
    if (isPasteShortcut(ev) || !live) return
    e.preventDefault()
    if (action === 'down') ensureLease()
    send(keyMessage(ev, action))
  }

  const ratio = viewport ? `${viewport.width} / ${viewport.height}` : '16 / 10'
  return (
    <div
      ref={boxRef}
      className={`takeover-screen ${live ? 'is-live' : ''}`}
      data-testid="takeover-view"
      role="application"
      aria-label="Live page of the run. Keys and clicks go to the page; Shift+Escape leaves."
      aria-roledescription="remote page"
      tabIndex={0}
      style={{ aspectRatio: ratio, maxWidth: viewport ? viewport.width : undefined }}
      onPointerMove={pointer('move')}
      onPointerDown={pointer('down')}
      onPointerUp={pointer('up')}
      onContextMenu={(e) => e.preventDefault()}
      onKeyDown={key('down')}
      onKeyUp={key('up')}
      onPaste={(e) => {
        const text = e.clipboardData.getData('text/plain')
        e.preventDefault()
        if (!text || !live) return
        ensureLease()
        send({ type: 'paste', text: text.slice(0, 100_000) })
      }}
    >
      <img ref={imgRef} alt="" draggable={false} />
      {!live && <div className="takeover-idle">No live page right now</div>}
    </div>
  )
}
