// Command output in the run timeline: a console with stderr set apart and ANSI colours drawn
// as classes (never HTML), following the end while the person is there.
import { useLayoutEffect, useRef } from 'react'
import type { RunTimeline, TimelineOutputLine } from '@shared/api'
import { parseAnsi, stripAnsi } from '@shared/ansi'
import { Empty } from '../../components/Status'

function ConsoleLine({ line }: { line: TimelineOutputLine }) {
  const spans = parseAnsi(line.text)
  return (
    <div className={`console-line console-${line.stream}`} data-testid="console-line" data-stream={line.stream}>
      <span className="console-stream" title={line.stream}>
        {line.stream === 'stderr' ? 'err' : 'out'}
      </span>
      <span className="console-text">
        {spans.length === 0
          ? ' '
          : spans.map((s, i) =>
              s.className ? (
                <span key={i} className={s.className}>
                  {s.text}
                </span>
              ) : (
                s.text
              ),
            )}
      </span>
    </div>
  )
}

/** Command output; follows the end while the person is there, and always shows the last line. */
export function RunConsole({ tl }: { tl: RunTimeline }) {
  const ref = useRef<HTMLDivElement>(null)
  const atEnd = useRef(true)
  const last = tl.output[tl.output.length - 1]
  useLayoutEffect(() => {
    const el = ref.current
    if (el && atEnd.current) el.scrollTop = el.scrollHeight
  }, [tl.output.length, last?.seq, last?.text])
  const errors = tl.output.filter((l) => l.stream === 'stderr').length
  const cut = tl.outputLines - tl.output.length
  return (
    <section aria-labelledby="console-title" className="console-wrap">
      <div className="view-head section-head">
        <h3 id="console-title">Output</h3>
        <span className="muted small" data-testid="console-count">
          {tl.outputLines.toLocaleString()} line{tl.outputLines === 1 ? '' : 's'}
          {errors > 0 ? ` · ${errors.toLocaleString()} on stderr (marked err)` : ''}
          {tl.exitCode !== null ? ` · exit code ${tl.exitCode}` : ''}
        </span>
      </div>
      {tl.output.length === 0 ? (
        <Empty>No output yet.</Empty>
      ) : (
        <div
          ref={ref}
          className="console"
          role="log"
          tabIndex={0}
          aria-label="Command output"
          data-testid="console"
          onScroll={() => {
            const el = ref.current
            if (el) atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 24
          }}
        >
          {cut > 0 && (
            <div className="console-cut muted small">{cut.toLocaleString()} earlier lines are in the Events tab</div>
          )}
          {tl.output.map((l, i) => (
            <ConsoleLine key={`${l.seq}-${i}`} line={l} />
          ))}
        </div>
      )}
      {last && (
        <p className="visually-hidden" aria-live="polite">
          Last output line: {stripAnsi(last.text)}
        </p>
      )}
    </section>
  )
}
