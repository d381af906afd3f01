// The parts of a run an operator reads first: who must act now (takeover, approval), how far
// it got (step i of n) and what the policy decided and why.
import type { PolicyResult, Run } from '@shared/domain'
import { ProgressBar } from '../../components/ProgressBar'
import { href } from '../../lib/route'

export function TakeoverCallout({ run }: { run: Run }) {
  if (run.status !== 'waiting-mfa' && run.status !== 'waiting-assist') return null
  const assist = run.status === 'waiting-assist'
  // takeoverUrl is a path on this host ("/#/takeover/ID"); the hash part is the app's route.
  const hash = run.takeoverUrl?.includes('#') ? `#${run.takeoverUrl.split('#')[1]}` : href.takeover(run.id)
  return (
    <div className="takeover-callout" role="alert" data-testid="takeover-callout">
      <div>
        <strong>This run waits for a person.</strong>
        <p className="small">
          {assist
            ? 'A step failed and the page is still open. Take over to fix it, then run the step again, skip it, or fail the run.'
            : 'A sign-in or one-time-code prompt needs you. Take over the live page, complete the prompt, and the run goes on by itself.'}
        </p>
      </div>
      <a className="button-link primary big" href={hash} data-testid="takeover-link">
        Take over
      </a>
    </div>
  )
}

export function StepProgress({ run }: { run: Run }) {
  const { current, total, label } = run.progress
  if (total === 0) return null
  return (
    <div className="step-progress" data-testid="run-progress">
      <p className="step-progress-text">
        <strong>
          Step {Math.min(current, total)} of {total}
        </strong>
        {label && <span className="muted"> · {label}</span>}
      </p>
      <ProgressBar
        value={total ? current / total : 0}
        label={`Run progress: step ${Math.min(current, total)} of ${total}`}
      />
    </div>
  )
}

const RISK_TONE = { low: 'good', medium: 'wait', high: 'bad', critical: 'bad' } as const

export function PolicyVerdict({ run }: { run: Run }) {
  const p = run.policy
  if (!p) return null
  return <PolicyResultView policy={p} headingId="policy-verdict-title" testId="policy-verdict" />
}

/** A policy verdict, its risk and its reasons: a run's, or the New run dialog's preview. */
export function PolicyResultView({ policy: p, headingId, testId }: { policy: PolicyResult; headingId: string; testId?: string }) {
  const [tone, glyph] = p.verdict === 'allow' ? ['good', '✓'] : p.verdict === 'deny' ? ['bad', '■'] : ['wait', '◐']
  return (
    <section className="policy-verdict" aria-labelledby={headingId} data-testid={testId}>
      <h3 id={headingId}>Policy</h3>
      <p>
        <span className={`badge tone-${tone}`} data-testid="policy-verdict-value" data-verdict={p.verdict}>
          <span aria-hidden="true" className="badge-glyph">
            {glyph}
          </span>
          {p.verdict}
        </span>{' '}
        <span className={`badge tone-${RISK_TONE[p.risk]}`} data-testid="policy-risk">
          risk {p.risk}
        </span>
      </p>
      {p.reasons.length > 0 ? (
        <ul className="reasons">
          {p.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No rule matched: nothing to flag.</p>
      )}
    </section>
  )
}
