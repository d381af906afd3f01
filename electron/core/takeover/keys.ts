// Keyboard events from the view → CDP Input.dispatchKeyEvent parameters. Chromium needs a
// Windows virtual key code to run default actions (Backspace, arrows, Ctrl+A), and `text`
// on keyDown to insert a character; the view only knows KeyboardEvent.key/code.
import { MOD } from '../../../shared/takeover'

const NAMED: Record<string, number> = {
  Backspace: 8,
  Tab: 9,
  Enter: 13,
  NumpadEnter: 13,
  ShiftLeft: 16,
  ShiftRight: 16,
  ControlLeft: 17,
  ControlRight: 17,
  AltLeft: 18,
  AltRight: 18,
  Pause: 19,
  CapsLock: 20,
  Escape: 27,
  Space: 32,
  PageUp: 33,
  PageDown: 34,
  End: 35,
  Home: 36,
  ArrowLeft: 37,
  ArrowUp: 38,
  ArrowRight: 39,
  ArrowDown: 40,
  Insert: 45,
  Delete: 46,
  MetaLeft: 91,
  MetaRight: 92,
  ContextMenu: 93,
  NumpadMultiply: 106,
  NumpadAdd: 107,
  NumpadSubtract: 109,
  NumpadDecimal: 110,
  NumpadDivide: 111,
  NumLock: 144,
  ScrollLock: 145,
  Semicolon: 186,
  Equal: 187,
  Comma: 188,
  Minus: 189,
  Period: 190,
  Slash: 191,
  Backquote: 192,
  BracketLeft: 219,
  Backslash: 220,
  BracketRight: 221,
  Quote: 222,
  IntlBackslash: 226,
}

/** `key` values whose code is empty or unknown (virtual keyboards) still map to a key code. */
const BY_KEY: Record<string, number> = {
  Backspace: 8,
  Tab: 9,
  Enter: 13,
  Shift: 16,
  Control: 17,
  Alt: 18,
  Escape: 27,
  ' ': 32,
  PageUp: 33,
  PageDown: 34,
  End: 35,
  Home: 36,
  ArrowLeft: 37,
  ArrowUp: 38,
  ArrowRight: 39,
  ArrowDown: 40,
  Delete: 46,
  Meta: 91,
}

export function keyCodeFor(code: string, key: string): number {
  const named = NAMED[code]
  if (named !== undefined) return named
  let m = /^Key([A-Z])$/.exec(code)
  if (m) return m[1]!.charCodeAt(0)
  m = /^Digit(\d)$/.exec(code)
  if (m) return 48 + Number(m[1])
  m = /^Numpad(\d)$/.exec(code)
  if (m) return 96 + Number(m[1])
  m = /^F(\d{1,2})$/.exec(code)
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 24) return 111 + Number(m[1])
  const byKey = BY_KEY[key]
  if (byKey !== undefined) return byKey
  if ([...key].length === 1) {
    const c = key.toUpperCase()
    if (/^[A-Z0-9]$/.test(c)) return c.charCodeAt(0)
  }
  return 0
}

/** The character a keyDown inserts, if any. Ctrl/Meta shortcuts insert nothing; AltGr (Ctrl+Alt) does. */
export function textFor(key: string, modifiers: number): string | undefined {
  if (key === 'Enter') return '\r'
  if ([...key].length !== 1) return undefined
  const ctrl = (modifiers & MOD.ctrl) !== 0
  const alt = (modifiers & MOD.alt) !== 0
  const meta = (modifiers & MOD.meta) !== 0
  if (meta || (ctrl && !alt)) return undefined
  return key
}

/**
 * macOS Chromium does not run editing shortcuts from synthetic key events; Playwright
 * passes the editing command alongside (see its macEditingCommands). Only the common ones.
 */
const MAC_COMMANDS: Record<string, string[]> = {
  'Meta+KeyA': ['selectAll'],
  'Meta+KeyC': ['copy'],
  'Meta+KeyX': ['cut'],
  'Meta+KeyV': ['paste'],
  'Meta+KeyZ': ['undo'],
  'Shift+Meta+KeyZ': ['redo'],
  Backspace: ['deleteBackward'],
  Delete: ['deleteForward'],
  'Meta+Backspace': ['deleteToBeginningOfLine'],
  'Alt+Backspace': ['deleteWordBackward'],
  ArrowLeft: ['moveLeft'],
  ArrowRight: ['moveRight'],
  'Meta+ArrowLeft': ['moveToBeginningOfLine'],
  'Meta+ArrowRight': ['moveToEndOfLine'],
  'Shift+ArrowLeft': ['moveLeftAndModifySelection'],
  'Shift+ArrowRight': ['moveRightAndModifySelection'],
}

export function macCommands(code: string, modifiers: number): string[] | undefined {
  const parts: string[] = []
  if (modifiers & MOD.shift) parts.push('Shift')
  if (modifiers & MOD.ctrl) parts.push('Control')
  if (modifiers & MOD.alt) parts.push('Alt')
  if (modifiers & MOD.meta) parts.push('Meta')
  parts.push(code)
  return MAC_COMMANDS[parts.join('+')]
}

export interface KeyEventParams {
  type: 'keyDown' | 'rawKeyDown' | 'keyUp'
  modifiers: number
  key: string
  code: string
  windowsVirtualKeyCode: number
  nativeVirtualKeyCode: number
  text?: string
  unmodifiedText?: string
  autoRepeat: boolean
  location: number
  isKeypad: boolean
  commands?: string[]
}

export function keyEvent(
  msg: { action: 'down' | 'up'; key: string; code: string; modifiers: number; repeat: boolean; location: number },
  platform: 'mac' | 'other',
): KeyEventParams {
  const vk = keyCodeFor(msg.code, msg.key)
  const text = msg.action === 'down' ? textFor(msg.key, msg.modifiers) : undefined
  const params: KeyEventParams = {
    // A keyDown with text also produces keypress/input; rawKeyDown runs only the default action.
    type: msg.action === 'up' ? 'keyUp' : text !== undefined ? 'keyDown' : 'rawKeyDown',
    modifiers: msg.modifiers,
    key: msg.key,
    code: msg.code,
    windowsVirtualKeyCode: vk,
    nativeVirtualKeyCode: vk,
    autoRepeat: msg.repeat,
    location: msg.location,
    isKeypad: msg.location === 3,
  }
  if (text !== undefined) {
    params.text = text
    params.unmodifiedText = text
  }
  if (platform === 'mac' && msg.action === 'down') {
    const commands = macCommands(msg.code, msg.modifiers)
    if (commands) params.commands = commands
  }
  return params
}
