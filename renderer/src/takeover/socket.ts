// The takeover wire (shared/takeover.ts) over a same-origin WebSocket: host mode
// authenticates it with the same cookie as /api. Reconnects with backoff while the view is
// open, because a reload of the host or a network blip must not end a person's takeover.
import { takeoverSocketPath, type DownMessage, type UpMessageIn } from '@shared/takeover'

export type SocketState = 'connecting' | 'open' | 'retrying' | 'closed' | 'unsupported'

export interface TakeoverSocket {
  send(msg: UpMessageIn): boolean
  close(): void
}

const MIN_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 10_000

export function openTakeoverSocket(
  runId: string,
  onMessage: (msg: DownMessage) => void,
  onState: (s: SocketState) => void,
): TakeoverSocket {
  if (typeof window !== 'undefined' && window.opdesk) {
    // The preload bridge has no takeover channel (shared/bridge.ts); see the report.
    onState('unsupported')
    return { send: () => false, close: () => {} }
  }
  let ws: WebSocket | null = null
  let stopped = false
  let backoff = MIN_BACKOFF_MS
  let timer: ReturnType<typeof setTimeout> | null = null

  const connect = () => {
    onState(ws ? 'retrying' : 'connecting')
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${takeoverSocketPath(runId)}`
    const sock = new WebSocket(url)
    ws = sock
    sock.onopen = () => {
      backoff = MIN_BACKOFF_MS
      onState('open')
    }
    sock.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return
      try {
        onMessage(JSON.parse(ev.data) as DownMessage)
      } catch {
        // A frame we cannot parse is skipped; the next one replaces it anyway.
      }
    }
    sock.onclose = () => {
      if (stopped) return
      onState('retrying')
      timer = setTimeout(connect, backoff)
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    }
  }
  connect()

  return {
    send(msg) {
      if (ws?.readyState !== WebSocket.OPEN) return false
      ws.send(JSON.stringify(msg))
      return true
    },
    close() {
      stopped = true
      if (timer) clearTimeout(timer)
      ws?.close()
      onState('closed')
    },
  }
}
