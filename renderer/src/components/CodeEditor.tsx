// A plain-text YAML editor with a line-number gutter that marks the lines a validator
// complained about, and a list of those problems that moves the caret to each one. A
// native textarea (not a code-editor library) keeps undo, IME, spell-check off, screen
// readers and the CSP (no inline styles injected) working as the platform does them.
import { useId, useRef, type UIEvent } from 'react'

export interface EditorProblem {
  line: number
  column: number
  message: string
}

/** Offset of (line, column), both 1-based, in text; clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset)
    if (nl < 0) return text.length
    offset = nl + 1
  }
  const end = text.indexOf('\n', offset)
  const lineEnd = end < 0 ? text.length : end
  return Math.min(offset + Math.max(0, column - 1), lineEnd)
}

// Must match .code-editor line-height in CSS: the gutter and the caret jump rely on it.
const LINE_PX = 20

export function CodeEditor({
  label,
  value,
  onChange,
  problems,
  rows = 12,
  hint,
  problemsLabel = 'Problems',
}: {
  label: string
  value: string
  onChange: (v: string) => void
  problems: readonly EditorProblem[]
  rows?: number
  hint?: string
  problemsLabel?: string
}) {
  const id = useId()
  const areaRef = useRef<HTMLTextAreaElement>(null)
  const gutterRef = useRef<HTMLDivElement>(null)
  const lineCount = value.split('\n').length
  const bad = new Set(problems.map((p) => p.line))
  const problemsId = `${id}-problems`
  const hintId = `${id}-hint`

  // The gutter follows the textarea's scroll position directly (no state: no re-render per scroll).
  const syncGutter = (e: UIEvent<HTMLTextAreaElement>) => {
    if (gutterRef.current) gutterRef.current.scrollTop = e.currentTarget.scrollTop
  }

  const goTo = (p: EditorProblem) => {
    const area = areaRef.current
    if (!area) return
    const start = offsetOf(value, p.line, p.column)
    const nl = value.indexOf('\n', start)
    area.focus()
    area.setSelectionRange(start, nl < 0 ? value.length : nl)
    area.scrollTop = Math.max(0, (p.line - 3) * LINE_PX)
    if (gutterRef.current) gutterRef.current.scrollTop = area.scrollTop
  }

  const describedBy = [hint ? hintId : null, problems.length ? problemsId : null].filter(Boolean).join(' ')
  return (
    <div className="field field-wide">
      <label htmlFor={id}>{label}</label>
      <div className="code-editor" data-rows={rows}>
        <div className="code-gutter" ref={gutterRef} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <span key={i} className={bad.has(i + 1) ? 'gutter-line gutter-bad' : 'gutter-line'} data-line={i + 1}>
              {bad.has(i + 1) ? '▸ ' : ''}
              {i + 1}
            </span>
          ))}
        </div>
        <textarea
          id={id}
          ref={areaRef}
          className="mono code-area"
          rows={rows}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          value={value}
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby={describedBy || undefined}
          onChange={(e) => onChange(e.target.value)}
          onScroll={syncGutter}
        />
      </div>
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      {problems.length > 0 && (
        <div id={problemsId} className="form-error editor-problems" role="alert">
          <p className="editor-problems-title">
            {problemsLabel}: {problems.length}
          </p>
          <ul>
            {problems.map((p, i) => (
              <li key={i} data-testid="editor-problem" data-line={p.line} data-column={p.column}>
                <button type="button" className="link-button" onClick={() => goTo(p)}>
                  Line {p.line}, column {p.column}
                </button>
                : {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
