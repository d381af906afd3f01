// The four phases every run goes through, left to right, each with what really happened in
// it (shared/phases.ts, the same answer the timeline route gives): a run that failed while
// executing shows execution failed and the later phases skipped, never done. The phase the
// run is at (or stopped in) is marked for sight and for assistive tech (aria-current="step").
import { RUN_PHASES, type Run, type RunPhase } from '@shared/domain'
import { phasesOf, type PhaseState } from '@shared/phases'

const LABEL: Record<RunPhase, string> = {
  planning: 'Planning',
  execution: 'Execution',
  review: 'Review',
  artifact: 'Artifact',
}
const MARK: Partial<Record<PhaseState, string>> = { done: '✓', failed: '✕', canceled: '⊘', skipped: '–' }
const SAY: Record<PhaseState, string> = {
  done: 'done',
  current: 'current phase',
  failed: 'failed',
  canceled: 'canceled',
  skipped: 'skipped',
  todo: 'not reached yet',
}

export function PhaseStepper({ run }: { run: Run }) {
  const phases = phasesOf(run.status, run.startedAt !== null)
  // Where the run is, or where it stopped; a run that succeeded is at its last phase.
  let at = phases.findIndex((p) => p.state === 'current' || p.state === 'failed' || p.state === 'canceled')
  if (at < 0) at = run.status === 'succeeded' ? RUN_PHASES.length - 1 : RUN_PHASES.indexOf(run.phase)
  return (
    <ol className="phases" aria-label="Run phases" data-testid="phase-stepper">
      {phases.map(({ phase, state }, i) => (
        <li
          key={phase}
          className={`phase phase-${state}`}
          data-phase={phase}
          data-state={state}
          aria-current={i === at ? 'step' : undefined}
        >
          <span className="phase-mark" aria-hidden="true">
            {MARK[state] ?? i + 1}
          </span>
          <span className="phase-label">{LABEL[phase]}</span>
          <span className="visually-hidden"> ({SAY[state]})</span>
        </li>
      ))}
    </ol>
  )
}
