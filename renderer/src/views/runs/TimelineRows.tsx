// The rows of a run's timeline: a flow step (status, label, flow line, duration that ticks
// while it runs, its events and screenshots on demand) and a wait for a person or a decision
// as a bar naming who ended it and how long it took.
import type { TimelineShot, TimelineStep, TimelineWait } from '@shared/api'
import type { RunEvent } from '@shared/domain'
import { formatDate, formatMs } from '../../lib/format'

const STATUS: Record<TimelineStep['status'], { icon: string; text: string }> = {
  running: { icon: '●', text: 'Running' },
  waiting: { icon: '⏸', text: 'Waiting' },
  succeeded: { icon: '✓', text: 'Succeeded' },
  failed: { icon: '✕', text: 'Failed' },
  skipped: { icon: '↷', text: 'Skipped' },
  canceled: { icon: '⊘', text: 'Canceled' },
}

/** "+1.2 s" after the run started. */
function relative(at: string, start: string | null): string {
  if (!start) return ''
  const ms = Date.parse(at) - Date.parse(start)
  return Number.isFinite(ms) ? `+${formatMs(Math.max(0, ms))}` : ''
}

function When({ at, start }: { at: string; start: string | null }) {
  const abs = formatDate(at)
  return (
    <time className="muted small tl-when" dateTime={at} title={abs}>
      {relative(at, start) || abs}
    </time>
  )
}

export const liveMs = (startedAt: string, endedAt: string | null, durationMs: number | null, now: number): number =>
  durationMs ?? Math.max(0, (endedAt ? Date.parse(endedAt) : now) - Date.parse(startedAt))

const WAIT_TITLE: Record<TimelineWait['kind'], string> = {
  mfa: 'Waited for a person (sign-in)',
  approval: 'Waited for approval',
  assist: 'Waited for assistance',
}

/** Who ended the wait and how, in words. */
function outcomeText(w: TimelineWait): string {
  if (w.endedAt === null) return w.people.length ? `taken over by ${w.people.join(', ')}` : 'still waiting'
  const by = w.by ? ` by ${w.by}` : ''
  switch (w.outcome) {
    case 'approved':
      return `approved${by}`
    case 'rejected':
      return `rejected${by}`
    case 'resume':
      return `resumed${by}`
    case 'forced':
      return `resume forced${by}`
    case 'retry-step':
      return `step run again${by}`
    case 'skip-step':
      return `step skipped${by}`
    case 'fail':
      return `run failed${by}`
    case 'until-met':
      return 'went on by itself: the sign-in condition held'
    case 'prompt-gone':
      return 'went on by itself: the sign-in prompt was gone'
    case null:
      return 'ended'
    default:
      return `${w.outcome}${by}`
  }
}

export function WaitBar({ w, runMs, now }: { w: TimelineWait; runMs: number; now: number }) {
  const ms = liveMs(w.startedAt, w.endedAt, w.durationMs, now)
  const share = runMs > 0 ? Math.min(100, Math.max(2, (ms / runMs) * 100)) : 100
  const took = w.people.length && w.endedAt !== null ? ` · taken over by ${w.people.join(', ')}` : ''
  return (
    <div
      className={`tl-wait tl-wait-${w.kind}${w.endedAt === null ? ' tl-wait-open' : ''}`}
      data-testid="timeline-wait"
      data-kind={w.kind}
      data-by={w.by ?? undefined}
    >
      <div className="tl-wait-text">
        <span className="tl-wait-title">{WAIT_TITLE[w.kind]}</span>
        <span data-testid="timeline-wait-duration">{formatMs(ms)}</span>
        <span data-testid="timeline-wait-who">
          {outcomeText(w)}
          {took}
        </span>
        {w.reason && <span className="muted small tl-wait-reason">{w.reason}</span>}
      </div>
      <div className="tl-wait-track" aria-hidden="true">
        <div className="tl-wait-fill" style={{ width: `${share}%` }} />
      </div>
    </div>
  )
}

/** A screenshot of the filmstrip, with the step that kept it. */
export interface Shot extends TimelineShot {
  step: number
  failure: boolean
}

export function StepRow({
  step,
  start,
  now,
  waits,
  runMs,
  events,
  shots,
  onOpenShot,
  open,
  onToggle,
  traceHref,
  as: Row = 'li',
}: {
  /** Where the run's one trace opens at this step (null: no trace, or no viewer here). */
  traceHref: string | null
  /** Open (showing its events and screenshots); kept by the list, since virtual rows unmount. */
  open: boolean
  onToggle: () => void
  /** A div inside the virtual list (which brings its own list items). */
  as?: 'li' | 'div'
  step: TimelineStep
  start: string | null
  now: number
  waits: TimelineWait[]
  runMs: number
  events: RunEvent[]
  shots: Shot[]
  onOpenShot: (artifactId: string) => void
}) {
  const s = STATUS[step.status]
  const ms = liveMs(step.startedAt, step.endedAt, step.durationMs, now)
  const id = `tl-step-${step.index}`
  const mine = open ? events.filter((e) => e.seq >= step.firstSeq && e.seq <= step.lastSeq) : []
  return (
    <Row
      className={`tl-step tl-${step.status}`}
      data-testid="timeline-step"
      data-index={step.index}
      data-status={step.status}
    >
      <div className="tl-step-head">
        <button
          type="button"
          className="tl-toggle"
          aria-expanded={open}
          aria-controls={`${id}-body`}
          onClick={onToggle}
        >
          <span className="tl-status" data-testid="timeline-step-status">
            <span aria-hidden="true" className="tl-icon">
              {s.icon}
            </span>{' '}
            {s.text}
          </span>
          <span className="tl-label">
            <span className="muted small">{step.index}.</span> {step.label}
          </span>
        </button>
        <span className="muted small tl-line">{step.line !== null ? `line ${step.line}` : ''}</span>
        <span className="tl-duration" data-testid="timeline-step-duration" data-ms={ms}>
          {formatMs(ms)}
          {step.attempts > 1 && <span className="muted small"> · {step.attempts} tries</span>}
        </span>
        <When at={step.startedAt} start={start} />
        {traceHref && (
          <a className="small tl-trace" href={traceHref} data-testid="timeline-step-trace">
            Trace<span className="visually-hidden"> of step {step.index}</span>
          </a>
        )}
      </div>
      {step.error && (
        <p className="tl-error small" data-testid="timeline-step-error">
          {step.error}
        </p>
      )}
      {waits.map((w) => (
        <WaitBar key={w.firstSeq} w={w} runMs={runMs} now={now} />
      ))}
      <div id={`${id}-body`} className="tl-step-body" hidden={!open}>
        {open && (
          <>
            {shots.length > 0 && (
              <ul className="tl-step-shots" aria-label={`Screenshots of step ${step.index}`}>
                {shots.map((sh) => (
                  <li key={sh.artifactId}>
                    <button type="button" className="small" onClick={() => onOpenShot(sh.artifactId)}>
                      {sh.failure ? 'Failure screenshot' : `Screenshot ${sh.name}`}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <p className="muted small">
              Started {formatDate(step.startedAt)}
              {step.endedAt ? `, ended ${formatDate(step.endedAt)}` : ''} · events #{step.firstSeq}–#{step.lastSeq}
            </p>
            {mine.length > 0 && (
              <pre className="tl-raw small" aria-label={`Events of step ${step.index}`}>
                {mine.map((e) => `#${e.seq} ${e.type} ${JSON.stringify(e.data)}`).join('\n')}
              </pre>
            )}
          </>
        )}
      </div>
    </Row>
  )
}
