// DOM events → takeover input messages. Positions become fractions of the live view's
// box (the session maps them onto the page viewport); keys keep key/code/modifiers.
import type { KeyboardEvent as ReactKeyboardEvent } from 'react'
import { MOD, type MouseButton } from '@shared/takeover'
import type { UpMessageIn } from '@shared/takeover-schema'

export const operatorIsMac = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)

export function modifiersOf(e: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): number {
  return (
    (e.altKey ? MOD.alt : 0) | (e.ctrlKey ? MOD.ctrl : 0) | (e.metaKey ? MOD.meta : 0) | (e.shiftKey ? MOD.shift : 0)
  )
}

/**
 * Shortcuts follow the operator's habits, not the remote machine's: Cmd+A on a Mac means
 * Ctrl+A to a page on Linux, and the other way round.
 */
export function remoteModifiers(mods: number, key: string, operatorMac: boolean, remoteMac: boolean): number {
  const shortcut = [...key].length === 1 || key === 'Backspace' || key.startsWith('Arrow')
  if (!shortcut || operatorMac === remoteMac) return mods
  const from = operatorMac ? MOD.meta : MOD.ctrl
  const to = operatorMac ? MOD.ctrl : MOD.meta
  return mods & from ? (mods & ~from) | to : mods
}

export function fractionIn(rect: DOMRect, clientX: number, clientY: number): { fx: number; fy: number } {
  const clamp = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0)
  return { fx: clamp((clientX - rect.left) / rect.width), fy: clamp((clientY - rect.top) / rect.height) }
}

const BUTTONS: Record<number, MouseButton> = { 0: 'left', 1: 'middle', 2: 'right' }
export const buttonOf = (b: number): MouseButton => BUTTONS[b] ?? 'none'

export function wheelMessage(e: WheelEvent, rect: DOMRect): UpMessageIn {
  // Lines and pages become pixels the way Chromium scrolls them.
  const scale = e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? rect.height : 1
  return {
    type: 'wheel',
    ...fractionIn(rect, e.clientX, e.clientY),
    dx: Math.max(-100_000, Math.min(100_000, e.deltaX * scale)),
    dy: Math.max(-100_000, Math.min(100_000, e.deltaY * scale)),
    modifiers: modifiersOf(e),
  }
}

/** Keys the view keeps for itself; everything else goes to the page. */
export function isLocalKey(e: ReactKeyboardEvent): 'leave' | 'paste' | 'ime' | null {
  if (e.key === 'Escape' && e.shiftKey) return 'leave' // Shift+Esc moves focus out of the live view
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'v') return 'paste' // let the paste event carry the text
  if (e.nativeEvent.isComposing) return 'ime'
  if (e.key === 'Process' || e.key === 'Dead' || e.keyCode === 229) return 'ime'
  return null
}
