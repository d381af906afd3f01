// The live change stream. Host mode reads server-sent events; Electron gets the same
// messages through the bridge. Either way a subscription returns its unsubscribe.
import type { StreamEventName, StreamMessage } from '@shared/api'

export type StreamListener = (msg: StreamMessage) => void
export type StreamStatus = 'connecting' | 'open' | 'retrying'

// Every stream event, checked against the type: a new one the core emits cannot be left unheard.
const EVENTS: Record<StreamEventName, true> = {
  hello: true,
  'track.changed': true,
  'run.changed': true,
  'run.event': true,
  'alert.changed': true,
  'approval.changed': true,
  'flow.changed': true,
  'schedule.changed': true,
  'profile.changed': true,
}
const EVENT_NAMES = Object.keys(EVENTS) as StreamEventName[]

const MIN_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 30_000

export interface SubscribeOptions {
  /** Called after a dropped stream is back: whatever changed meanwhile was missed, so refetch. */
  onReconnect?: () => void
  onStatus?: (s: StreamStatus) => void
  url?: string
}

export function subscribe(listener: StreamListener, opts: SubscribeOptions = {}): () => void {
  if (typeof window !== 'undefined' && window.opdesk) {
    // IPC does not drop the way a socket does; the bridge owns its own lifetime.
    opts.onStatus?.('open')
    return window.opdesk.subscribe(listener)
  }
  return subscribeSse(listener, opts)
}

function subscribeSse(listener: StreamListener, opts: SubscribeOptions): () => void {
  let source: EventSource | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let backoff = MIN_BACKOFF_MS
  let everOpened = false
  let stopped = false

  const connect = () => {
    opts.onStatus?.(everOpened ? 'retrying' : 'connecting')
    const es = new EventSource(opts.url ?? '/api/stream', { withCredentials: true })
    source = es
    for (const type of EVENT_NAMES) {
      es.addEventListener(type, (ev) => {
        let data: unknown = {}
        try {
          data = JSON.parse((ev as MessageEvent<string>).data)
        } catch {
          return // a malformed frame is not worth dropping the connection for
        }
        if (type === 'hello') {
          // "hello" is the first frame of every connection, so it marks a (re)connect.
          backoff = MIN_BACKOFF_MS
          opts.onStatus?.('open')
          if (everOpened) opts.onReconnect?.()
          everOpened = true
        }
        listener({ type, data } as StreamMessage)
      })
    }
    es.onerror = () => {
      // EventSource retries by itself only while the server keeps answering 200; after a
      // 401 or a refused connection it gives up. Own the retry so both cases back off.
      es.close()
      if (stopped) return
      opts.onStatus?.('retrying')
      timer = setTimeout(connect, backoff + Math.random() * 250)
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    }
  }

  connect()
  return () => {
    stopped = true
    if (timer) clearTimeout(timer)
    source?.close()
  }
}
