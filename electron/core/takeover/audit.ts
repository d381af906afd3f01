// takeover.input accounting: counts and kinds of input, flushed to the run's event log
// every few seconds while input flows, soon after a "committing" input (Enter, a click,
// a paste, a dialog or select answer, which usually submit the prompt and so precede the
// engine's takeover.ended), and at the end. Never a key, a character or a position.
import type { InputCounts } from '../../../shared/takeover'
import type { UpMessage } from '../../../shared/takeover-schema'
import type { AuditFn } from './types'

export type InputKind = keyof InputCounts

const zero = (): InputCounts => ({ mouse: 0, keys: 0, text: 0, wheel: 0, paste: 0, dialog: 0, select: 0 })

/** Two committing inputs closer than this share one event. */
const MIN_GAP_MS = 250

export class InputAudit {
  private counts = zero()
  private pending = false
  private periodic: NodeJS.Timeout | null = null
  private soon: NodeJS.Timeout | null = null
  private lastFlush = 0
  private viewer: string | null = null

  constructor(
    private readonly emit: AuditFn,
    private readonly everyMs: number,
  ) {}

  note(kind: InputKind, viewerId: string, commit = false): void {
    if (this.pending && this.viewer !== viewerId) this.flush()
    this.viewer = viewerId
    this.counts[kind] += 1
    this.pending = true
    if (!this.periodic) {
      this.periodic = setTimeout(() => this.flush(), this.everyMs)
      this.periodic.unref?.()
    }
    if (commit && !this.soon) {
      const wait = Math.max(0, this.lastFlush + MIN_GAP_MS - Date.now())
      this.soon = setTimeout(() => this.flush(), wait)
      this.soon.unref?.()
    }
  }

  flush(): void {
    if (this.periodic) clearTimeout(this.periodic)
    if (this.soon) clearTimeout(this.soon)
    this.periodic = this.soon = null
    if (!this.pending) return
    const counts = this.counts
    this.counts = zero()
    this.pending = false
    this.lastFlush = Date.now()
    try {
      this.emit('takeover.input', { ...counts, viewer: this.viewer })
    } catch {
      // The run may have ended meanwhile; the counts are lost rather than crashing the session.
    }
  }
}

/** What an input counts as in takeover.input (presses, not releases or moves). */
export function countAs(msg: UpMessage): InputKind | null {
  switch (msg.type) {
    case 'mouse':
      return msg.action === 'down' ? 'mouse' : null
    case 'key':
      return msg.action === 'down' ? 'keys' : null
    case 'wheel':
    case 'text':
    case 'paste':
      return msg.type
    default:
      return null
  }
}

/** Inputs that usually submit a prompt: flush the counts before the engine moves on. */
export function isCommit(msg: UpMessage): boolean {
  return (
    (msg.type === 'mouse' && msg.action === 'up') ||
    (msg.type === 'key' && msg.action === 'down' && msg.key === 'Enter') ||
    msg.type === 'paste'
  )
}
