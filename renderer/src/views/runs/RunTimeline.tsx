// A run as a readable story (GET /api/runs/:id/timeline): each flow step one row with its
// status, label, flow line and duration (ticking while it runs), the waits for a person or a
// decision as bars naming who ended them and how long they took, a filmstrip of the
// screenshots the steps kept, and command output as a console with stderr set apart and
// ANSI colours drawn as classes (never HTML). The raw events stay one click away (Events tab).
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { RunTimeline, TimelineOutputLine, TimelineShot, TimelineStep, TimelineWait } from '@shared/api'
import type { RunEvent } from '@shared/domain'
import { Lightbox, type LightboxItem } from '../../components/Lightbox'
import { VirtualList } from '../../components/VirtualList'
import { Empty } from '../../components/Status'
import { parseAnsi, stripAnsi } from '@shared/ansi'
import { artifactHref, useTraceViewer } from '../../lib/artifacts'
import { href } from '../../lib/route'
import { formatDate, formatMs } from '../../lib/format'
import { useRunDetail } from '../../stores/runs'

/** The current time, once a second while `active` (durations that tick). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(t)
  }, [active])
  return now
}

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

const liveMs = (startedAt: string, endedAt: string | null, durationMs: number | null, now: number): number =>
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

function WaitBar({ w, runMs, now }: { w: TimelineWait; runMs: number; now: number }) {
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

/** Past this many steps only the rows in view are mounted (a 2,000-step run stays quick). */
const VIRTUAL_FROM = 150
const NONE: never[] = []

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>()
  for (const it of items) {
    const k = key(it)
    const list = m.get(k)
    if (list) list.push(it)
    else m.set(k, [it])
  }
  return m
}

interface Shot extends TimelineShot {
  step: number
  failure: boolean
}

function StepRow({
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

function Filmstrip({ shots, onOpen }: { shots: Shot[]; onOpen: (i: number) => void }) {
  return (
    <ol className="filmstrip" aria-label="Screenshots by step" data-testid="filmstrip">
      {shots.map((sh, i) => (
        <li key={sh.artifactId} className={sh.failure ? 'filmstrip-failure' : undefined}>
          <button
            type="button"
            className="thumb-button"
            data-testid="filmstrip-thumb"
            aria-label={`Open ${sh.failure ? 'failure screenshot' : `screenshot ${sh.name}`} of step ${sh.step} full size`}
            onClick={() => onOpen(i)}
          >
            <img className="filmstrip-img" src={artifactHref({ id: sh.artifactId })} alt="" loading="lazy" />
          </button>
          <span className="small">
            Step {sh.step}
            {sh.failure ? ' · failed' : ` · ${sh.name}`}
          </span>
        </li>
      ))}
    </ol>
  )
}

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
function Console({ tl }: { tl: RunTimeline }) {
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

export function RunTimelineView() {
  const tl = useRunDetail((s) => s.timeline)
  const events = useRunDetail((s) => s.events)
  const traced = useRunDetail((s) => s.artifacts.some((a) => a.kind === 'trace'))
  const viewer = useTraceViewer()
  const [open, setOpen] = useState<number | null>(null)
  const [openSteps, setOpenSteps] = useState<ReadonlySet<number>>(() => new Set())
  const toggleStep = (index: number) =>
    setOpenSteps((o) => {
      const next = new Set(o)
      if (next.has(index)) next.delete(index)
      else next.add(index)
      return next
    })
  const live = tl !== null && tl.endedAt === null && tl.startedAt !== null
  const now = useNow(live)
  if (!tl) return <p className="muted">Loading the timeline…</p>

  const runMs = tl.startedAt ? liveMs(tl.startedAt, tl.endedAt, tl.durationMs, now) : 0
  const shots: Shot[] = tl.steps.flatMap((s) => [
    ...s.screenshots.map((sh) => ({ ...sh, step: s.index, failure: false })),
    ...(s.failureShot ? [{ ...s.failureShot, step: s.index, failure: true }] : []),
  ])
  const items: LightboxItem[] = shots.map((sh) => ({
    key: sh.artifactId,
    src: artifactHref({ id: sh.artifactId }),
    href: artifactHref({ id: sh.artifactId }),
    name: `Step ${sh.step} · ${sh.name}`,
    alt: `${sh.failure ? 'Failure screenshot' : `Screenshot ${sh.name}`} of step ${sh.step}, captured ${formatDate(sh.at)}`,
  }))
  const openShot = (artifactId: string) => setOpen(shots.findIndex((s) => s.artifactId === artifactId))
  const waitsBy = groupBy(tl.waits, (w) => w.stepIndex)
  const shotsBy = groupBy(shots, (sh) => sh.step)
  const rowProps = (s: TimelineStep) => ({
    step: s,
    start: tl.startedAt,
    now,
    runMs,
    waits: waitsBy.get(s.index) ?? NONE,
    events,
    shots: shotsBy.get(s.index) ?? NONE,
    onOpenShot: openShot,
    open: openSteps.has(s.index),
    onToggle: () => toggleStep(s.index),
    traceHref: traced && viewer && s.status !== 'skipped' ? href.trace(tl.runId, s.index) : null,
  })
  const loose = tl.waits.filter((w) => w.stepIndex === null || !tl.steps.some((s) => s.index === w.stepIndex))

  return (
    <div className="run-timeline" data-testid="run-timeline">
      <p className="muted small tl-summary">
        {tl.startedAt ? (
          <>
            Started <time dateTime={tl.startedAt}>{formatDate(tl.startedAt)}</time> ·{' '}
            <span data-testid="timeline-duration">{formatMs(runMs)}</span>
            {live ? ' so far' : ''}
          </>
        ) : (
          'Not started yet'
        )}
        {tl.steps.length > 0 && ` · ${tl.steps.length} step${tl.steps.length === 1 ? '' : 's'}`}
        {tl.waits.length > 0 && ` · ${tl.waits.length} wait${tl.waits.length === 1 ? '' : 's'}`}
      </p>
      {loose.map((w) => (
        <WaitBar key={w.firstSeq} w={w} runMs={runMs} now={now} />
      ))}
      {tl.steps.length > 0 &&
        (tl.steps.length <= VIRTUAL_FROM ? (
          <ol className="tl-steps" aria-label="Steps">
            {tl.steps.map((s) => (
              <StepRow key={s.index} {...rowProps(s)} />
            ))}
          </ol>
        ) : (
          <VirtualList
            items={tl.steps}
            estimate={40}
            getKey={(s) => String(s.index)}
            label="Steps"
            className="tl-steps tl-steps-virtual"
            follow={live}
            render={(s) => <StepRow {...rowProps(s)} as="div" />}
          />
        ))}
      {tl.kind === 'browser' && tl.steps.length === 0 && <Empty>No step has started yet.</Empty>}
      {shots.length > 0 && (
        <>
          <h3>Screenshots</h3>
          <Filmstrip shots={shots} onOpen={setOpen} />
        </>
      )}
      {(tl.kind === 'command' || tl.output.length > 0) && <Console tl={tl} />}
      {/* Mounted only while open: the artifact gallery below has its own. */}
      {open !== null && open >= 0 && (
        <Lightbox items={items} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
      )}
    </div>
  )
}
