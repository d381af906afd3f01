// A run's one trace in Playwright's viewer, opened at a flow step. The viewer (served by
// host mode at /trace-viewer/) takes no URL parameter for the action to show, so it is
// framed here, on the same origin, and once it has drawn the action list the step's group
// ("Step 3 · click #submit", engine/trace.ts) is clicked in it. When the viewer changes
// its markup the trace still opens, at the viewer's own choice of action, and this says so.
import { useEffect, useRef, useState, type RefObject } from 'react'
import { runTraceViewerUrl, useTraceViewer } from '../../lib/artifacts'
import { href } from '../../lib/route'

type Find = 'loading' | 'selected' | 'absent' | 'unknown'

const FIND_FOR_MS = 20_000
/** The action list comes in one go; a group missing this long after it is not coming. */
const ABSENT_AFTER_MS = 2_000

/** The viewer's tree item for step `step`'s group, when it has drawn it. */
function stepItem(doc: Document, step: number): HTMLElement | null {
  const prefix = `Step ${step} · `
  const items = [...doc.querySelectorAll<HTMLElement>('[role="treeitem"]')]
  // A step that ran again has a group per attempt: the last one is the attempt that counted.
  return (
    items.findLast((el) => el.querySelector('.action-title-method')?.textContent?.startsWith(prefix) ?? false) ?? null
  )
}

function useSelectStep(frame: RefObject<HTMLIFrameElement | null>, step: number | null): Find {
  const [find, setFind] = useState<Find>('loading')
  useEffect(() => {
    if (step === null) return
    const until = Date.now() + FIND_FOR_MS
    let drawnAt: number | null = null
    const timer = setInterval(() => {
      let doc: Document | null = null
      try {
        doc = frame.current?.contentDocument ?? null
      } catch {
        doc = null // not same-origin after all: nothing to select
      }
      const item = doc ? stepItem(doc, step) : null
      if (item) {
        clearInterval(timer)
        item.querySelector<HTMLElement>('.tree-view-entry')?.click()
        item.scrollIntoView({ block: 'center' })
        setFind('selected')
        return
      }
      // The list is drawn and has groups, but not this one: the step ran while recording was off.
      if (drawnAt === null && doc?.querySelector('[role="treeitem"] .action-title-method')) drawnAt = Date.now()
      if (drawnAt !== null && Date.now() - drawnAt > ABSENT_AFTER_MS) {
        clearInterval(timer)
        setFind('absent')
      } else if (Date.now() > until) {
        clearInterval(timer)
        setFind('unknown')
      }
    }, 200)
    return () => clearInterval(timer)
  }, [frame, step])
  return step === null ? 'unknown' : find
}

const FIND_TEXT: Record<Find, (step: number) => string> = {
  loading: (n) => `Opening the trace at step ${n}…`,
  selected: (n) => `Showing step ${n}.`,
  absent: (n) =>
    `Step ${n} is not in the trace: recording is off while a secret is typed or a person has the page, and until the page no longer shows it.`,
  unknown: (n) => `The trace is open; find step ${n} in its action list.`,
}

export function TraceReplayView({ runId, step }: { runId: string; step: number | null }) {
  const viewer = useTraceViewer()
  const frame = useRef<HTMLIFrameElement>(null)
  const find = useSelectStep(frame, viewer ? step : null)
  const download = `/api/runs/${encodeURIComponent(runId)}/trace`
  return (
    <section className="view trace-replay" aria-labelledby="trace-title">
      <div className="view-head">
        <h1 id="trace-title" tabIndex={-1}>
          Trace{step !== null ? ` at step ${step}` : ''}
        </h1>
        <a href={href.run(runId)}>Run details</a>
        {viewer && (
          <a href={download} download={`trace-${runId}.zip`}>
            Download the trace
          </a>
        )}
      </div>
      {step !== null && viewer && (
        <p className="muted small" role="status" data-testid="trace-step-find" data-find={find}>
          {FIND_TEXT[find](step)}
        </p>
      )}
      {viewer ? (
        <iframe
          ref={frame}
          className="trace-frame"
          title="Playwright trace viewer"
          src={runTraceViewerUrl(runId)}
          data-testid="trace-frame"
        />
      ) : (
        <p className="callout" data-testid="trace-instructions">
          This window cannot host the trace viewer. Download the trace parts from the run details and run{' '}
          <code>npx playwright show-trace</code> on each.
        </p>
      )}
    </section>
  )
}
