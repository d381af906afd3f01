// Frame acknowledgement: Chromium sends the next screencast frame only after the last one
// is acknowledged, so acking when the pacing viewer has painted a frame keeps the stream
// at the speed the person can see, instead of queueing stale frames on the socket.
import type { Screencast } from './screencast'

export class FramePacer {
  private unacked: { frameId: number; ackId: number; cast: Screencast }[] = []
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly timeoutMs: number) {}

  /** Holds a sent frame's ack until its viewer reports it shown (or the timeout passes). */
  hold(frameId: number, ackId: number, cast: Screencast): void {
    this.unacked.push({ frameId, ackId, cast })
    // A viewer that never answers (hidden tab, broken client) must not freeze the stream.
    this.timer ??= setTimeout(() => this.ackAll(), this.timeoutMs)
  }

  /** The viewer painted this frame: it and every older one are done. */
  ackUpTo(frameId: number): void {
    const done = this.unacked.filter((u) => u.frameId <= frameId)
    this.unacked = this.unacked.filter((u) => u.frameId > frameId)
    for (const u of done) u.cast.ack(u.ackId)
    if (this.unacked.length === 0 && this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
  }

  /** The pacing viewer changed or left: release whatever waits. */
  ackAll(): void {
    this.ackUpTo(Number.MAX_SAFE_INTEGER)
  }
}
