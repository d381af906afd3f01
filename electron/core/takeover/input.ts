// The person's input → CDP Input commands, one at a time and in order. A fraction (fx, fy)
// of the view's box lands at (fx·width, fy·height) CSS pixels of the page's viewport
// (DESIGN.md, test id `takeover-view`). Mouse moves that pile up while the page is busy
// are coalesced to the latest one; everything else is delivered exactly once.
import type { MouseButton, Viewport } from '../../../shared/takeover'
import type { InputMessage } from '../../../shared/takeover-schema'
import { keyEvent } from './keys'

export interface InputTarget {
  send(method: string, params: Record<string, unknown>): Promise<unknown>
  viewport(): Viewport | null
}

const BUTTON_BITS: Record<MouseButton, number> = { none: 0, left: 1, right: 2, middle: 4 }

export function toViewport(fx: number, fy: number, vp: Viewport): { x: number; y: number } {
  return { x: fx * vp.width, y: fy * vp.height }
}

export class InputQueue {
  private readonly tasks: { move: boolean; run: () => Promise<void> }[] = []
  private running = false
  /** Buttons held down, for `buttons` on moves (drags, text selection). */
  private buttons = 0

  constructor(
    private readonly target: () => InputTarget | null,
    private readonly platform: 'mac' | 'other',
    private readonly onError: (err: unknown) => void,
  ) {}

  push(msg: InputMessage, after?: () => Promise<void> | void): void {
    const move = msg.type === 'mouse' && msg.action === 'move'
    const run = async () => {
      const t = this.target()
      if (!t) return
      await this.dispatch(t, msg)
      await after?.()
    }
    const last = this.tasks.at(-1)
    if (move && last?.move) this.tasks[this.tasks.length - 1] = { move, run }
    else this.tasks.push({ move, run })
    void this.drain()
  }

  /** Forget held buttons, e.g. when the screencast moves to another page. */
  reset(): void {
    this.buttons = 0
  }

  /** Resolves once everything queued so far has been dispatched. */
  async idle(): Promise<void> {
    while (this.running || this.tasks.length) await new Promise((r) => setTimeout(r, 5))
  }

  private async drain(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      for (let task = this.tasks.shift(); task; task = this.tasks.shift()) {
        try {
          await task.run()
        } catch (err) {
          this.onError(err)
        }
      }
    } finally {
      this.running = false
    }
  }

  private async dispatch(t: InputTarget, msg: InputMessage): Promise<void> {
    switch (msg.type) {
      case 'mouse': {
        const vp = t.viewport()
        if (!vp) return
        const { x, y } = toViewport(msg.fx, msg.fy, vp)
        const bit = BUTTON_BITS[msg.button]
        if (msg.action === 'down') this.buttons |= bit
        if (msg.action === 'up') this.buttons &= ~bit
        const type = msg.action === 'move' ? 'mouseMoved' : msg.action === 'down' ? 'mousePressed' : 'mouseReleased'
        await t.send('Input.dispatchMouseEvent', {
          type,
          x,
          y,
          modifiers: msg.modifiers,
          button: msg.action === 'move' ? buttonOf(this.buttons) : msg.button,
          buttons: this.buttons,
          clickCount: msg.action === 'move' ? 0 : Math.max(1, msg.clickCount),
        })
        return
      }
      case 'wheel': {
        const vp = t.viewport()
        if (!vp) return
        const { x, y } = toViewport(msg.fx, msg.fy, vp)
        await t.send('Input.dispatchMouseEvent', {
          type: 'mouseWheel',
          x,
          y,
          deltaX: msg.dx,
          deltaY: msg.dy,
          modifiers: msg.modifiers,
        })
        return
      }
      case 'key':
        await t.send('Input.dispatchKeyEvent', { ...keyEvent(msg, this.platform) })
        return
      case 'text':
      case 'paste':
        // Straight into the focused field: the page's clipboard is not the operator's.
        await t.send('Input.insertText', { text: msg.text })
        return
    }
  }
}

function buttonOf(bits: number): MouseButton {
  if (bits & 1) return 'left'
  if (bits & 2) return 'right'
  if (bits & 4) return 'middle'
  return 'none'
}
