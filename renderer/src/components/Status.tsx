// Loading, empty, error and "not in this build" look the same everywhere.
import type { ReactNode } from 'react'
import type { LoadStatus } from '../stores/resource'

export function Loading({ what }: { what: string }) {
  return (
    <p className="state-msg" role="status" aria-live="polite">
      Loading {what}…
    </p>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state-msg empty">{children}</div>
}

export function ErrorMsg({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="state-msg error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

/** The backend for this part is not shipped in this build yet: say so calmly. */
export function Unavailable({ what }: { what: string }) {
  return (
    <div className="state-msg empty" data-state="unavailable">
      <p>
        <strong>{what} are not available in this build.</strong>
      </p>
      <p className="muted">Nothing to show yet; this view fills in once the workspace has {what.toLowerCase()}.</p>
    </div>
  )
}

/** Renders the right placeholder for a resource, or the children once there is data. */
export function ResourceView<T>({
  status,
  error,
  data,
  what,
  isEmpty,
  empty,
  onRetry,
  children,
}: {
  status: LoadStatus
  error: string | null
  data: T | null
  what: string
  isEmpty: (d: T) => boolean
  empty: ReactNode
  onRetry: () => void
  children: (d: T) => ReactNode
}) {
  if (status === 'unavailable') return <Unavailable what={what} />
  if (data === null) {
    if (status === 'error')
      return <ErrorMsg message={error ?? `Could not load ${what.toLowerCase()}`} onRetry={onRetry} />
    return <Loading what={what.toLowerCase()} />
  }
  return (
    <>
      {error && <ErrorMsg message={error} onRetry={onRetry} />}
      {isEmpty(data) ? <Empty>{empty}</Empty> : children(data)}
    </>
  )
}
