// One takeover connection for the open view: status, overlays and errors in React state,
// frames straight to the screen (they arrive many times a second).
import { useCallback, useEffect, useRef, useState } from 'react'
import type { DialogInfo, DownMessage, SelectInfo, TakeoverStatus, UpMessageIn } from '@shared/takeover'
import type { ScreenHandle } from '../views/runs/TakeoverScreen'
import { openTakeoverSocket, type SocketState, type TakeoverSocket } from './socket'

export interface Takeover {
  socket: SocketState
  status: TakeoverStatus | null
  dialog: DialogInfo | null
  select: SelectInfo | null
  error: string | null
  hasLease: boolean
  send: (msg: UpMessageIn) => void
  ensureLease: () => void
  setLease: (want: boolean) => void
  registerScreen: (h: ScreenHandle | null) => void
}

export function useTakeover(runId: string, enabled: boolean): Takeover {
  const [socket, setSocket] = useState<SocketState>('connecting')
  const [status, setStatus] = useState<TakeoverStatus | null>(null)
  const [dialog, setDialog] = useState<DialogInfo | null>(null)
  const [select, setSelect] = useState<SelectInfo | null>(null)
  const [error, setError] = useState<string | null>(null)
  const sock = useRef<TakeoverSocket | null>(null)
  const screen = useRef<ScreenHandle | null>(null)
  // Mirrors status.lease for the event handlers, so a burst of input asks for it once.
  const leaseRequested = useRef(false)
  const statusRef = useRef<TakeoverStatus | null>(null)

  useEffect(() => {
    if (!enabled) return
    const onMessage = (m: DownMessage) => {
      switch (m.type) {
        case 'frame':
          screen.current?.paint(m)
          break
        case 'status':
          statusRef.current = m
          if (m.lease !== m.you) leaseRequested.current = false
          setStatus(m)
          if (m.live) setError(null)
          break
        case 'dialog':
          setDialog(m.dialog)
          break
        case 'select':
          setSelect(m.select)
          break
        case 'error':
          if (m.code === 'lease-held' || m.code === 'no-lease') leaseRequested.current = false
          setError(m.message)
          break
      }
    }
    const s = openTakeoverSocket(runId, onMessage, setSocket)
    sock.current = s
    return () => {
      s.close()
      sock.current = null
    }
  }, [runId, enabled])

  const send = useCallback((msg: UpMessageIn) => {
    sock.current?.send(msg)
  }, [])

  const ensureLease = useCallback(() => {
    const st = statusRef.current
    if (!st || st.lease === st.you || leaseRequested.current) return
    leaseRequested.current = true
    sock.current?.send({ type: 'lease', want: true })
  }, [])

  const setLease = useCallback((want: boolean) => {
    leaseRequested.current = want
    sock.current?.send({ type: 'lease', want })
  }, [])

  const registerScreen = useCallback((h: ScreenHandle | null) => {
    screen.current = h
  }, [])

  return {
    socket,
    status,
    dialog,
    select,
    error,
    hasLease: !!status && status.lease === status.you,
    send,
    ensureLease,
    setLease,
    registerScreen,
  }
}
