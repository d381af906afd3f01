// The live page: the latest screencast frame scaled to fit, and the person's mouse,
// wheel, keyboard, IME and paste sent back. The box (data-testid="takeover-view") has
// the page's aspect ratio, so a fraction of it is the same fraction of the viewport.
// Keys are captured by a transparent textarea inside it, which also makes IME and paste work.
import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react'
import type { FrameMessage, Viewport } from '@shared/takeover'
import type { UpMessageIn } from '@shared/takeover-schema'
import { buttonOf, fractionIn, isLocalKey, modifiersOf, operatorIsMac, remoteModifiers, wheelMessage } from './input'
import type { Takeover } from './useTakeover'

const DEFAULT_VIEWPORT: Viewport = { width: 1280, height: 800 }

/** The box takes the page's aspect ratio; data-viewport tells tests (and devtools) the page size. */
function applyViewport(el: HTMLElement | null, vp: Viewport): void {
  if (!el) return
  el.style.setProperty('--ratio', String(vp.width / vp.height))
  el.dataset.viewport = `${vp.width}x${vp.height}`
}

export function LiveView({ t, onLeave }: { t: Takeover; onLeave: () => void }) {
  const box = useRef<HTMLDivElement>(null)
  const img = useRef<HTMLImageElement>(null)
  const sink = useRef<HTMLTextAreaElement>(null)
  const vpRef = useRef<Viewport>(DEFAULT_VIEWPORT)
  const live = !!t.status?.live
  const remoteMac = t.status?.platform === 'mac'
  const { send, ensureLease, onFrame } = t

  // Paint each frame, then acknowledge it once it is on screen: the ack is what lets the
  // page send the next one, so a slow view slows the stream instead of queueing it.
  useEffect(() => {
    let showing = 0
    // A frame that came as bytes is shown through a blob URL (CSP img-src allows blob:),
    // released once the next one replaces it.
    let blobUrl: string | null = null
    const release = () => {
      if (blobUrl) URL.revokeObjectURL(blobUrl)
      blobUrl = null
    }
    const setRatio = (vp: Viewport) => {
      if (vp.width === vpRef.current.width && vp.height === vpRef.current.height) return
      applyViewport(box.current, vp)
      vpRef.current = vp
    }
    const off = onFrame((f: FrameMessage) => {
      const el = img.current
      if (!el) return
      setRatio(f.viewport)
      showing = f.frameId
      el.onload = () => {
        const id = showing
        requestAnimationFrame(() => send({ type: 'ack', frameId: id }))
      }
      const previous = blobUrl
      blobUrl = f.jpeg ? URL.createObjectURL(new Blob([f.jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })) : null
      el.src = blobUrl ?? `data:image/jpeg;base64,${f.data}`
      if (previous) URL.revokeObjectURL(previous)
    })
    return () => {
      off()
      release()
    }
  }, [onFrame, send])

  useEffect(() => {
    const vp = t.status?.viewport
    if (vp) {
      vpRef.current = vp
      applyViewport(box.current, vp)
    }
  }, [t.status?.viewport])

  // The person came here to type: once the page is live, keys go to it at once (no click
  // first). Only the first time; after Shift+Esc they chose to leave.
  const focusedOnce = useRef(false)
  useEffect(() => {
    if (!live || focusedOnce.current) return
    focusedOnce.current = true
    sink.current?.focus({ preventScroll: true })
  }, [live])

  // The run went on (or ended) while keys went to the page: hand focus to the view's
  // controls instead of leaving it in a sink that no longer leads anywhere.
  const wasLive = useRef(false)
  useEffect(() => {
    if (wasLive.current && !live && document.activeElement === sink.current) onLeave()
    wasLive.current = live
  }, [live, onLeave])

  // React's wheel listener is passive; a native one can stop the app page from scrolling.
  useEffect(() => {
    const el = box.current
    if (!el) return
    const onWheel = (e: WheelEvent) => {
      if (!live) return
      e.preventDefault()
      if (ensureLease()) send(wheelMessage(e, el.getBoundingClientRect()))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [live, ensureLease, send])

  const mouse = (
    action: 'move' | 'down' | 'up',
    e: { clientX: number; clientY: number; button: number; detail: number } & Parameters<typeof modifiersOf>[0],
  ): UpMessageIn => ({
    type: 'mouse',
    action,
    ...fractionIn(box.current!.getBoundingClientRect(), e.clientX, e.clientY),
    button: action === 'move' ? 'none' : buttonOf(e.button),
    clickCount: action === 'move' ? 0 : Math.min(3, Math.max(1, e.detail)),
    modifiers: modifiersOf(e),
  })

  // Moves are sent at most once per animation frame; a drag keeps reporting outside the box.
  const pendingMove = useRef<UpMessageIn | null>(null)
  const queueMove = (msg: UpMessageIn) => {
    const first = pendingMove.current === null
    pendingMove.current = msg
    if (first) {
      requestAnimationFrame(() => {
        if (pendingMove.current) send(pendingMove.current)
        pendingMove.current = null
      })
    }
  }

  const onMouseDown = (e: MouseEvent<HTMLDivElement>) => {
    e.preventDefault() // no image drag, no text selection in the app; focus goes to the sink
    sink.current?.focus({ preventScroll: true })
    if (!live || !ensureLease()) return
    send(mouse('down', e))
    const onMove = (ev: globalThis.MouseEvent) => queueMove(mouse('move', ev))
    const onUp = (ev: globalThis.MouseEvent) => {
      window.removeEventListener('mousemove', onMove)
      window.removeEventListener('mouseup', onUp)
      if (pendingMove.current) send(pendingMove.current)
      pendingMove.current = null
      send(mouse('up', ev))
    }
    window.addEventListener('mousemove', onMove)
    window.addEventListener('mouseup', onUp)
  }

  const onHover = (e: MouseEvent<HTMLDivElement>) => {
    if (live && e.buttons === 0 && t.hasControl) queueMove(mouse('move', e))
  }

  const key = (action: 'down' | 'up') => (e: KeyboardEvent<HTMLTextAreaElement>) => {
    const local = isLocalKey(e)
    if (local === 'leave' && action === 'down') {
      e.preventDefault()
      return onLeave()
    }
    if (local) return
    // Once the page is no longer live, keys are the app's again (Tab moves on): no trap.
    if (!live) return
    e.preventDefault()
    if (!ensureLease()) return
    const mods = remoteModifiers(modifiersOf(e), e.key, operatorIsMac(), remoteMac)
    send({
      type: 'key',
      action,
      key: e.key.slice(0, 32),
      code: e.code.slice(0, 32),
      modifiers: mods,
      repeat: e.repeat,
      location: e.location,
    })
  }

  const flushSink = () => {
    const el = sink.current
    if (!el || !el.value) return
    const text = el.value.slice(0, 1_000)
    el.value = ''
    if (live && ensureLease()) send({ type: 'text', text })
  }

  return (
    <div
      ref={box}
      className={`takeover-box${live ? '' : ' takeover-off'}${t.hasControl ? ' takeover-control' : ''}`}
      data-testid="takeover-view"
      onMouseDown={onMouseDown}
      onMouseMove={onHover}
      onContextMenu={(e) => e.preventDefault()}
    >
      <img
        ref={img}
        className="takeover-frame"
        alt={t.status?.title ? `Live page: ${t.status.title}` : 'Live page'}
        draggable={false}
      />
      <textarea
        ref={sink}
        className="takeover-sink"
        aria-label="Keyboard input for the live page (Shift+Escape to leave)"
        tabIndex={live ? 0 : -1}
        readOnly={!live}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        onKeyDown={key('down')}
        onKeyUp={key('up')}
        onCompositionEnd={flushSink}
        onInput={(e) => {
          if (!(e.nativeEvent as InputEvent).isComposing) flushSink()
        }}
        onPaste={(e) => {
          e.preventDefault()
          const text = e.clipboardData.getData('text/plain')
          if (text && live && ensureLease()) send({ type: 'paste', text: text.slice(0, 100_000) })
        }}
      />
    </div>
  )
}
