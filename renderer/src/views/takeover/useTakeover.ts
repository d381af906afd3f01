// One connection to a run's takeover session for as long as the view is open. Control
// messages become React state; frames bypass it (a listener paints them straight into the
// image) so 15 frames a second do not re-render the whole view.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { DialogInfo, DownMessage, FrameMessage, SelectInfo, TakeoverStatus } from '@shared/takeover'
import type { UpMessageIn } from '@shared/takeover-schema'
import type { ConnState, TakeoverConnector, TakeoverTransport } from './transport'

export interface TakeoverError {
  code: string
  message: string
  at: number
}

export interface TakeoverState {
  conn: ConnState
  connDetail: string | null
  status: TakeoverStatus | null
  dialog: DialogInfo | null
  select: SelectInfo | null
  error: TakeoverError | null
}

export interface Takeover extends TakeoverState {
  send(msg: UpMessageIn): void
  /** Paints come through here; returns the unsubscribe. */
  onFrame(cb: (f: FrameMessage) => void): () => void
  /** True when this view holds the lease, or just asked for a free one (the server keeps order). */
  ensureLease(): boolean
  /** Gives the lease back; resolves once the session confirms (its input counts are written by then). */
  release(): Promise<void>
  hasControl: boolean
  clearError(): void
}

const initial: TakeoverState = {
  conn: 'connecting',
  connDetail: null,
  status: null,
  dialog: null,
  select: null,
  error: null,
}

export function useTakeover(runId: string, connector: TakeoverConnector | null): Takeover {
  // Mounted once per run (the view is keyed by run id), so the first state is the only reset needed.
  const [state, setState] = useState<TakeoverState>(() =>
    connector
      ? initial
      : { ...initial, conn: 'closed', connDetail: 'The live view is not available in this window yet' },
  )
  const transport = useRef<TakeoverTransport | null>(null)
  const frameListeners = useRef(new Set<(f: FrameMessage) => void>())
  const lastFrame = useRef<FrameMessage | null>(null)
  // The latest status, readable from event handlers without waiting for a render.
  const statusRef = useRef<TakeoverStatus | null>(null)
  const asked = useRef(false)
  const released = useRef<(() => void)[]>([])

  useEffect(() => {
    if (!connector) return
    const onMessage = (msg: DownMessage) => {
      switch (msg.type) {
        case 'frame':
          lastFrame.current = msg
          for (const cb of frameListeners.current) cb(msg)
          return
        case 'status':
          statusRef.current = msg
          if (msg.lease !== null) asked.current = false
          if (msg.lease !== msg.you) for (const r of released.current.splice(0)) r()
          return setState((s) => ({ ...s, status: msg, ...(msg.live ? {} : { dialog: null, select: null }) }))
        case 'dialog':
          return setState((s) => ({ ...s, dialog: msg.dialog }))
        case 'select':
          return setState((s) => ({ ...s, select: msg.select }))
        case 'error':
          if (msg.code === 'lease-held' || msg.code === 'no-lease') asked.current = false
          return setState((s) => ({ ...s, error: { code: msg.code, message: msg.message, at: Date.now() } }))
      }
    }
    const t = connector(runId, {
      onMessage,
      onState: (conn, detail) => setState((s) => ({ ...s, conn, connDetail: detail ?? null })),
    })
    transport.current = t
    return () => {
      transport.current = null
      statusRef.current = null
      lastFrame.current = null
      t.close()
    }
  }, [runId, connector])

  const send = useCallback((msg: UpMessageIn) => transport.current?.send(msg), [])

  const onFrame = useCallback((cb: (f: FrameMessage) => void) => {
    frameListeners.current.add(cb)
    if (lastFrame.current) cb(lastFrame.current)
    return () => void frameListeners.current.delete(cb)
  }, [])

  const ensureLease = useCallback((): boolean => {
    const s = statusRef.current
    if (!s?.live) return false
    if (s.lease === s.you) return true
    if (s.lease !== null) return false
    if (!asked.current) {
      asked.current = true
      transport.current?.send({ type: 'lease', want: true })
    }
    return true
  }, [])

  const release = useCallback((): Promise<void> => {
    const s = statusRef.current
    if (!s || s.lease !== s.you) return Promise.resolve()
    return new Promise<void>((resolve) => {
      released.current.push(resolve)
      transport.current?.send({ type: 'lease', want: false })
      setTimeout(resolve, 1_000) // a lost reply must not hold up Resume
    })
  }, [])

  const clearError = useCallback(() => setState((s) => ({ ...s, error: null })), [])
  const hasControl = !!state.status && state.status.lease === state.status.you

  return useMemo(
    () => ({ ...state, send, onFrame, ensureLease, release, hasControl, clearError }),
    [state, send, onFrame, ensureLease, release, hasControl, clearError],
  )
}
