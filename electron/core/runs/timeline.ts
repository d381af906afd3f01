// A run's timeline, read from its append-only event chain: each flow step with its start and
// end folded into one row (status, duration, line, screenshots), each wait for a person or a
// decision as a span with who ended it and how long it took, command output as lines with
// stdout and stderr kept apart, and the phases with what really happened in each. Computed
// on request from the events, so it is never out of step with them.
import {
  OUTPUT_LINES_KEPT,
  type RunTimeline,
  type TimelineOutputLine,
  type TimelineStep,
  type TimelineWait,
} from '../../../shared/api'
import { TERMINAL_RUN_STATUSES, type Run, type RunEvent } from '../../../shared/domain'
import { phasesOf } from '../../../shared/phases'

const WAIT_KIND: Record<string, TimelineWait['kind']> = {
  'waiting-mfa': 'mfa',
  'waiting-approval': 'approval',
  'waiting-assist': 'assist',
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const span = (from: string, to: string | null): number | null =>
  to === null ? null : Math.max(0, Date.parse(to) - Date.parse(from))

/** Folds a run's events (oldest first, all of them) into its timeline. */
export function buildTimeline(run: Run, events: Iterable<RunEvent>): RunTimeline {
  const steps = new Map<number, TimelineStep>()
  const waits: TimelineWait[] = []
  let output: TimelineOutputLine[] = []
  let outputLines = 0
  const carry: Record<'stdout' | 'stderr', { text: string; seq: number; ts: string } | null> = {
    stdout: null,
    stderr: null,
  }
  let current: TimelineStep | null = null
  let lastEnded: TimelineStep | null = null
  let wait: TimelineWait | null = null
  // The step an assist request is about (it failed just before, so it is no longer current).
  let assistStep: number | null = null
  let started = false
  let lastSeq = 0
  let exitCode = run.exitCode

  const pushLine = (line: TimelineOutputLine): void => {
    outputLines++
    output.push(line)
    if (output.length > OUTPUT_LINES_KEPT * 2) output = output.slice(-OUTPUT_LINES_KEPT)
  }
  const closeWait = (at: string, outcome: string | null): void => {
    if (!wait) return
    wait.endedAt = at
    wait.durationMs = span(wait.startedAt, at)
    wait.outcome ??= outcome
    wait = null
  }

  for (const e of events) {
    lastSeq = e.seq
    const d = e.data
    switch (e.type) {
      case 'run.status': {
        const to = str(d.to)
        const from = str(d.from)
        if (to === 'running') started = true
        if (from && WAIT_KIND[from] && wait) closeWait(e.ts, wait.outcome ?? (to === 'running' ? 'resumed' : to))
        if (to && WAIT_KIND[to]) {
          closeWait(e.ts, null)
          wait = {
            kind: WAIT_KIND[to]!,
            startedAt: e.ts,
            endedAt: null,
            durationMs: null,
            reason: str(d.reason),
            stepIndex: current?.index ?? (to === 'waiting-assist' ? assistStep : null),
            by: null,
            outcome: null,
            people: [],
            firstSeq: e.seq,
          }
          waits.push(wait)
          if (current) current.status = 'waiting'
        } else if (to === 'running' && current?.status === 'waiting') {
          current.status = 'running'
        }
        break
      }
      case 'approval.requested':
        // Usually just before the status change that opens the span; the reason is the same.
        if (wait?.kind === 'approval') wait.reason ??= str(d.reason)
        break
      case 'assist.requested':
        assistStep = num(d.index)
        break
      case 'assist.decided':
        if (wait?.kind === 'assist') {
          wait.by = str(d.by)
          wait.outcome = str(d.action)
        }
        break
      case 'step.skipped': {
        const step = steps.get(num(d.index) ?? -1)
        if (step) {
          step.status = 'skipped'
          step.lastSeq = e.seq
        }
        break
      }
      case 'approval.decided': {
        // The decision may land in the same instant the wait closes; attach it to the latest approval wait.
        const w = wait?.kind === 'approval' ? wait : waits.findLast((x) => x.kind === 'approval' && x.by === null)
        if (w) {
          w.by = str(d.by)
          w.outcome = str(d.decision)
        }
        break
      }
      case 'takeover.started': {
        const by = str(d.by)
        if (wait && by && !wait.people.includes(by)) wait.people.push(by)
        break
      }
      case 'takeover.ended': {
        if (wait) {
          // An assist decision already said what happened; the takeover only closed.
          wait.outcome ??= str(d.reason)
          wait.by = str(d.by) ?? wait.by
        }
        break
      }
      case 'step.started': {
        const index = num(d.index)
        if (index === null) break
        const prev = steps.get(index)
        if (prev) {
          prev.attempts++
          prev.status = 'running'
          prev.endedAt = null
          prev.durationMs = null
          prev.error = null
          prev.lastSeq = e.seq
          current = prev
        } else {
          const step: TimelineStep = {
            index,
            action: str(d.action) ?? 'step',
            label: str(d.label) ?? str(d.action) ?? `Step ${index}`,
            line: num(d.line),
            status: 'running',
            startedAt: e.ts,
            endedAt: null,
            durationMs: null,
            attempts: 1,
            error: null,
            screenshots: [],
            failureShot: null,
            firstSeq: e.seq,
            lastSeq: e.seq,
          }
          steps.set(index, step)
          current = step
        }
        break
      }
      case 'step.succeeded':
      case 'step.failed': {
        const step = steps.get(num(d.index) ?? -1)
        if (!step) break
        step.status = e.type === 'step.succeeded' ? 'succeeded' : 'failed'
        step.endedAt = e.ts
        step.durationMs = span(step.startedAt, e.ts)
        step.error = e.type === 'step.failed' ? (str(d.error) ?? 'Failed') : null
        step.lastSeq = e.seq
        lastEnded = step
        if (current === step) current = null
        break
      }
      case 'evidence.captured': {
        if (d.kind !== 'screenshot') break
        const shot = { artifactId: String(d.artifactId), name: str(d.name) ?? 'screenshot', at: e.ts }
        const failed = /^failure-step-(\d+)/.exec(shot.name)
        const owner = failed ? steps.get(Number(failed[1])) : (current ?? lastEnded)
        if (!owner) break
        if (failed) owner.failureShot = shot
        else owner.screenshots.push(shot)
        owner.lastSeq = Math.max(owner.lastSeq, e.seq)
        break
      }
      case 'stdout':
      case 'stderr': {
        const stream = e.type
        const text = typeof d.text === 'string' ? d.text : ''
        const parts = text.split('\n')
        const held = carry[stream]
        if (held) parts[0] = held.text + parts[0]
        const first = held ?? { seq: e.seq, ts: e.ts }
        const tail = parts.pop()!
        parts.forEach((line, i) =>
          pushLine({
            seq: i === 0 ? first.seq : e.seq,
            ts: i === 0 ? first.ts : e.ts,
            stream,
            text: line.replace(/\r$/, ''),
          }),
        )
        carry[stream] =
          tail.length > 0
            ? { text: tail, seq: parts.length === 0 ? first.seq : e.seq, ts: parts.length === 0 ? first.ts : e.ts }
            : null
        break
      }
      case 'log':
        if (d.message === 'Process ended' && num(d.exitCode) !== null) exitCode = num(d.exitCode)
        break
    }
  }
  // A last line without its newline is still a line.
  for (const stream of ['stdout', 'stderr'] as const) {
    const held = carry[stream]
    if (held) pushLine({ seq: held.seq, ts: held.ts, stream, text: held.text })
  }
  output.sort((a, b) => a.seq - b.seq)
  if (output.length > OUTPUT_LINES_KEPT) output = output.slice(-OUTPUT_LINES_KEPT)

  const terminal = TERMINAL_RUN_STATUSES.includes(run.status)
  const endedAt = run.endedAt
  if (terminal) {
    // Whatever was still open ended with the run.
    const closing = run.status === 'failed' ? 'failed' : 'canceled'
    for (const step of steps.values()) {
      if (step.status === 'running' || step.status === 'waiting') {
        step.status = closing
        step.endedAt = endedAt
        step.durationMs = endedAt ? span(step.startedAt, endedAt) : null
        if (closing === 'failed') step.error ??= run.error
      }
    }
    if (wait && endedAt) closeWait(endedAt, run.status)
  }

  return {
    runId: run.id,
    kind: run.kind,
    status: run.status,
    startedAt: run.startedAt,
    endedAt,
    durationMs: run.startedAt ? span(run.startedAt, endedAt) : null,
    phases: phasesOf(run.status, started),
    steps: [...steps.values()].sort((a, b) => a.index - b.index),
    waits,
    output,
    outputLines,
    exitCode,
    lastSeq,
  }
}

/** The timeline of a stored run, reading its whole event chain in pages. */
export function timelineOf(run: Run, list: (after: number, limit: number) => RunEvent[]): RunTimeline {
  function* all(): Generator<RunEvent> {
    let after = 0
    for (;;) {
      const page = list(after, 5000)
      yield* page
      if (page.length < 5000) return
      after = page.at(-1)!.seq
    }
  }
  return buildTimeline(run, all())
}
