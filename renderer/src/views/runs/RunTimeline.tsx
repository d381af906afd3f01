// A run as a readable story (GET /api/runs/:id/timeline): each flow step one row with its
// status, label, flow line and duration (ticking while it runs), the waits for a person or a
// decision as bars naming who ended them and how long they took, a filmstrip of the
// screenshots the steps kept, and command output as a console with stderr set apart and
// ANSI colours drawn as classes (never HTML). The raw events stay one click away (Events tab).
import { useEffect, useState } from 'react'
import type { TimelineStep } from '@shared/api'
import { Lightbox, type LightboxItem } from '../../components/Lightbox'
import { VirtualList } from '../../components/VirtualList'
import { Empty } from '../../components/Status'
import { artifactHref, useTraceViewer } from '../../lib/artifacts'
import { href } from '../../lib/route'
import { formatDate, formatMs } from '../../lib/format'
import { useRunDetail } from '../../stores/runs'
import { RunConsole } from './RunConsole'
import { liveMs, StepRow, WaitBar, type Shot } from './TimelineRows'

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
      {(tl.kind === 'command' || tl.output.length > 0) && <RunConsole tl={tl} />}
      {/* Mounted only while open: the artifact gallery below has its own. */}
      {open !== null && open >= 0 && (
        <Lightbox items={items} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
      )}
    </div>
  )
}
