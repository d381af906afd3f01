// Frame acknowledgement: Chromium sends the next screencast frame only after earlier ones
// are acknowledged. Acking when the pacing viewer has painted a frame keeps the stream at
// the speed the person can see instead of queueing stale frames on the socket; acking the
// frame the viewer is busy with at once (one frame of look-ahead) lets Chromium capture
// the next one while the viewer paints, rather than after a whole round trip.
import type { Screencast } from './screencast'

/** Frames the viewer may have unpainted before Chromium's acks wait for it. */
const LOOKAHEAD = 1

export class FramePacer {
  /** Frames sent to the pacing viewer and not yet painted, oldest first. */
  private unpainted: number[] = []
  /** Chromium acks held back until the viewer catches up. */
  private held: { frameId: number; ackId: number; cast: Screencast }[] = []
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly timeoutMs: number) {}

  /** A frame went to the viewer: ack it now if the viewer keeps up, else when it paints. */
  hold(frameId: number, ackId: number, cast: Screencast): void {
    this.unpainted.push(frameId)
    if (this.unpainted.length <= LOOKAHEAD) cast.ack(ackId)
    else this.held.push({ frameId, ackId, cast })
    // A viewer that never answers (hidden tab, broken client) must not freeze the stream.
    if (this.held.length > 0) this.timer ??= setTimeout(() => this.ackAll(), this.timeoutMs)
  }

  /** The viewer painted this frame: it and every older one are done. */
  ackUpTo(frameId: number): void {
    this.unpainted = this.unpainted.filter((id) => id > frameId)
    // Release held acks, oldest first, while the viewer's backlog leaves room.
    while (this.held.length > 0 && (this.held[0]!.frameId <= frameId || this.unpainted.length <= LOOKAHEAD)) {
      const u = this.held.shift()!
      u.cast.ack(u.ackId)
    }
    if (this.held.length === 0 && this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
  }

  /** The pacing viewer changed or left: release whatever waits. */
  ackAll(): void {
    this.unpainted = []
    this.ackUpTo(Number.MAX_SAFE_INTEGER)
  }
}
