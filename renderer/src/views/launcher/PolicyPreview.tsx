// What the policy would say about this run, asked again (debounced) as the form changes, so
// the operator sees "requires approval" or "deny" before pressing Start, not after.
import { useEffect, useId, useState } from 'react'
import type { RouteRequest } from '@shared/api'
import type { PolicyResult } from '@shared/domain'
import { call, errorMessage } from '../../api/client'
import { PolicyResultView } from '../runs/RunOverview'

export type PolicyQuery = NonNullable<RouteRequest<'policyCheck'>['body']> | null

export function PolicyPreview({ query }: { query: PolicyQuery }) {
  const [result, setResult] = useState<{ policy: PolicyResult | null; error: string | null; key: string } | null>(null)
  const key = query ? JSON.stringify(query) : ''
  const headingId = useId()
  useEffect(() => {
    if (!query) return
    let live = true
    const t = setTimeout(() => {
      call('policyCheck', { body: query }).then(
        (policy) => live && setResult({ policy, error: null, key }),
        (e: unknown) => live && setResult({ policy: null, error: errorMessage(e), key }),
      )
    }, 250)
    return () => {
      live = false
      clearTimeout(t)
    }
    // `key` stands for `query`: a new object with the same content must not ask again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  const current = result && result.key === key ? result : null
  return (
    <div className="launcher-policy" data-testid="new-run-policy" data-verdict={current?.policy?.verdict ?? ''} aria-live="polite">
      {!query ? (
        <p className="muted small">The policy verdict shows once there is something to run.</p>
      ) : !current ? (
        <p className="muted small">Checking policy…</p>
      ) : current.error ? (
        <p className="form-error">Policy check: {current.error}</p>
      ) : (
        current.policy && <PolicyResultView policy={current.policy} headingId={headingId} />
      )}
    </div>
  )
}
