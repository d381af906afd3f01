// How the takeover view reaches a session: an interface, so the Electron shell can add
// an IPC channel later; host mode uses a WebSocket on the same origin (the auth cookie
// rides along). A dropped socket reconnects with backoff while the view is open.
import { takeoverSocketPath, type DownMessage } from '@shared/takeover'
import type { UpMessageIn } from '@shared/takeover-schema'

export type ConnState = 'connecting' | 'open' | 'retrying' | 'closed'

export interface TakeoverTransport {
  send(msg: UpMessageIn): void
  close(): void
}

export interface TransportHandlers {
  onMessage(msg: DownMessage): void
  onState(state: ConnState, detail?: string): void
}

export type TakeoverConnector = (runId: string, handlers: TransportHandlers) => TakeoverTransport

const MIN_BACKOFF_MS = 300
const MAX_BACKOFF_MS = 5_000
/** Close codes after which retrying cannot help (policy refused, server said unavailable). */
const FINAL_CODES = new Set([1008, 1011])

export function socketUrl(runId: string, loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${loc.host}${takeoverSocketPath(runId)}`
}

export const connectWebSocket: TakeoverConnector = (runId, handlers) => {
  let ws: WebSocket | null = null
  let closed = false
  let backoff = MIN_BACKOFF_MS
  let retryTimer: ReturnType<typeof setTimeout> | null = null

  const open = (first: boolean) => {
    handlers.onState(first ? 'connecting' : 'retrying')
    const sock = new WebSocket(socketUrl(runId))
    ws = sock
    sock.onopen = () => {
      backoff = MIN_BACKOFF_MS
      handlers.onState('open')
    }
    sock.onmessage = (e) => {
      if (typeof e.data !== 'string') return
      try {
        handlers.onMessage(JSON.parse(e.data) as DownMessage)
      } catch {
        // A malformed message is dropped; the next status or frame carries on.
      }
    }
    sock.onclose = (e) => {
      if (ws !== sock) return
      ws = null
      if (closed) return
      if (FINAL_CODES.has(e.code)) return handlers.onState('closed', e.reason || 'The live view is not available')
      handlers.onState('retrying')
      retryTimer = setTimeout(() => open(false), backoff)
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    }
  }
  open(true)

  return {
    send(msg) {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg))
    },
    close() {
      closed = true
      if (retryTimer) clearTimeout(retryTimer)
      ws?.close(1000)
      ws = null
      handlers.onState('closed')
    },
  }
}

/** The connector for this shell: the preload's takeover channel in Electron, a WebSocket in host mode. */
export function defaultConnector(): TakeoverConnector | null {
  if (typeof window === 'undefined') return null
  const bridge = window.opdesk
  if (bridge) return typeof bridge.takeover === 'function' ? (runId, h) => bridge.takeover(runId, h.onMessage, h.onState) : null
  return window.location.protocol === 'http:' || window.location.protocol === 'https:' ? connectWebSocket : null
}
