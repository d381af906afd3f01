// Native <select> popups are drawn outside the page, so a screencast never shows them
// (keyboard still works). After a click on a select we close the invisible popup and send
// the view the options to show as an overlay; the choice is applied like selectOption.
import type { ElementHandle, Page } from 'playwright-core'
import type { SelectInfo, SelectOption, Viewport } from '../../../shared/takeover'
import type { InputMessage } from '../../../shared/takeover-schema'
import type { Screencast } from './screencast'

const MAX_FRAMES = 20
const PROBE_TIMEOUT_MS = 1_500

// Just the DOM this module touches: core compiles without the DOM lib (it runs in Node).
interface OptionEl {
  value: string
  label: string
  text: string
  selected: boolean
  disabled: boolean
  parentElement: { tagName: string; disabled?: boolean } | null
}
interface SelectEl {
  tagName: string
  disabled: boolean
  multiple: boolean
  options: ArrayLike<OptionEl>
}
interface DocLike {
  activeElement: SelectEl | null
  hasFocus(): boolean
}

export interface FocusedSelect {
  handle: ElementHandle<SelectEl>
  multiple: boolean
  options: SelectOption[]
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms).unref?.())])
}

/** The select that has focus in any frame of the page (cross-origin iframes included), if any. */
export async function focusedSelect(page: Page): Promise<FocusedSelect | null> {
  const probe = async (): Promise<FocusedSelect | null> => {
    for (const frame of page.frames().slice(0, MAX_FRAMES)) {
      try {
        const js = await frame.evaluateHandle(() => {
          const doc = (globalThis as unknown as { document: DocLike }).document
          const el = doc.activeElement
          return doc.hasFocus() && el?.tagName === 'SELECT' && !el.disabled ? el : null
        })
        const el = js.asElement() as ElementHandle<SelectEl> | null
        if (!el) {
          await js.dispose()
          continue
        }
        const info = await el.evaluate((s) => ({
          multiple: s.multiple,
          options: Array.from(s.options).map((o) => ({
            value: o.value,
            label: o.label || o.text,
            selected: o.selected,
            disabled: o.disabled || (o.parentElement?.tagName === 'OPTGROUP' && !!o.parentElement.disabled),
          })),
        }))
        return { handle: el, ...info }
      } catch {
        // The frame navigated or detached while we looked: not a select any more.
      }
    }
    return null
  }
  return withTimeout(probe(), PROBE_TIMEOUT_MS)
}

export class SelectBridge {
  private pending: { info: SelectInfo; handle: ElementHandle<SelectEl> } | null = null
  private seq = 0

  constructor(private readonly onChange: (info: SelectInfo | null) => void) {}

  get current(): SelectInfo | null {
    return this.pending?.info ?? null
  }

  show(found: FocusedSelect): void {
    void this.clear(false)
    const info: SelectInfo = { id: `s${++this.seq}`, multiple: found.multiple, options: found.options }
    this.pending = { info, handle: found.handle }
    this.onChange(info)
  }

  /** values=null: closed without a choice. Returns false when the id is stale. */
  async answer(id: string, values: string[] | null): Promise<boolean> {
    const p = this.pending
    if (!p || p.info.id !== id) return false
    this.pending = null
    this.onChange(null)
    try {
      if (values !== null)
        await p.handle.selectOption(
          values.map((value) => ({ value })),
          { timeout: 5_000 },
        )
    } finally {
      await p.handle.dispose().catch(() => {})
    }
    return true
  }

  async clear(notify = true): Promise<void> {
    const p = this.pending
    this.pending = null
    if (!p) return
    if (notify) this.onChange(null)
    await p.handle.dispose().catch(() => {})
  }
}

/** Keys that open a focused select's (invisible) popup. */
const SELECT_OPENERS = new Set([' ', 'F4'])

/** Inputs after which a select may have opened its popup. */
export function probesSelect(msg: InputMessage): boolean {
  if (msg.type === 'mouse') return msg.action === 'up' && msg.button === 'left'
  if (msg.type === 'key' && msg.action === 'down')
    return SELECT_OPENERS.has(msg.key) || (msg.modifiers === 1 && (msg.key === 'ArrowDown' || msg.key === 'ArrowUp'))
  return false
}

/**
 * After a click on (or an opening key in) a select: the select to offer as an overlay, with
 * the popup Chromium opened closed again, since it is invisible and would swallow keys.
 */
export async function clickedSelect(
  cast: Screencast,
  msg: InputMessage,
  viewport: Viewport | null,
): Promise<FocusedSelect | null> {
  const found = await focusedSelect(cast.page)
  if (!found) return null
  if (msg.type === 'mouse') {
    // Only a click on the select itself opened it (focus may linger after a click elsewhere).
    const box = await found.handle.boundingBox().catch(() => null)
    const x = msg.fx * (viewport?.width ?? 0)
    const y = msg.fy * (viewport?.height ?? 0)
    if (!box || x < box.x || x > box.x + box.width || y < box.y || y > box.y + box.height) {
      await found.handle.dispose()
      return null
    }
  }
  for (const type of ['rawKeyDown', 'keyUp']) {
    await cast.send('Input.dispatchKeyEvent', {
      type,
      key: 'Escape',
      code: 'Escape',
      windowsVirtualKeyCode: 27,
      nativeVirtualKeyCode: 27,
    })
  }
  return found
}
