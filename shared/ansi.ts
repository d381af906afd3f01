// A tiny ANSI SGR reader for command output: splits a line into runs of text with the
// colour and weight its escape codes ask for. Nothing is ever turned into HTML; the console
// renders each run as a text node with class names, so output cannot inject markup and the
// strict CSP (no inline styles) holds. The 16 basic colours map to the theme's own tones
// (readable in light and dark); 256-colour and true-colour codes are read and dropped; every
// other escape sequence (cursor moves, titles) is removed.

export interface AnsiSpan {
  text: string
  /** Class names for the span: ansi-fg-red, ansi-bold... empty for plain text. */
  className: string
}

const COLOURS = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const

interface Style {
  fg: string | null
  bg: string | null
  bold: boolean
  dim: boolean
  italic: boolean
  underline: boolean
}
const plain = (): Style => ({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false })

function classOf(s: Style): string {
  const c: string[] = []
  if (s.fg) c.push(`ansi-fg-${s.fg}`)
  if (s.bg) c.push(`ansi-bg-${s.bg}`)
  if (s.bold) c.push('ansi-bold')
  if (s.dim) c.push('ansi-dim')
  if (s.italic) c.push('ansi-italic')
  if (s.underline) c.push('ansi-underline')
  return c.join(' ')
}

function apply(s: Style, params: number[]): void {
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!
    if (p === 0) Object.assign(s, plain())
    else if (p === 1) s.bold = true
    else if (p === 2) s.dim = true
    else if (p === 3) s.italic = true
    else if (p === 4) s.underline = true
    else if (p === 22) s.bold = s.dim = false
    else if (p === 23) s.italic = false
    else if (p === 24) s.underline = false
    else if (p >= 30 && p <= 37) s.fg = COLOURS[p - 30]!
    else if (p === 39) s.fg = null
    else if (p >= 40 && p <= 47) s.bg = COLOURS[p - 40]!
    else if (p === 49) s.bg = null
    else if (p >= 90 && p <= 97) s.fg = COLOURS[p - 90]!
    else if (p >= 100 && p <= 107) s.bg = COLOURS[p - 100]!
    else if (p === 38 || p === 48) {
      // 38;5;N or 38;2;R;G;B: skip its arguments.
      i += params[i + 1] === 5 ? 2 : params[i + 1] === 2 ? 4 : 1
    }
  }
}

// CSI sequences (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), character set choices
// (ESC ( B), and lone two-byte escapes.
const ESCAPE =
  // eslint-disable-next-line no-control-regex
  /\u001b\[([0-?]*)([ -/]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[()*+#][0-9A-Za-z]|\u001b[@-_]?/g

export function parseAnsi(line: string): AnsiSpan[] {
  const spans: AnsiSpan[] = []
  const style = plain()
  let last = 0
  const push = (text: string) => {
    if (!text) return
    const className = classOf(style)
    const prev = spans[spans.length - 1]
    if (prev && prev.className === className) prev.text += text
    else spans.push({ text, className })
  }
  for (const m of line.matchAll(ESCAPE)) {
    push(line.slice(last, m.index))
    last = m.index + m[0].length
    if (m[3] === 'm' && m[2] === '') {
      const params = m[1] === '' ? [0] : m[1]!.split(';').map((x) => (x === '' ? 0 : Number(x)))
      if (params.every((n) => Number.isFinite(n))) apply(style, params)
    }
  }
  push(line.slice(last))
  // Other control characters (a bell, a backspace) would only show as boxes.
  // eslint-disable-next-line no-control-regex
  for (const s of spans) s.text = s.text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
  return spans.filter((s) => s.text.length > 0)
}

/** The line without any escape codes (for titles and copying). */
export const stripAnsi = (line: string): string =>
  parseAnsi(line)
    .map((s) => s.text)
    .join('')
