// A button or form that calls the API: tracks "pending" (to disable double submits) and
// turns a failure into a visible, announced message instead of an unhandled rejection.
import { useCallback, useState } from 'react'
import { errorMessage } from '../api/client'
import { notify } from '../stores/notices'

export function useAction<A extends unknown[]>(
  fn: (...args: A) => Promise<unknown>,
  opts: { announce?: boolean } = {},
) {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(
    async (...args: A): Promise<boolean> => {
      setPending(true)
      setError(null)
      try {
        await fn(...args)
        return true
      } catch (e) {
        const msg = errorMessage(e)
        setError(msg)
        if (opts.announce !== false) notify(msg, 'error')
        return false
      } finally {
        setPending(false)
      }
    },
    [fn, opts.announce],
  )
  return { run, pending, error, clearError: () => setError(null) }
}
