// DOM events → takeover messages. Positions travel as fractions of the view's box (never
// pixels), so the frame can be scaled to any size (shared/takeover.ts).
import { MOD, type MouseButton, type UpMessageIn } from '@shared/takeover'

export function modifiersOf(e: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): number {
  return (e.altKey ? MOD.alt : 0) | (e.ctrlKey ? MOD.ctrl : 0) | (e.metaKey ? MOD.meta : 0) | (e.shiftKey ? MOD.shift : 0)
}

const BUTTONS: MouseButton[] = ['left', 'middle', 'right']
export const buttonOf = (b: number): MouseButton => BUTTONS[b] ?? 'none'

const clamp01 = (v: number) => Math.min(1, Math.max(0, v))

export function fractionOf(e: { clientX: number; clientY: number }, box: DOMRect): { fx: number; fy: number } {
  return {
    fx: clamp01(box.width ? (e.clientX - box.left) / box.width : 0),
    fy: clamp01(box.height ? (e.clientY - box.top) / box.height : 0),
  }
}

/** Shift+Escape hands focus back to Opdesk (WCAG 2.1.2: the live view must not trap the keyboard). */
export const isReleaseKey = (e: KeyboardEvent) => e.key === 'Escape' && e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey

/**
 * Ctrl/Cmd+V must paste the operator's clipboard, not the remote page's: let the browser
 * raise its paste event (which we forward as text) instead of sending the key.
 */
export const isPasteShortcut = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'v'

export function keyMessage(e: KeyboardEvent, action: 'down' | 'up'): UpMessageIn {
  return { type: 'key', action, key: e.key.slice(0, 32), code: e.code.slice(0, 32), modifiers: modifiersOf(e), repeat: e.repeat, location: e.location }
}
