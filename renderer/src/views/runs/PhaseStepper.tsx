// The four phases every run goes through, left to right, with the current one marked for
// sight (colour and a glyph) and for assistive tech (aria-current="step").
import { RUN_PHASES, TERMINAL_RUN_STATUSES, type Run, type RunPhase } from '@shared/domain'

const LABEL: Record<RunPhase, string> = {
  planning: 'Planning',
  execution: 'Execution',
  review: 'Review',
  artifact: 'Artifact',
}

export function PhaseStepper({ run }: { run: Run }) {
  const current = RUN_PHASES.indexOf(run.phase)
  // A finished run has no "current" phase left to work on; its last phase reads as done.
  const finished = TERMINAL_RUN_STATUSES.includes(run.status)
  return (
    <ol className="phases" aria-label="Run phases" data-testid="phase-stepper">
      {RUN_PHASES.map((p, i) => {
        const state =
          i < current || (finished && i === current && run.status === 'succeeded')
            ? 'done'
            : i === current
              ? 'current'
              : 'todo'
        return (
          <li
            key={p}
            className={`phase phase-${state}`}
            data-phase={p}
            data-state={state}
            aria-current={i === current ? 'step' : undefined}
          >
            <span className="phase-mark" aria-hidden="true">
              {state === 'done' ? '✓' : i + 1}
            </span>
            <span className="phase-label">{LABEL[p]}</span>
            {i === current && <span className="visually-hidden"> (current phase)</span>}
          </li>
        )
      })}
    </ol>
  )
}
