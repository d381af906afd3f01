import type { StreamEventName, StreamEvents, StreamMessage } from '../../shared/api'

export type Listener = (msg: StreamMessage) => void

/** Change notifications for the live stream. subscribe() returns its own unsubscribe. */
export class ChangeBus {
  private listeners = new Set<Listener>()

  emit<K extends StreamEventName>(type: K, data: StreamEvents[K]): void {
    const msg = { type, data } as StreamMessage
    for (const l of this.listeners) {
      try {
        l(msg)
      } catch {
        // One broken subscriber (a closed socket) must not stop the others.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get size(): number {
    return this.listeners.size
  }
}
